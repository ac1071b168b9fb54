#!/usr/bin/env python3
"""Mutation testing of the generator with mutmut: how many small bugs planted in catalogue/
the test suite catches, per module. Outside CI: a full run takes tens of minutes on 2 cores.

    .venv/bin/pip install -e '.[test,import,mutation]'
    .venv/bin/python benchmarks/mutation.py                      # the modules the suite must guard
    .venv/bin/python benchmarks/mutation.py --modules write charts
    .venv/bin/python benchmarks/mutation.py --report-only          # the table of the last run again
    .venv/bin/python benchmarks/mutation.py --resume               # go on with an interrupted run
    .venv/bin/python benchmarks/mutation.py --retest-survivors     # the last run's survivors, against
                                                                   # the tests as they are now

It copies the committed project into $TMPDIR/catalogue-mutation/ (a git repository of one
commit, for the history tests), configures mutmut there (setup.cfg),
runs it over the chosen modules with the suite less the browser tests, and prints killed /
total per module and every survivor's name. `mutmut show NAME`, run in that folder, prints a
survivor's diff.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Outside the repository, so that git sees the copy's own history, not this checkout's.
WORK = Path(tempfile.gettempdir()) / "catalogue-mutation"
GUARDED = ["validate", "write", "model_builder", "exports", "render", "pages", "templating", "memory", "schema", "charts",
           "search", "search_index", "reader", "fingerprint", "tokenizer", "corrections", "publish", "folding",
           "table_import", "table_layouts", "report_import", "report_export", "report_table", "yaml_edit"]
# What the tests read besides catalogue/ and tests/, copied beside the mutants.
ALSO_COPY = ["content", "templates", "assets", "build.py", "tools", "benchmarks", "package.json", "package-lock.json", "docs", ".github", ".ci",
             "setup.sh", "README.md", "LICENSE", ".gitignore"]
KILLED = {"killed", "timeout", "segfault", "suspicious"}
# mutmut's mutated code reads its configuration from the working folder: a test that runs the
# command line from another folder cannot run under it.
DESELECT = ["tests/test_hostile_input.py::test_out_dot_in_a_folder_with_files_refuses_and_touches_nothing",
            "tests/test_serve.py",
            "tests/test_one_door.py::test_hostile_content_is_refused_with_its_file_and_line",
            "tests/test_one_door.py::test_a_hostile_table_or_import_is_refused_and_writes_nothing",
            "tests/test_one_door.py::test_wrong_usage_is_refused_by_argparse",
            "tests/test_one_door.py::test_a_valid_correction_with_an_outside_source_builds_and_links_it"]


def copy_project() -> None:
    """The committed files, into a fresh work folder with its own git history for history.py."""
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = WORK / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if (ROOT / "node_modules").is_dir():
        (WORK / "node_modules").symlink_to(ROOT / "node_modules")
    git = ["git", "-c", "user.name=mutation", "-c", "user.email=mutation@localhost"]
    subprocess.run(git + ["init", "-q"], cwd=WORK, check=True)
    subprocess.run(git + ["add", "-A"], cwd=WORK, check=True)
    subprocess.run(git + ["commit", "-qm", "Copy for mutation testing"], cwd=WORK, check=True)


# A pytest plugin beside the mutants: each mutant's tests run fastest first (by the durations
# mutmut recorded), so that a mutant a quick test catches is not first run through the full
# builds. Every test mutmut chose still runs for a mutant that survives; the verdicts are those
# of any order, only sooner.
ORDER_PLUGIN = '''"""Run the tests fastest first, by mutmut's recorded durations."""
import json
from pathlib import Path


def pytest_collection_modifyitems(session, config, items):
    stats = Path("mutmut-stats.json")
    if not stats.is_file():
        return
    durations = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
    items.sort(key=lambda item: durations.get(item.nodeid, float("inf")))
