"""The paging parameters of every API list, bounded once.

``Pagination`` is Django Ninja's limit/offset pagination with both numbers bounded:
a huge, negative or non-numeric ``limit`` or ``offset`` answers 422 in the API's error
shape (``{code, message, fields}``) instead of reaching the database (an offset past
64 bits was a 500). Lists that page by hand take ``Limit`` and ``Offset``.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Path, Query, Schema
from ninja.pagination import LimitOffsetPagination

# A row id in a path or a body: past 64 bits is a 422, never a database error.
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="编号")]

# No list has more rows than this; a larger offset can only be a mistake or a probe.
MAX_OFFSET = 1_000_000
MAX_LIMIT = 500
DEFAULT_LIMIT = 100


def limit_param(default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT):
    return Query(default, ge=1, le=maximum, description=f"每页条数（1–{maximum}）")


Limit = Annotated[int, limit_param()]
Offset = Annotated[int, Query(0, ge=0, le=MAX_OFFSET, description=f"跳过条数（0–{MAX_OFFSET}）")]


class Pagination(LimitOffsetPagination):
    """``@paginate(Pagination)``: limit 1–500 (default 100), offset 0–1,000,000."""

    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"每页条数（1–{MAX_LIMIT}）"
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"跳过条数（0–{MAX_OFFSET}）")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
