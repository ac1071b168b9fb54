"""Apply researched outcomes (a research file) to content/tasks/ as dated updates.

Usage: python tools/apply_outcomes.py OUTCOMES.yaml [--content DIR] [--check]

OUTCOMES.yaml holds
- `sources:` key, title, publisher, date, url, kind, and for a page that copies another
  publisher's text (转载) `copy_of: {publisher, title, date}`;
- `outcomes:` task, source, note, status, `actuals: [label, actual, actual_date]` for number
  targets (an approximate target may add `achieved`, the reading of the source; a source that
  says a target was reached without a figure gives `achieved` alone), `milestones: [label,
  achieved, achieved_date]`;
- `searched:` the day targets were looked for in public sources, and the targets (task, label)
  for which nothing was found: each gets `searched: <day>`, which its page states.
Each outcome becomes one update dated on its source's date, with the source's title, publisher,
date, address, kind and original; the status changes only where the outcome gives one. A page
that gives no date of its own is cited with `accessed`, the day the site read it, and its update
is dated on that day. A source with neither as a day is skipped and named: a day is never
guessed. A copy that does not name its original's publisher and title is refused. Running it
twice changes nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_seed import (DEFAULT_CONTENT, SourceError, read_text_file, read_yaml, render_task,  # noqa: E402
                         task_path)

from catalogue.errors import UsageError  # noqa: E402
from catalogue.load import HostileYaml, parse_yaml  # noqa: E402
from catalogue.reader import MAX_REGISTRY_BYTES, MAX_TASK_BYTES  # noqa: E402
from catalogue.write import write_files  # noqa: E402


def structured_source(source: dict) -> dict:
    """The source as a task file cites it: only the fields the research gives."""
    cited = {"title": source["title"], "url": source["url"], "kind": source["kind"]}
    if isinstance(source.get("date"), dt.date):
        cited["date"] = source["date"]
    else:
        cited["accessed"] = source["accessed"]
    if source.get("publisher"):
        cited["publisher"] = source["publisher"]
    original = source.get("copy_of")
    if original:
        if not original.get("publisher") or not original.get("title"):
            raise SourceError(f"source “{source['key']}” is a copy that does not name its original's "
                              "publisher and title")
        cited["copy_of"] = {key: original[key] for key in ("publisher", "title", "date") if original.get(key)}
    return cited


def source_day(source: dict) -> dt.date | None:
    """The day an update citing the source is dated: the page's own date, else the day the site
    read a page that gives none; None when the research gives neither as a day."""
    for key in ("date", "accessed"):
        if isinstance(source.get(key), dt.date):
            return source[key]
    return None


def _target(targets: dict, task_id: str, label: str, milestone: bool) -> dict:
    target = targets.get(label)
    if target is None or (target.get("kind") == "milestone") != milestone:
        kind = "milestone" if milestone else "number target"
        raise SourceError(f"task {task_id}: no {kind} labelled “{label}”; labels: {', '.join(targets)}")
    return target


def apply_outcome(task: dict, outcome: dict, source: dict) -> bool:
    """Add the outcome's update, actuals and milestones to the task; False when it is already there."""
    updates = task.get("updates") or []
    day = source_day(source)
    if any(isinstance(u.get("source"), dict) and u["source"].get("title") == source["title"]
           and u["date"] == day for u in updates):
        return False
    cited = structured_source(source)
    targets = {t["label"]: t for t in task.get("targets") or []}
    for actual in outcome.get("actuals") or []:
        target = _target(targets, task["id"], actual["label"], milestone=False)
        target.pop("searched", None)
        target.update(actual=actual.get("actual"), actual_date=actual.get("actual_date"), source=cited)
        if "achieved" in actual:
            target["achieved"] = actual["achieved"]
    for milestone in outcome.get("milestones") or []:
        target = _target(targets, task["id"], milestone["label"], milestone=True)
        target.pop("searched", None)
        target.update(achieved=milestone["achieved"], achieved_date=milestone.get("achieved_date"), source=cited)
    current = updates[-1]["status"] if updates else task["status"]
    updates.append({"date": day, "status": outcome.get("status") or current,
                    "note": outcome["note"].strip(), "source": cited})
    updates.sort(key=lambda u: u["date"])
    task["updates"] = updates
    task["status"] = updates[-1]["status"]
    return True


def mark_searched(task: dict, label: str, day: dt.date) -> bool:
    """Record that the target's outcome was looked for on `day` and not found."""
    target = {t["label"]: t for t in task.get("targets") or []}.get(label)
    if target is None:
        raise SourceError(f"task {task['id']}: no target labelled “{label}”")
    outcome = "achieved" if target.get("kind") == "milestone" else "actual"
    if target.get(outcome) is not None or target.get("achieved") is not None or target.get("searched") == day:
        return False
    target["searched"] = day
    return True


def apply_all(outcomes_file: Path, content: Path) -> tuple[dict[Path, str], list[str]]:
    """New text of every task file the outcomes change, and the outcomes skipped, with why."""
    text = read_text_file(outcomes_file, content, MAX_REGISTRY_BYTES)
    try:
        data = parse_yaml(text, str(outcomes_file)).data
    except HostileYaml as hostile:
        raise SourceError(f"{outcomes_file}:{hostile.line}: {hostile.en}") from None
    except yaml.YAMLError as error:
        raise SourceError(f"{outcomes_file}: {error}") from None
    sources = {s["key"]: s for s in data.get("sources") or []}
    tasks: dict[Path, dict] = {}
    changed: set[Path] = set()
    skipped = []

    def task_of(task_id: str) -> tuple[Path, dict]:
        path = task_path(content, task_id)
        if path not in tasks:
            tasks[path] = read_yaml(path, content, MAX_TASK_BYTES)
        return path, tasks[path]

    for outcome in data.get("outcomes") or []:
        source = sources[outcome["source"]]
        if source_day(source) is None:
            skipped.append(f"{outcome['task']}: source “{source['key']}” is dated “{source.get('date')}”, not a day,"
                           " and gives no day it was read (accessed)")
            continue
        path, task = task_of(outcome["task"])
        if apply_outcome(task, outcome, source):
            changed.add(path)
    searched = data.get("searched")
    if searched:
        for entry in searched["targets"]:
            path, task = task_of(entry["task"])
            if mark_searched(task, entry["label"], searched["date"]):
                changed.add(path)
    return {path: render_task(tasks[path]) for path in sorted(changed)}, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outcomes", type=Path)
    parser.add_argument("--content", type=Path, default=DEFAULT_CONTENT)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if files would change")
    args = parser.parse_args(argv)
    try:
        outputs, skipped = apply_all(args.outcomes, args.content)
    except SourceError as error:
        print(f"apply_outcomes: {error}", file=sys.stderr)
        return 2
    for line in skipped:
        print(f"skipped {line}", file=sys.stderr)
    if args.check:
        return 1 if outputs else 0
    try:
        write_files({path: text.encode("utf-8") for path, text in outputs.items()})
    except UsageError as error:
        print(f"apply_outcomes: {error.en}", file=sys.stderr)
        return 2
    print(f"apply_outcomes: {len(outputs)} task file(s) updated, {len(skipped)} outcome(s) skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
