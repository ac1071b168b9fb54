#!/usr/bin/env bash
# Set up a fresh machine and build the site.
#   bash setup.sh                 Python environment in .venv, dependencies, then build site/
#   bash setup.sh --with-browser  also Debian's Chromium, CJK fonts and Node.js for the tests (root)
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${1:-}" == "--with-browser" ]]; then
    missing=()
    command -v chromium >/dev/null || missing+=(chromium)
    fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
    # Node.js runs the JavaScript half of the tokenizer tests and installs axe-core.
    command -v npm >/dev/null || missing+=(nodejs npm)
    if (( ${#missing[@]} )); then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test,import]'
if [[ -f package-lock.json ]]; then
    npm ci --silent --no-audit --no-fund
fi
.venv/bin/python build.py
