"""The workspace and its own pages: the start page of staff, the audit search, API
tokens (``workspace``) and the work calendar (``calendar``)."""
