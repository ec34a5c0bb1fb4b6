"""The layout rules import-linter cannot express (docs/architecture.md, "The rules"):

- no import of an underscore name from another module (``from x import _y``, or
  ``module._y`` on an imported project module): what a module keeps private stays so;
- no module over 600 lines outside ``demo/`` and migrations;
- no page view function over 60 lines;
- no hand-written ``except DomainError`` (or a subclass) in page views: ``core/pages.py``
  is the one bridge;
- no set of roles outside ``core/roles.py``;
- no template comparing a state or status with a string: the life-cycle tables name
  them;
- no import of a project module inside a function (it hides a cycle or a layer
  breach from import-linter), except in an app's ``apps.py`` (hooks registered once the
  app registry is ready).

Run by ``make test``; prints each breach as ``path:line: rule`` and exits 1 on any.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "onewindow"
MAX_MODULE_LINES = 600
MAX_VIEW_LINES = 60
DOMAIN_ERRORS = {"DomainError", "NotFound", "InvalidInput", "Conflict", "Forbidden"}
ROLES_MODULE = SRC / "core" / "roles.py"
ROLE_SET = re.compile(r"\{\s*Role\.\w+\s*,|frozenset\(\s*\{\s*Role\.|\b[A-Z_]*_ROLES\s*=")
STATE_COMPARE = re.compile(
    r"\.(state|status)\s*(==|!=)\s*['\"]|['\"]\w+['\"]\s*(==|!=)\s*\w+\.(state|status)\b"
)


def project_modules() -> list[Path]:
    paths = [*SRC.rglob("*.py"), *(ROOT / "bench").glob("*.py"), *(ROOT / "scripts").glob("*.py")]
    return sorted(p for p in paths if "migrations" not in p.parts)


def module_name(path: Path) -> str:
    if path.is_relative_to(SRC.parent):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    return path.stem


def is_view_module(path: Path) -> bool:
    return path.is_relative_to(SRC) and (
        path.stem.startswith("views") or "views" in path.relative_to(SRC).parts[:-1]
    )


def underscore_imports(path: Path, tree: ast.Module) -> list[tuple[int, str]]:
    own = module_name(path)
    found = []
    imported_modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = alias.name
                if name.startswith("_") and not name.startswith("__") and node.module != own:
                    found.append((node.lineno, f"imports private {node.module}.{name}"))
                if node.module.startswith("onewindow"):
                    imported_modules.add(alias.asname or name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("onewindow"):
                    imported_modules.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported_modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr != "_meta"
        ):
            found.append((node.lineno, f"uses private {node.value.id}.{node.attr}"))
    return found


def long_views(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith(
            "_"
        ):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_VIEW_LINES:
                found.append(
                    (node.lineno, f"view {node.name} is {length} lines (> {MAX_VIEW_LINES})")
                )
    return found


def local_imports(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("onewindow"):
                found.append((node.lineno, f"imports {node.module} inside {function.name}()"))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("onewindow"):
                        found.append(
                            (node.lineno, f"imports {alias.name} inside {function.name}()")
                        )
    return sorted(set(found))


def caught_domain_errors(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            kinds = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            for kind in kinds:
                name = kind.attr if isinstance(kind, ast.Attribute) else getattr(kind, "id", "")
                if name in DOMAIN_ERRORS:
                    found.append((node.lineno, f"catches {name} in a page view (core/pages.py)"))
    return found


def main() -> int:
    breaches: list[str] = []
    for path in project_modules():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        tree = ast.parse(text, filename=str(path))
        lines = text.count("\n") + (not text.endswith("\n"))
        if lines > MAX_MODULE_LINES and "demo" not in path.parts:
            breaches.append(f"{rel}:1: {lines} lines (> {MAX_MODULE_LINES}): split it by topic")
        breaches += [f"{rel}:{n}: {why}" for n, why in underscore_imports(path, tree)]
        if path.name != "apps.py" and path.is_relative_to(SRC):
            breaches += [f"{rel}:{n}: {why}" for n, why in local_imports(tree)]
        if is_view_module(path):
            breaches += [f"{rel}:{n}: {why}" for n, why in long_views(tree)]
            breaches += [f"{rel}:{n}: {why}" for n, why in caught_domain_errors(tree)]
        if path != ROLES_MODULE and path.is_relative_to(SRC) and "demo" not in path.parts:
            for number, line in enumerate(text.splitlines(), 1):
                if ROLE_SET.search(line):
                    breaches.append(f"{rel}:{number}: a set of roles outside core/roles.py")
    for template in sorted((SRC / "templates").rglob("*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if "{%" in line and STATE_COMPARE.search(line):
                breaches.append(
                    f"{template.relative_to(ROOT)}:{number}: compares a state with a string"
                )
    for breach in breaches:
        print(breach)
    if breaches:
        print(f"{len(breaches)} layout rule(s) broken (scripts/check_layout.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
