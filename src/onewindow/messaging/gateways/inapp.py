"""In-app messages for staff: the row is the message; delivering it makes it visible in
the person's inbox (``messaging:inbox``). Nothing leaves the system."""

from __future__ import annotations


class InAppGateway:
    def __init__(self, **_options):
        pass

    def send(self, message) -> str:
        return f"inapp-{message.pk}"
