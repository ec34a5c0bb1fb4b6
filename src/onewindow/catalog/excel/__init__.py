"""The catalog as an Excel workbook: template, export and import (R-CAT-2, R-CAT-5).

The package: ``columns`` (the format, shared), ``reading``, ``writing`` (template and
export), ``plan``, ``validation`` and ``applying`` (the import), ``jobs`` (an import
applied in the background for the staff pages); this face names what callers use.

The workbook has four data sheets with Chinese headers in row 1 (事项, 材料, 环节,
实施清单) and an instructions sheet (说明); ``docs/catalog-template.md`` documents
every column. Export writes a center's (or a scope's) current catalog in exactly
that format, so that an exported file re-imports with nothing to change.

Import is all or nothing:

1. read every sheet and parse every cell (types, choices);
2. validate every row against the catalog and the actor's scope (references to
   departments, centers and matters, guide lint, time compression, duplicates,
   permissions), collecting *all* errors as (sheet, row, column, message);
3. if there is any error, change nothing and return the list; otherwise apply
   through the catalog services in one transaction. By default each changed guide
   goes to review as a process change and each new listing is an entry request to
   the government office (R-CAT-4, R-CAT-8); with ``publish=True`` (superuser only,
   for loading a catalog already approved on the provincial platform) guides are
   published and listings activated directly.
"""

from onewindow.catalog.excel.applying import import_catalog
from onewindow.catalog.excel.columns import (
    COLUMNS,
    DATA_SHEETS,
    LISTINGS,
    MATERIALS,
    MATTERS,
    README,
    STEPS,
    Report,
    RowError,
)
from onewindow.catalog.excel.plan import Plan
from onewindow.catalog.excel.reading import read_workbook
from onewindow.catalog.excel.validation import validate
from onewindow.catalog.excel.writing import (
    catalog_for_export,
    export_workbook,
    template_workbook,
    workbook_bytes,
)

__all__ = [
    "COLUMNS",
    "DATA_SHEETS",
    "LISTINGS",
    "MATERIALS",
    "MATTERS",
    "README",
    "STEPS",
    "Plan",
    "Report",
    "RowError",
    "catalog_for_export",
    "export_workbook",
    "import_catalog",
    "read_workbook",
    "template_workbook",
    "validate",
    "workbook_bytes",
]
