"""The management behind the front line: the staff's workspace, the audit trail, API
tokens, the work calendar's pages, statistics, rankings, exports and dashboards."""
