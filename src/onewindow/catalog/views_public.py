"""What the catalog reports (``views_reports``) read from the public pages' module,
kept until those reports move to oversight: the guide view models now live in
``catalog.selectors`` and the public pages in ``portal/views/catalog.py``."""

from onewindow.catalog.forms import query_int as _int_param
from onewindow.catalog.selectors.guides import (
    OUTSIDE_REASONS,
    compression_facts,
    process_comparison,
)

__all__ = ["OUTSIDE_REASONS", "_int_param", "compression_facts", "process_comparison"]
