"""The workspace and its own pages (global names: `workspace`, `audit_search`, `api_tokens`,
`calendar`): included at the root without a namespace."""

urlpatterns: list = []
