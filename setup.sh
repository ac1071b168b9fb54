#!/usr/bin/env bash
# Set up a fresh machine and build the site.
#   bash setup.sh                 Python environment in .venv, dependencies, npm packages when Node.js
#                                 is there (the tests need it), then build site/
#   bash setup.sh --with-browser  also Debian's Chromium, CJK fonts and Node.js for the tests (root)
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${1:-}" == "--with-browser" ]]; then
    missing=()
    command -v chromium >/dev/null || missing+=(chromium)
    fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
    # Node.js runs the JavaScript half of the tokenizer tests and the editor form's file format,
    # and installs axe-core and decap-server (the editor form's local backend, for its test).
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
# An editable install leaves the package's modules uncompiled, and where PYTHONDONTWRITEBYTECODE is
# set Python never writes their bytecode: every build would compile 12,000 lines again (a tenth of
# a CPU second). Compiled once here; an edited module is compiled again, in memory, when it is newer.
.venv/bin/python -m compileall -q catalogue
# Node.js is for the tests only: without it the site is still built, and setup says what the
# tests need.
if [[ -f package-lock.json ]]; then
    if command -v npm >/dev/null; then
        npm ci --silent --no-audit --no-fund
    else
        echo "Node.js (npm) is not installed: the site is built without it, but the tests need it" \
             "(the JavaScript half of the tokenizer tests and of the editor form, axe-core for the accessibility" \
             "tests, decap-server for the editor form's test; the form itself is built without it)." \
             "Install nodejs and npm, or run 'bash setup.sh --with-browser' as root, then 'npm ci'." \
             "— 未安装 Node.js（npm）：网站照常生成，但测试需要它。" >&2
    fi
fi
.venv/bin/python build.py
