"""The hall through the API: tickets for terminals and portals, the window's calls,
the display feed, appointments."""

from ninja import Router

router = Router(tags=["大厅"])
