"""python build.py in the test's own process, as an editor runs it: its exit status and everything
it printed, standard output and error together."""
from __future__ import annotations

import contextlib
import io

import build


def run(*args) -> tuple[int, str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        status = build.main([str(arg) for arg in args])
    return status, printed.getvalue()