'''


def configure(modules: list[str]) -> None:
    (WORK / "mutation_order.py").write_text(ORDER_PLUGIN, encoding="utf-8")
    only = "\n    ".join(f"catalogue/{module}.py" for module in modules)
    also = "\n    ".join(ALSO_COPY + ["mutation_order.py"] + (["node_modules"] if (WORK / "node_modules").exists() else []))
    deselect = "".join(f"    --deselect\n    {test}\n" for test in DESELECT)
    (WORK / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths = catalogue/\n"
        f"only_mutate =\n    {only}\n"
        f"also_copy =\n    {also}\n"
        "pytest_add_cli_args =\n    -m\n    not browser\n    -p\n    no:cacheprovider\n    -p\n    mutation_order\n    -q\n"
        f"{deselect}"
        "use_git_change_detection = False\n",
        encoding="utf-8")


def run(max_children: int, names: list[str] = ()) -> None:
    mutmut = Path(sys.executable).with_name("mutmut")
    subprocess.run([str(mutmut), "run", "--max-children", str(max_children), *names], cwd=WORK, check=False)


def refresh_tests() -> None:
    """The committed tests/ into the work folder, for mutmut to copy beside the mutants; mutmut
    finds the new tests and records which functions they call before it runs anything."""
    files = subprocess.run(["git", "ls-files", "-z", "tests"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        target = WORK / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


def results() -> dict[str, str]:
    """Mutant name -> status, from mutmut's own listing."""
    mutmut = Path(sys.executable).with_name("mutmut")
    listing = subprocess.run([str(mutmut), "results", "--all", "true"], cwd=WORK, capture_output=True, text=True)
    found = {}
    for line in listing.stdout.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name and status:
            found[name] = status.strip()
    return found


def report(found: dict[str, str], modules: list[str]) -> int:
    by_module: dict[str, Counter] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for name, status in found.items():
        module = name.split(".")[1] if name.startswith("catalogue.") else name.split(".")[0]
        by_module[module]["total"] += 1
        by_module[module]["killed" if status in KILLED else status] += 1
        if status == "survived":
            survivors[module].append(name)
    print(f"\n{'module':<16}{'killed':>8}{'total':>8}{'score':>9}   other")
    total = Counter()
    for module in modules:
        counts = by_module.get(module, Counter())
        total.update(counts)
        score = counts["killed"] / counts["total"] if counts["total"] else float("nan")
        other = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k not in ("killed", "total"))
        print(f"{module:<16}{counts['killed']:>8}{counts['total']:>8}{score:>9.1%}   {other}")
    score = total["killed"] / total["total"] if total["total"] else float("nan")
    print(f"{'all':<16}{total['killed']:>8}{total['total']:>8}{score:>9.1%}")
    (WORK / "survivors.json").write_text(json.dumps(survivors, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\nsurvivors by module: {WORK / 'survivors.json'} (mutmut show NAME in {WORK})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="+", default=GUARDED, metavar="NAME",
                        help=f"modules of catalogue/ to mutate (default: {' '.join(GUARDED)})")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default: 2)")
    parser.add_argument("--report-only", action="store_true", help="print the table of the last run")
    parser.add_argument("--resume", action="store_true",
                        help="go on with the last run where it stopped (mutmut keeps every verdict it reached)")
    parser.add_argument("--retest-survivors", action="store_true",
                        help="run the last run's survivors again, against the committed tests as they are now "
                             "(mutmut's incremental mode: every other verdict stands)")
    args = parser.parse_args()
    if args.retest_survivors:
        survivors = [name for name, status in results().items() if status == "survived"]
        refresh_tests()
        if survivors:
            run(args.max_children, survivors)
    elif args.resume:
        run(args.max_children)
    elif not args.report_only:
        copy_project()
        configure(args.modules)
        run(args.max_children)
    return report(results(), args.modules)


if __name__ == "__main__":
    sys.exit(main())
