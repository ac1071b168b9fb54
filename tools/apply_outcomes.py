"""Apply sourced 2021 outcomes (a research file) to content/tasks/ as dated updates.

Usage: python tools/apply_outcomes.py OUTCOMES.yaml [--content DIR] [--check]

OUTCOMES.yaml holds `sources:` (key, title, publisher, date, url, kind) and `outcomes:` (task,
source, note, status, actuals: [label, actual, actual_date]). Each outcome becomes one update
dated on its source's date, carrying the source's title, date, address and kind; the status
changes only where the outcome gives one; each listed actual is set on the target of that label,
with the same source. A source without a full date is skipped and named: a day is never guessed.
Running it twice changes nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_seed import DEFAULT_CONTENT, SourceError, render_task, task_path  # noqa: E402


def structured_source(source: dict) -> dict:
    return {"title": source["title"], "date": source["date"], "url": source["url"], "kind": source["kind"]}


def apply_outcome(task: dict, outcome: dict, source: dict) -> bool:
    """Add the outcome's update and actuals to the task; False when it is already there."""
    updates = task.get("updates") or []
    if any(isinstance(u.get("source"), dict) and u["source"].get("title") == source["title"]
           and u["date"] == source["date"] for u in updates):
        return False
    targets = {t["label"]: t for t in task.get("targets") or []}
    for actual in outcome.get("actuals") or []:
        target = targets.get(actual["label"])
        if target is None or target.get("kind") == "milestone":
            raise SourceError(f"task {task['id']}: no number target labelled “{actual['label']}”; "
                              f"labels: {', '.join(targets)}")
        target.update(actual=actual["actual"], actual_date=actual["actual_date"],
                      source=structured_source(source))
    current = updates[-1]["status"] if updates else task["status"]
    updates.append({"date": source["date"], "status": outcome.get("status") or current,
                    "note": outcome["note"].strip(), "source": structured_source(source)})
    updates.sort(key=lambda u: u["date"])
    task["updates"] = updates
    task["status"] = updates[-1]["status"]
    return True


def apply_all(outcomes_file: Path, content: Path) -> tuple[dict[Path, str], list[str]]:
    """New text of every task file the outcomes change, and the outcomes skipped, with why."""
    data = yaml.safe_load(outcomes_file.read_text(encoding="utf-8"))
    sources = {s["key"]: s for s in data["sources"]}
    changed: dict[Path, dict] = {}
    skipped = []
    for outcome in data["outcomes"]:
        source = sources[outcome["source"]]
        if not isinstance(source["date"], dt.date):
            skipped.append(f"{outcome['task']}: source “{source['key']}” is dated “{source['date']}”, not a day")
            continue
        path = task_path(content, outcome["task"])
        task = changed.get(path) or yaml.safe_load(path.read_text(encoding="utf-8"))
        if apply_outcome(task, outcome, source):
            changed[path] = task
    return {path: render_task(task) for path, task in changed.items()}, skipped


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
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8", newline="\n")
    print(f"apply_outcomes: {len(outputs)} task file(s) updated, {len(skipped)} outcome(s) skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
