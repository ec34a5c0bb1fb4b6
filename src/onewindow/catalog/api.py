"""The published catalog through the API: matters, listings, guides by version,
bundles, search. Public reads need no login (one source for every channel, R-CAT-9)."""

from ninja import Router

router = Router(tags=["事项目录"])
