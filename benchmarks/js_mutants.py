#!/usr/bin/env python3
"""Hand-made mutants of assets/js/: each planted in turn, the test named beside it run, the file
restored. A mutant counts as killed when its test fails on it and passes on the code as it is.

    .venv/bin/python benchmarks/js_mutants.py            # every mutant of benchmarks/js_mutants.json
    .venv/bin/python benchmarks/js_mutants.py --only 3 7 # by number (1-based)

A test named "node:NAME" is the tests/js/ test of that name (node --test --test-name-pattern);
any other is a pytest node id. The browser tests need Chromium (CI=true makes them fail, not
skip, without it). Outside CI: a full run takes about ten minutes on 2 cores.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = Path(__file__).with_name("js_mutants.json")


def command(test: str) -> list[str]:
    if test.startswith("node:"):
        return ["node", "--test", "--test-name-pattern", test[5:], "tests/js/"]
    return [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", test]


def run(test: str) -> bool:
    """Whether the test passes."""
    env = {**os.environ, "CI": "true"}
    return subprocess.run(command(test), cwd=ROOT, env=env, capture_output=True).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", type=int, metavar="N")
    args = parser.parse_args()
    mutants = json.loads(MUTANTS.read_text(encoding="utf-8"))
    chosen = [(n, m) for n, m in enumerate(mutants, 1) if not args.only or n in args.only]
    for test in sorted({m["test"] for _, m in chosen}):
        if not run(test):
            print(f"{test} fails on the code as it is: fix that first", file=sys.stderr)
            return 1
    killed = 0
    for number, mutant in chosen:
        path = ROOT / mutant["file"]
        original = path.read_text(encoding="utf-8")
        if original.count(mutant["old"]) != 1:
            print(f"{number}: {mutant['file']} no longer holds {mutant['old']!r} once", file=sys.stderr)
            return 1
        line = original[:original.index(mutant["old"])].count("\n") + 1
        start = time.monotonic()
        try:
            path.write_text(original.replace(mutant["old"], mutant["new"]), encoding="utf-8")
            passes = run(mutant["test"])
        finally:
            path.write_text(original, encoding="utf-8")
        verdict = "survived" if passes else "killed"
        killed += not passes
        note = f" (equivalent: {mutant['equivalent']})" if "equivalent" in mutant else ""
        print(f"{number:>3} {verdict:<9} {mutant['file']}:{line}  {mutant['test']}  "
              f"{time.monotonic() - start:.0f} s{note}", flush=True)
    print(f"{killed} of {len(chosen)} killed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
