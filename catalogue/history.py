"""What happened to each task: the status changes its dated updates record and, when content/ is
in a git checkout, the commits that changed its file.

A task starts the year at the first status of content/statuses.yaml (暂无进展信息); an update whose
status differs from the one in force before it is a status change. Only status changes go into
the feed; the task page shows the whole history.
"""
from __future__ import annotations

import datetime as dt
import operator
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .model import COMMIT, UPDATE, Catalogue, HistoryEntry, Status, Task

# The supervision office dates its reports in Beijing time; so are the commits' dates.
CHINA = dt.timezone(dt.timedelta(hours=8))

# One git command for every task file: records split by RS, fields by US. The committer date is
# when a change reached the repository (the author date may be older, and in another zone).
GIT_LOG = [
    "git", "-c", "core.quotePath=false", "-c", "log.showSignature=false",
    "log", "--no-color", "--relative", "--name-only", "--format=%x1e%H%x1f%cI%x1f%s", "--", "tasks",
]


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.date  # the day it was committed, in Beijing time
    subject: str


def beijing_date(timestamp: str) -> dt.date:
    """The Beijing day of a git ISO 8601 timestamp: 2021-10-08T20:30:00-05:00 -> 2021-10-09."""
    return dt.datetime.fromisoformat(timestamp).astimezone(CHINA).date()


def update_entries(task: Task, initial: Status) -> list[HistoryEntry]:
    """The task's updates as history entries, oldest first, each knowing the status before it."""
    entries = []
    previous = initial
    for update in task.updates:
        entries.append(HistoryEntry(UPDATE, update.date, update.note.strip(), update.source, update.status, previous))
        previous = update.status
    return entries


def git_commits(content_dir: Path) -> dict[str, list[Commit]] | None:
    """Commits that changed each task file, newest first, keyed by "tasks/1-05.yaml".

    None when git is missing or content_dir is not inside a git work tree.
    """
    try:
        result = subprocess.run(GIT_LOG, cwd=content_dir, capture_output=True, check=False)
    except OSError:
        return None
    if result.returncode != 0:
        return None
    commits: dict[str, list[Commit]] = defaultdict(list)
    for record in result.stdout.decode("utf-8", errors="replace").split("\x1e"):
        head, _, names = record.partition("\n")
        if not head.strip():
            continue
        sha, when, subject = head.split("\x1f", 2)
        commit = Commit(sha, beijing_date(when), subject.strip())
        for name in names.split():
            commits[name].append(commit)
    return dict(commits)


def task_history(task: Task, initial: Status, commits: list[Commit], repository: str) -> list[HistoryEntry]:
    """Updates and commits of one task, newest first; on one day the updates come first."""
    entries = update_entries(task, initial)
    entries.reverse()
    if commits:
        entries += [HistoryEntry(COMMIT, c.date, c.subject, f"{repository.rstrip('/')}/commit/{c.sha}")
                    for c in commits]
    entries.sort(key=_DATE, reverse=True)  # stable: entries of one day keep their order
    return entries


_DATE = operator.attrgetter("date")


def attach_history(catalogue: Catalogue, content_dir: Path) -> int | None:
    """Fill in task.history and task.status_changed; return how many commits git knew of,
    or None outside a git checkout."""
    commits = git_commits(Path(content_dir))
    return apply_history(catalogue, commits)


def apply_history(catalogue: Catalogue, commits: dict[str, list[Commit]] | None) -> int | None:
    """attach_history() with the commits already read (the preview reads them once)."""
    initial, repository, of_file = catalogue.statuses[0], catalogue.site.repository, commits or {}
    for task in catalogue.tasks:
        task.commits = of_file.get(task.file, [])
        task.history = task_history(task, initial, task.commits, repository)
        task.status_changed = next((e.date for e in task.history if e.changed), None)
    if commits is None:
        return None
    return len({c.sha for file_commits in commits.values() for c in file_commits})


@dataclass(frozen=True)
class StatusChange:
    task: Task
    entry: HistoryEntry


def status_changes(catalogue: Catalogue) -> list[StatusChange]:
    """Every status change of every task, newest first; on one day in catalogue order.

    Read from task.history, which attach_history() fills in.
    """
    changes = [
        StatusChange(task, entry)
        for task in catalogue.tasks
        for entry in task.history
        if entry.changed
    ]
    changes.sort(key=lambda change: change.task.sort_key())
    changes.sort(key=lambda change: change.entry.date, reverse=True)
    return changes
