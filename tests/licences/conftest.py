from tests.cases.conftest import desk  # noqa: F401  (the cases' fixture)
from tests.catalog.conftest import cat  # noqa: F401  (the catalog fixture)
