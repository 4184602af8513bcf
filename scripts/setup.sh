#!/usr/bin/env bash
# Installs what Casework needs on a Debian machine, only what is missing:
#   Debian packages (when root; otherwise prints the exact apt-get line), a virtualenv in .venv,
#   and the project (editable) with its pinned dependencies.
# Usage: scripts/setup.sh [--test]      (--test adds the test dependencies)
# Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# libharfbuzz-subset0: without it WeasyPrint takes ~9 s per CJK page; fonts-noto-cjk: Chinese
# glyphs (with real bold); postgresql: the integration tests start a throw-away server;
# chromium: end-to-end tests; poppler-utils: PDF pages to PNG for looking at them.
packages=(python3-venv libharfbuzz-subset0 fonts-noto-cjk postgresql chromium poppler-utils sqlite3 zbar-tools)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages; run as root:"
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
fi

python=""
for candidate in python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    python=$(command -v "$candidate"); break
  fi
done
[ -n "$python" ] || { echo "setup: Python 3.11 is required"; exit 1; }

if ! .venv/bin/python -c 'import sys' 2>/dev/null; then
  echo "setup: creating .venv with $python"
  "$python" -m venv .venv
fi

extras=""
[ $want_test = 1 ] && extras="[test]"
stamp=".venv/.casework-installed${extras}"
digest=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  echo "setup: installing the project${extras} into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  echo "$digest" > "$stamp"
fi
echo "setup: ready"
