"""The home page and the workspace's own pages keep their global names (`home`, `workspace`,
`audit_search`, `api_tokens`, `calendar`): every page links to them."""

urlpatterns: list = []
