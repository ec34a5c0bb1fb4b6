"""The workspace and its own pages (global names: `workspace`, `audit_search`, `api_tokens`,
`calendar`): included at the root without a namespace."""

from django.urls import path

from onewindow.oversight.views.site import calendar, workspace

urlpatterns = [
    path("workspace/", workspace.workspace, name="workspace"),
    path("workspace/audit/", workspace.audit_search, name="audit_search"),
    path("workspace/tokens/", workspace.api_tokens, name="api_tokens"),
    path("workspace/calendar/", calendar.calendar_page, name="calendar"),
]
