"""Run the JavaScript side of search under Node.js, for tests that compare it with Python."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "tests" / "js" / "search_cli.js"


def node() -> str:
    """Path of node; skips the test without it, except under CI=true, where it fails."""
    found = shutil.which("node")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("node is needed for the JavaScript search tests (apt-get install nodejs)")
        pytest.skip("node not found")
    return found


def run_node(*args: str, stdin: object = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([node(), *args], input=None if stdin is None else json.dumps(stdin),
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def search_cli(command: str, *args: str, stdin: object = None):
    """The JSON that tests/js/search_cli.js prints for `command`."""
    done = run_node(str(CLI), command, *map(str, args), stdin=stdin)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def search_key(task) -> str:
    """How search_cli.js names a task: its id, or plan/id in a further plan (Task.key)."""
    return task.id if task.plan is None or task.plan.first else task.key
