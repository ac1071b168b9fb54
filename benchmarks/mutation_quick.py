#!/usr/bin/env python3
"""The mutants a stopped `benchmarks/mutation.py` run did not reach, each run against its
module's own test files only, forked from one warm process as mutmut does. A failing test is a
kill by the real suite (those files are part of it); a mutant that passes them is only not yet
known, and stays for a full run.

    .venv/bin/python benchmarks/mutation_quick.py MODULE[,MODULE...] SECONDS RESULTS.json [SAMPLE [FUNCTIONS]]

The committed tests are copied beside the mutants first, and each module's files must pass on
the unmutated code. RESULTS.json maps each mutant checked to "killed" or "passed"; a second call
with the same file goes on where the first stopped. SAMPLE, for a module of thousands of mutants:
only that many of each module's mutants, drawn at random (the same draw on every call), so that a
run that cannot reach them all still gives a score of an unbiased part (0: all of them).
FUNCTIONS, comma-separated: only the mutants of those functions and methods (mutmut names a
method Class.method as xǁClassǁmethod), for a change to a few functions of a large module.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from mutation import WORK  # noqa: E402

FILES = {"write": ["tests/test_write_files.py", "tests/test_pipeline.py"],
         "exports": ["tests/test_exports_exact.py", "tests/test_exports.py"],
         "charts": ["tests/test_charts.py"],
         "model_builder": ["tests/test_model_builder.py", "tests/test_exports_exact.py"],
         "validate": ["tests/test_validate_characters.py", "tests/test_validation_rules.py", "tests/test_validation_edge_cases.py",
                      "tests/test_registry_validation.py", "tests/test_validation_messages.py", "tests/test_rounds.py"],
         # test_search_shards is left out: it builds a catalogue of thousands of tasks (minutes).
         "search": ["tests/test_search_shards_exact.py", "tests/test_search_tokenize.py", "tests/test_search_forgiving.py",
                    "tests/test_search_index.py"],
         "search_index": ["tests/test_search_memory.py", "tests/test_search_index.py", "tests/test_search_shards_exact.py"],
         "tokenizer": ["tests/test_search_tokenize.py", "tests/test_search_index.py"],
         "render": ["tests/test_render_terms.py", "tests/test_states.py", "tests/test_pages.py"],
         "pages": ["tests/test_render_terms.py", "tests/test_states.py", "tests/test_pages.py", "tests/test_rounds.py"],
         "templating": ["tests/test_strings.py", "tests/test_render_terms.py", "tests/test_pages.py"],
         "memory": ["tests/test_incremental.py", "tests/test_reader_tree.py"],
         "reader": ["tests/test_reader_tree.py", "tests/test_hostile_input.py", "tests/test_hostile_property.py"],
         "load": ["tests/test_load_paths.py", "tests/test_pipeline.py", "tests/test_reader_tree.py", "tests/test_hostile_input.py"],
         "fingerprint": ["tests/test_incremental.py"],
         "schema": ["tests/test_editor_format.py", "tests/test_editor_form_site.py", "tests/test_exports_exact.py",
                    "tests/test_validation_rules.py"],
         "corrections": ["tests/test_corrections.py"],
         "publish": ["tests/test_publish.py"],
         "folding": ["tests/test_folding.py", "tests/test_search_forgiving.py"],
         "table_import": ["tests/test_table_layouts.py", "tests/test_table_import.py", "tests/test_governments.py",
                          "tests/test_plans.py", "tests/test_hostile_property.py"],
         "table_layouts": ["tests/test_table_layouts.py", "tests/test_table_import.py", "tests/test_governments.py",
                           "tests/test_plans.py", "tests/test_hostile_property.py"],
         "report_import": ["tests/test_report.py"],
         "report_export": ["tests/test_report.py", "tests/test_rounds.py"],
         "report_table": ["tests/test_report.py"],
         "yaml_edit": ["tests/test_yaml_edit.py", "tests/test_report.py"]}


def pytest_in_child(files: list[str], mutant: str | None) -> int:
    pid = os.fork()
    if pid == 0:
        if mutant:
            os.environ["MUTANT_UNDER_TEST"] = mutant
        else:
            os.environ.pop("MUTANT_UNDER_TEST", None)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        import pytest
        os._exit(int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", *files])))
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def _function_of(mutant: str) -> str:
    """catalogue.reader.xǁTreeǁholds__mutmut_3 -> Tree.holds; catalogue.load.x_parse_yaml__mutmut_1 -> parse_yaml."""
    name = mutant.split(".", 2)[2].rsplit("__mutmut_", 1)[0]
    return ".".join(filter(None, name.split("ǁ")[1:])) if name.startswith("xǁ") else name[2:]


def main() -> int:
    modules, seconds, out = sys.argv[1].split(","), float(sys.argv[2]), Path(sys.argv[3]).resolve()
    deadline = time.monotonic() + seconds
    listing = subprocess.run([str(Path(sys.executable).with_name("mutmut")), "results", "--all", "true"],
                             cwd=WORK, capture_output=True, text=True).stdout
    todo = []
    for line in listing.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if status.strip() == "not checked" and name.split(".")[1] in modules:
            todo.append(name)
    if len(sys.argv) > 5:
        functions = sys.argv[5].split(",")
        todo = [name for name in todo if _function_of(name) in functions]
    if len(sys.argv) > 4 and int(sys.argv[4]):
        sample = int(sys.argv[4])
        drawn = []
        for module in modules:
            mine = sorted(t for t in todo if t.split(".")[1] == module)
            drawn += random.Random(13).sample(mine, min(sample, len(mine)))
        todo = drawn
    tests = subprocess.run(["git", "ls-files", "-z", "tests"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tests.decode().split("\0")):
        shutil.copy2(ROOT / name, WORK / "mutants" / name)
    os.chdir(WORK / "mutants")
    sys.path.insert(0, str(WORK / "mutants"))
    for module in modules:
        if pytest_in_child(FILES[module], None) != 0:
            print(f"{module}'s tests fail on the unmutated code", file=sys.stderr)
            return 1
    results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    for name in [t for t in todo if t not in results]:
        if time.monotonic() > deadline:
            break
        code = pytest_in_child(FILES[name.split(".")[1]], name)
        results[name] = "killed" if code == 1 else "passed" if code == 0 else f"exit {code}"
        out.write_text(json.dumps(results, indent=0), encoding="utf-8")
    for module in modules:
        mine = [v for k, v in results.items() if k.split(".")[1] == module]
        print(f"{module:<16} killed {mine.count('killed')} of {len(mine)} checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
