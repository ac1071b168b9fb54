#!/usr/bin/env python3
"""Two commits' builds side by side, interleaved: what a change gained, on a machine whose speed
moves by a tenth from hour to hour (docs/scale.md, "Measuring").

    .venv/bin/python benchmarks/compare.py BASE [HEAD] [--tasks 10000] [--cold 3] [--second 9]
                                           [--preview 0] [--out /dev/shm]

Each commit is checked out in a worktree of its own (removed at the end), its modules compiled
as setup.sh compiles them, and built with this checkout's Python, on the synthetic content of benchmarks/run.py (benchmarks/out/content-N):

- cold builds: the site and its cache removed before each, the commits taking turns (first one,
  then the other, then the other way round);
- second builds: each commit on its own copy of the content, built cold once, then `--second`
  times one task file's text edited (another task each time, the same in both copies) and
  `build.py` again with the cache it left, the commits taking turns;
- with `--preview N`, each commit's preview (`build.py serve`) started N times, in turns, and
  timed from a task file saved to its page and its section's page served with the change
  (benchmarks/run.py, preview).

CPU is the child's user + system time, peak its maximum resident set; medians are printed, with
the second commit's over the first's. `--out` is where the sites are written: in memory
(`/dev/shm`, the default where there is one) the file system's cost is the least it can be.
The machine's reference work (benchmarks/run.py, REFERENCE_WORK) is timed before and after: the
figures of two runs hours apart compare by their ratio to it. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from catalogue.pipeline import Paths, check  # noqa: E402
from run import content_for, edit_text, machine_reference, preview, timed_build  # noqa: E402


def checked_out(revision: str, stack: ExitStack) -> tuple[str, Path]:
    """The commit's short hash and a worktree of it, removed when `stack` closes."""
    commit = subprocess.run(["git", "rev-parse", "--short", revision], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    folder = Path(tempfile.mkdtemp(prefix=f"compare-{commit}-"))
    subprocess.run(["git", "worktree", "add", "--detach", "--force", str(folder), commit], cwd=ROOT,
                   check=True, capture_output=True)
    stack.callback(subprocess.run, ["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT,
                   capture_output=True)
    # Its modules compiled as setup.sh compiles them: where PYTHONDONTWRITEBYTECODE is set, each
    # build would otherwise compile them again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder / "catalogue")], check=True)
    return commit, folder


def in_turns(count: int, commits: list):
    """(run, commit) pairs, the commits' order swapped from one run to the next."""
    for run in range(count):
        for commit in (commits if run % 2 == 0 else commits[::-1]):
            yield run, commit


def median_of(runs: list[tuple[float, float, float, float]]) -> tuple[float, float, float]:
    return (statistics.median(cpu for cpu, _, _, _ in runs), statistics.median(system for *_, system in runs),
            max(peak for _, _, peak, _ in runs))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the commit to compare with (a hash, a branch, HEAD~3…)")
    parser.add_argument("head", nargs="?", default="HEAD", help="the commit measured (default HEAD)")
    parser.add_argument("--tasks", type=int, default=10_000, help="synthetic tasks (default 10000)")
    parser.add_argument("--cold", type=int, default=3, help="cold builds of each commit (default 3)")
    parser.add_argument("--second", type=int, default=9, help="second builds of each commit (default 9)")
    parser.add_argument("--preview", type=int, default=0, help="previews of each commit timed (default 0)")
    parser.add_argument("--out", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None,
                        help="where the sites are written (default /dev/shm)")
    args = parser.parse_args(argv)
    content = content_for(args.tasks)
    catalogue = check(Paths(content=content))
    reference = [machine_reference()]
    with ExitStack() as stack:
        scratch = Path(tempfile.mkdtemp(prefix="compare-", dir=args.out))
        stack.callback(shutil.rmtree, scratch, ignore_errors=True)
        checkouts = dict(checked_out(revision, stack) for revision in (args.base, args.head))
        if len(checkouts) < 2:
            parser.error(f"{args.base} and {args.head} are the same commit")
        commits = list(checkouts)
        cold = {commit: [] for commit in commits}
        for _, commit in in_turns(args.cold, commits):
            cold[commit].append(timed_build(content, scratch / f"cold-{commit}", build_py=checkouts[commit] / "build.py"))
            print(f"cold {commit}: {cold[commit][-1][0]:.2f} CPU s", file=sys.stderr)
        second = {commit: [] for commit in commits}
        for commit in (commits if args.second else ()):
            shutil.copytree(content, scratch / f"content-{commit}", ignore=shutil.ignore_patterns(".git"))
            timed_build(scratch / f"content-{commit}", scratch / f"second-{commit}", build_py=checkouts[commit] / "build.py")
        for run, commit in in_turns(args.second, commits):
            task = catalogue.tasks[(run * 7919 + 1) % len(catalogue.tasks)]
            edit_text(scratch / f"content-{commit}", task, f"改{run}")
            second[commit].append(timed_build(scratch / f"content-{commit}", scratch / f"second-{commit}", cold=False,
                                              build_py=checkouts[commit] / "build.py"))
            print(f"second {commit}: {second[commit][-1][0]:.2f} CPU s", file=sys.stderr)
        previews = {commit: [] for commit in commits}
        for _, commit in in_turns(args.preview, commits):
            previews[commit].append(preview(content, catalogue, build_py=checkouts[commit] / "build.py"))
            print(f"preview {commit}: " + ", ".join(f"{seconds:.3f}" for seconds in previews[commit][-1]) + " s",
                  file=sys.stderr)
    reference.append(machine_reference())
    print(f"\n{args.tasks:,} tasks, sites in {args.out or 'the temporary folder'}; medians, the commits in turns;"
          f" machine reference {reference[0]:.3f} CPU s before, {reference[1]:.3f} after (benchmarks/run.py)\n")
    for name, runs, digits, count in (("cold", cold, 2, args.cold), ("second build", second, 3, args.second)):
        if not count:
            continue
        print(f"| commit | {name} CPU s | system s | peak MB |\n|---|---:|---:|---:|")
        medians = {commit: median_of(runs[commit]) for commit in commits}
        for commit, (cpu, system, peak) in medians.items():
            print(f"| {commit} | {cpu:.{digits}f} | {system:.2f} | {peak:.0f} |")
        print(f"\n{commits[1]} over {commits[0]}, {name}: {medians[commits[1]][0] / medians[commits[0]][0]:.2f}\n")
    if args.preview:
        print("| commit | preview: its own page, s | its section's page, s | slowest other answer, s |")
        print("|---|---:|---:|---:|")
        for commit, runs in previews.items():
            own, section, slowest = (statistics.median(run[column] for run in runs) for column in range(3))
            print(f"| {commit} | {own:.3f} | {section:.3f} | {slowest:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
