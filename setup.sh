#!/usr/bin/env bash
# Set up a fresh machine and build the site.
#   bash setup.sh                 Python environment in .venv, dependencies, then build site/
#   bash setup.sh --with-browser  also Debian's Chromium and CJK fonts for the browser tests (root)
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${1:-}" == "--with-browser" ]]; then
    if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    fi
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test,import]'
if [[ -f package-lock.json ]]; then
    npm ci --silent --no-audit --no-fund
fi
.venv/bin/python build.py
