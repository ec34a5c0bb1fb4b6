#!/usr/bin/env bash
# The Debian system packages OneWindow needs, by purpose:
#   scripts/ensure-system-deps.sh run    what serving needs (`make run`)
#   scripts/ensure-system-deps.sh test   that and what the suite adds (`make test`)
# Installed with apt-get when running as root; otherwise this names the exact
# `apt-get install` line. Without them `run` still serves (the printed notices then
# say in Chinese that PDF rendering is unavailable) and only warns; `test` fails.
#
# The lists are one variable per purpose, one assignment per line: the suite reads
# them (tests/core/test_system_packages.py) and checks with ldd and dpkg that they
# cover every library WeasyPrint and Playwright's driver load on a minimal Debian 12.
set -euo pipefail

# WeasyPrint renders the case notices with Pango (GObject, HarfBuzz, Fontconfig come
# with it); the Noto CJK fonts are embedded in the PDFs.
RUN_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk"
# The browser tests drive Debian's Chromium through Playwright, whose bundled node
# driver needs libatomic; the PDF tests read the notices back with poppler's pdftoppm.
TEST_PACKAGES="chromium poppler-utils libatomic1"

purpose="${1:-test}"
case "$purpose" in
  run) wanted="$RUN_PACKAGES" ;;
  test) wanted="$RUN_PACKAGES $TEST_PACKAGES" ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian system: make sure the equivalents of these packages are installed: $wanted" >&2
  exit 0
fi

missing=()
for package in $wanted; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
  exit 0
fi

echo "Missing system packages: ${missing[*]}" >&2
echo "Install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
if [ "$purpose" = "run" ]; then
  echo "Serving anyway: the printed notices (PDF) are unavailable until they are installed." >&2
  exit 0
fi
exit 1
