"""``make audit``: known vulnerabilities in the installed packages (pip-audit).

Fails (exit 1) when a package has a known vulnerability, listing each with the
version that fixes it. Needs the advisory database over the network: when it cannot be
reached (offline, a name that does not resolve, a timeout, or every package answered
"not found" by a mirror that serves no advisories) it warns and exits 0, so an offline
build is not failed by it. Not part of ``make test``.

Environment: ``AUDIT_TIMEOUT`` (seconds, default 120), ``AUDIT_SERVICE`` (pip-audit's
``--vulnerability-service``, default its own).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

OFFLINE_SIGNS = ("ConnectionError", "Max retries", "Failed to resolve", "timed out", "Timeout")


def warn(message: str) -> int:
    print(f"make audit: WARNING: {message}", file=sys.stderr)
    return 0


def main() -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    if not pip_audit.exists():
        return warn("pip-audit is not installed (pip install -e '.[test]').")
    command = [str(pip_audit), "--local", "--skip-editable", "--progress-spinner", "off"]
    command += ["--format", "json"]
    if os.environ.get("AUDIT_SERVICE"):
        command += ["--vulnerability-service", os.environ["AUDIT_SERVICE"]]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=int(os.environ.get("AUDIT_TIMEOUT", "120")),
        )
    except subprocess.TimeoutExpired:
        return warn("the advisory database did not answer in time; nothing was audited.")
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    packages = report.get("dependencies") or []
    if not packages:
        if any(sign in done.stderr for sign in OFFLINE_SIGNS):
            return warn("the advisory database cannot be reached (offline?); nothing audited.")
        print(done.stderr, file=sys.stderr)
        return done.returncode or 1
    vulnerable = [p for p in packages if p.get("vulns")]
    for package in vulnerable:
        for vuln in package["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"{package['name']} {package['version']}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        print(f"make audit: {len(vulnerable)} package(s) with known vulnerabilities.")
        return 1
    skipped = [p for p in packages if p.get("skip_reason")]
    if len(skipped) == len(packages):
        return warn(
            f"none of the {len(packages)} packages could be looked up in the advisory "
            "database (offline, or a mirror without advisories); nothing audited."
        )
    print(
        f"make audit: {len(packages) - len(skipped)} packages audited, no known vulnerabilities"
        + (f" ({len(skipped)} could not be looked up)." if skipped else ".")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
