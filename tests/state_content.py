"""A content tree that reaches every state the real content does not yet: every status, tasks
whose status changed several times, more status changes than the feed shows, targets met,
missed and overshot under every comparator, and markup-like text in every registry field.

The expectations the tests need (which task ends in which status, each target's share, the
newest status changes) are computed here from the plain data, never by the catalogue's code.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from catalogue.pipeline import PROJECT_ROOT

BASE_URL = "https://states.example.test/plan/"
FIRST = "no_information"
STATUS_CODES = ["no_information", "in_progress", "on_track", "lagging", "not_started", "partly_met", "completed",
                "missed", "ongoing", "not_reported"]
# Registry text that would become elements if a template or chart forgot to escape it. Custom
# element names (q-…) never occur in the real templates, so any such element is an injection.
MARK = {
    "site_title": "<q-site>公开目录&",
    "short_title": "<q-st>目录",
    "section": "<q-s{n}>推动创新\"'&，提速提效。",
    "subsection": "<q-ss{n}>强化支撑&'\"。",
    "leader": "<q-l{n}>领导",
    "unit": "<q-u{n}>单位&\"",
    "alias": "<q-a{n}>别名",
    "status": "<q-{n}>状",
    "meaning": "<q-m>含义</script>&",
}
TASKS_PER_SECTION = 36
SECTIONS = 3


def marked(kind: str, n: int | str = "") -> str:
    return MARK[kind].format(n=n)


@dataclass(frozen=True)
class TargetCase:
    comparator: str
    target: float
    actual: float | None

    @property
    def share(self) -> float | None:
        """Share of the target reached, as a reader reads a progress bar: 0 to 1."""
        if self.actual is None:
            return None
        return min(1.0, max(0.0, self.actual / self.target))


TARGET_CASES = [
    TargetCase("at_least", 100, 150),   # overshot
    TargetCase("at_least", 100, 40),    # short
    TargetCase("at_most", 10, 12),      # over a ceiling
    TargetCase("at_most", 10, 5),
    TargetCase("about", 2, 2),          # exactly at target
    TargetCase("exactly", 1500, 1500),
    TargetCase("at_least", 100, None),  # not reported
    TargetCase("at_least", 100, -5),    # below zero
]


def _updates(index: int, final: str) -> list[dict]:
    """Three dated updates, each on a day no other update shares: on_track, lagging, final."""
    day = dt.date(2021, 3, 1) + dt.timedelta(days=3 * index)
    return [{"date": day + dt.timedelta(days=step), "status": status, "note": f"第{step + 1}次报送。"}
            for step, status in enumerate(["on_track", "lagging", final])]


def tasks() -> list[dict]:
    found = []
    for index in range(SECTIONS * TASKS_PER_SECTION):
        section, number = divmod(index, TASKS_PER_SECTION)
        # The first status is only for a task without updates: the others end an update list.
        final = STATUS_CODES[1 + index % (len(STATUS_CODES) - 1)]
        # Every seventh task has no update at all and keeps the first status.
        updates = [] if index % 7 == 3 else _updates(index, final)
        case = TARGET_CASES[index % len(TARGET_CASES)]
        target = {"label": f"指标{index}", "target": case.target, "unit": "项", "comparator": case.comparator,
                  "actual": case.actual, "actual_date": dt.date(2021, 12, 31) if case.actual is not None else None}
        found.append({
            "id": f"{section + 1}-{number + 1}", "section": section + 1, "subsection": 1 + number % 2,
            "number": number + 1, "text": f"第{index}项任务<q-t>正文&“引号”。",
            "leaders": [marked("leader", 1 + index % 3)],
            "lead_units": [marked("unit", 1 + index % 2)],
            "responsible_units": [marked("alias", 3)] if index % 2 else [],
            "status": updates[-1]["status"] if updates else FIRST,
            **({"deadline": {"date": dt.date(2021, 12, 31), "source": {
                "title": "牵头单位报送的工作方案", "date": dt.date(2021, 3, 1), "kind": "lead_unit_submission"}}}
               if index % 5 == 0 else {}),
            "targets": [target],
            "updates": updates,
        })
    return found


def status_changes(all_tasks: list[dict]) -> list[tuple[str, dt.date, str]]:
    """(task id, date, new status) of every change, newest first."""
    changes = []
    for task in all_tasks:
        previous = FIRST
        for update in task["updates"]:
            if update["status"] != previous:
                changes.append((task["id"], update["date"], update["status"]))
            previous = update["status"]
    return sorted(changes, key=lambda change: change[1], reverse=True)


def registries() -> dict[str, object]:
    statuses = yaml.safe_load((PROJECT_ROOT / "content" / "statuses.yaml").read_text(encoding="utf-8"))
    for n, status in enumerate(statuses):
        status["label"] = marked("status", n)
        status["meaning"] = marked("meaning")
    assert [s["code"] for s in statuses] == STATUS_CODES
    site = yaml.safe_load((PROJECT_ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))
    site.update(title=marked("site_title"), short_title=marked("short_title"), base_url=BASE_URL,
                description=marked("site_title") + "说明")
    return {
        "site": site,
        "statuses": statuses,
        "leaders": [{"name": marked("leader", n), "slug": f"leader-{n}"} for n in (1, 2, 3)],
        "units": [
            {"name": marked("unit", 1), "slug": "unit-one", "kind": "provincial_department"},
            {"name": marked("unit", 2), "slug": "unit-two", "kind": "provincial_department",
             "aliases": [marked("alias", 2)]},
            {"name": marked("unit", 3), "slug": "unit-three", "kind": "city_government", "aliases": [marked("alias", 3)]},
            {"name": marked("unit", 4), "slug": "unit-four", "kind": "city_government"},
            {"name": marked("unit", 5), "slug": "unit-all", "kind": "collective",
             "members": [marked("unit", 3), marked("unit", 4)]},
        ],
        "sections": [
            {"number": s, "title": marked("section", s), "declared_count": TASKS_PER_SECTION,
             "subsections": [{"number": n, "title": marked("subsection", f"{s}{n}")} for n in (1, 2)]}
            for s in range(1, SECTIONS + 1)
        ],
        # 未报送 (not_reported) may be said only of a task a closed reporting round asked about:
        # one asked every unit that leads a task here.
        "rounds": [{"as_of": dt.date(2021, 12, 31), "sent": dt.date(2022, 1, 4), "due": dt.date(2022, 1, 15),
                    "closed": dt.date(2022, 1, 20), "units": [marked("unit", 1), marked("unit", 2)]}],
    }


def write_state_content(root: Path) -> Path:
    content = root / "content"
    (content / "tasks").mkdir(parents=True)
    for name, data in registries().items():
        (content / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")
    for task in tasks():
        section, number = task["id"].split("-")
        (content / "tasks" / f"{section}-{int(number):02d}.yaml").write_text(
            yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content
