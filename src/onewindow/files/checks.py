"""Uploads must never be served by the web server as static or media files."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

from onewindow.files.storage import upload_root


def _inside(path: Path, parent) -> bool:
    if not parent:
        return False
    try:
        path.resolve().relative_to(Path(parent).resolve())
    except ValueError:
        return False
    return True


@register()
def upload_root_outside_web_root(app_configs=None, **kwargs):
    root = upload_root()
    for name in ("STATIC_ROOT", "MEDIA_ROOT"):
        if _inside(root, getattr(settings, name, None)):
            return [
                Error(
                    f"The upload folder {root} lies inside {name}: uploaded files could be "
                    "fetched without a scope check.",
                    hint="Set ONEWINDOW_UPLOAD_ROOT to a folder outside the web root.",
                    id="files.E001",
                )
            ]
    return []
