"""R-SEC-2 (the README's two commands work on a fresh Debian 12): the system packages
scripts/ensure-system-deps.sh installs are what a minimal machine needs, not what this
machine happens to have. Every shared library WeasyPrint loads must come from a
package the script's RUN list installs (or its dependencies, or a package of Priority
required/important, present on every Debian); the same for Playwright's bundled node
driver with the TEST list added. Skipped where there is no dpkg (not Debian)."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "ensure-system-deps.sh"

pytestmark = pytest.mark.skipif(
    not (shutil.which("dpkg") and shutil.which("dpkg-query") and shutil.which("ldd")),
    reason="not a Debian system (no dpkg)",
)


def script_list(name: str) -> set[str]:
    match = re.search(rf'^{name}="([^"]*)"$', SCRIPT.read_text(), re.MULTILINE)
    assert match, f"{name} is not set on one line in {SCRIPT.name}"
    return set(match.group(1).split())


@functools.cache
def installed() -> dict[str, tuple[str, frozenset[str]]]:
    """Every installed package: its Priority and the names it Depends / Pre-Depends on
    (every alternative), read with one dpkg-query call."""
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}\t${Priority}\t${Depends}, ${Pre-Depends}\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    packages = {}
    for line in out.splitlines():
        name, priority, depends = (line.split("\t") + ["", ""])[:3]
        names = {p.strip().split(" ")[0].split(":")[0] for p in re.split(r"[,|]", depends)}
        packages[name] = (priority, frozenset(n for n in names if n))
    return packages


def closure(packages: set[str]) -> set[str]:
    """The packages and everything apt installs with them."""
    seen: set[str] = set()
    todo = list(packages)
    while todo:
        package = todo.pop()
        if package not in seen:
            seen.add(package)
            todo.extend(installed().get(package, ("", frozenset()))[1] - seen)
    return seen


def _on_minimal_debian(package: str) -> bool:
    return installed().get(package, ("",))[0] in {"required", "important"}


def _spellings(path: str) -> list[str]:
    """The path, its target, and their other spelling under merged /usr (dpkg knows one)."""
    spellings = []
    for p in (path, str(Path(path).resolve())):
        spellings.append(p)
        if p.startswith("/usr/lib/"):
            spellings.append(p[len("/usr") :])
        elif p.startswith("/lib"):
            spellings.append("/usr" + p)
    return spellings


def owners(paths: set[str]) -> dict[str, str | None]:
    """The Debian package owning each file (None: not from a package); one dpkg call."""
    wanted = {path: _spellings(path) for path in paths}
    every = sorted({s for spellings in wanted.values() for s in spellings})
    out = subprocess.run(["dpkg", "-S", *every], capture_output=True, text=True).stdout
    owner_of = {}
    for line in out.splitlines():
        package, _, path = line.partition(": ")
        owner_of[path.strip()] = package.split(",")[0].split(":")[0].strip()
    return {
        path: next((owner_of[s] for s in spellings if s in owner_of), None)
        for path, spellings in wanted.items()
    }


def _ldd(binary: Path) -> tuple[set[str], list[str]]:
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
    found, missing = set(), []
    for line in out.splitlines():
        if "not found" in line:
            missing.append(line.strip())
        elif "=>" in line:
            target = line.split("=>")[1].strip().split(" (")[0]
            if target.startswith("/"):
                found.add(target)
    return found, missing


def _uncovered(libraries: set[str], allowed: set[str]) -> dict[str, str]:
    venv = str(Path(sys.prefix).resolve())
    ours = {lib for lib in libraries if not str(Path(lib).resolve()).startswith(venv)}
    return {
        library: owner
        for library, owner in sorted(owners(ours).items())
        if owner is not None and owner not in allowed and not _on_minimal_debian(owner)
    }


# The libraries WeasyPrint opens itself (weasyprint/text/ffi.py); ldd adds what they need.
WEASYPRINT_OPENS = re.compile(
    r"/lib(gobject-2\.0|pango-1\.0|pangoft2-1\.0|harfbuzz|harfbuzz-subset|fontconfig)\.so"
)
_MAPS = (
    "import weasyprint;"
    "print('\\n'.join({l.split()[-1] for l in open('/proc/self/maps') if '.so' in l}))"
)


def weasyprint_libraries() -> set[str]:
    result = subprocess.run([sys.executable, "-c", _MAPS], capture_output=True, text=True)
    assert result.returncode == 0, f"WeasyPrint cannot load: {result.stderr[-500:]}"
    return {path for path in result.stdout.split() if WEASYPRINT_OPENS.search(path)}


def test_r_sec_2_the_run_packages_cover_every_library_weasyprint_loads():
    libraries = weasyprint_libraries()
    assert len(libraries) >= 5, libraries  # gobject, pango, pangoft2, harfbuzz, fontconfig
    for library in list(libraries):
        found, missing = _ldd(Path(library))
        assert not missing, f"{library}: {missing}"
        libraries |= found
    uncovered = _uncovered(libraries, closure(script_list("RUN_PACKAGES")))
    assert not uncovered, f"add these packages to RUN_PACKAGES: {sorted(set(uncovered.values()))}"


def test_r_sec_2_the_test_packages_cover_playwrights_driver():
    import playwright

    node = Path(playwright.__file__).parent / "driver" / "node"
    assert node.exists(), node
    found, missing = _ldd(node)
    assert not missing, f"Playwright's node driver cannot load: {missing}"
    allowed = closure(script_list("RUN_PACKAGES") | script_list("TEST_PACKAGES"))
    uncovered = _uncovered(found, allowed)
    assert not uncovered, f"add these packages to TEST_PACKAGES: {sorted(set(uncovered.values()))}"


def test_r_sec_2_the_test_tools_come_from_the_listed_packages():
    allowed = closure(script_list("RUN_PACKAGES") | script_list("TEST_PACKAGES"))
    for tool in ("chromium", "pdftoppm", "pdftotext", "pdffonts", "fc-list"):
        path = shutil.which(tool)
        assert path, f"{tool} is not installed"
        owner = owners({path})[path]
        assert owner in allowed, f"{tool} comes from {owner}, not in the lists"
    font = subprocess.run(
        ["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True
    ).stdout
    owner = owners({font})[font]
    assert owner in closure(script_list("RUN_PACKAGES")), f"the CJK font comes from {owner}"
