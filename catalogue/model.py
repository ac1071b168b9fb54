"""The catalogue: tasks and the taxonomies that group them (section, leader, unit, status).

Every object knows its own output `path` (relative to the site root, always ending in
`index.html` so that links also work when the site is opened from disk). Templates never
assemble URLs by hand.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .history import HistoryEntry

CHINESE_NUMERALS = "〇一二三四五六七八九十"

UNIT_KINDS: dict[str, str] = {
    "provincial_department": "省直部门",
    "party_organ": "省委部门",
    "city_government": "设区市政府及赣江新区",
    "central_unit": "驻赣中央单位",
    "enterprise": "企业",
    "peoples_organisation": "人民团体",
    "coordination_body": "议事协调机构及其成员单位",
    "collective": "统称",
}

COMPARATORS: dict[str, str] = {
    "at_least": "≥",
    "about": "约",
    "at_most": "≤",
    "exactly": "",
}


def plain_number(value: float | int) -> str:
    """A number as the document writes it: 1500, 5658.6, 2500000 — never 1500.0 or 2.5e+06."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)).normalize(), "f")


def chinese_numeral(number: int) -> str:
    """Write a section or subsection number the way the document does: 十一, 二十, 一百一十, 一千零五."""
    if number <= 10:
        return CHINESE_NUMERALS[number]
    if number < 20:
        return "十" + CHINESE_NUMERALS[number - 10]
    if number >= 10_000:
        high, low = divmod(number, 10_000)
        rest = _below_ten_thousand(low) if low else ""
        return chinese_numeral(high) + "万" + ("零" if 0 < low < 1000 else "") + rest
    return _below_ten_thousand(number)


def _below_ten_thousand(number: int) -> str:
    """一千零五, 一百一十, 二十三: zeros between digits are said once (零), trailing zeros never."""
    digits, text, zero = str(number), "", False
    for position, digit in enumerate(digits):
        place = len(digits) - position - 1
        if digit == "0":
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += CHINESE_NUMERALS[int(digit)] + ("", "十", "百", "千")[place]
    return text


@dataclass
class Site:
    title: str
    short_title: str
    base_url: str
    as_of: dt.date
    repository: str
    branch: str
    source_title: str
    source_number: str
    source_date: dt.date
    description: str = ""

    def edit_url(self, content_file: str) -> str:
        """Link that opens a content file in the repository's web editor."""
        return f"{self.repository.rstrip('/')}/edit/{self.branch}/content/{content_file}"

    def absolute(self, path: str) -> str:
        """Absolute URL of a site path, for canonical links, sitemaps and feeds."""
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        return self.base_url + path


@dataclass(eq=False)
class Status:
    code: str
    label: str
    color: str
    meaning: str
    order: int
    tasks: list[Task] = field(default_factory=list, repr=False)

    @property
    def path(self) -> str:
        return f"status/{self.code}/index.html"

    @property
    def name(self) -> str:
        return self.label


class _Numbered:
    """Sections and subsections are numbered in Chinese numerals: 一、 and （一）."""

    number: int

    @property
    def numeral(self) -> str:
        return chinese_numeral(self.number)


@dataclass(eq=False)
class Subsection(_Numbered):
    section: Section = field(repr=False)
    number: int
    title: str
    tasks: list[Task] = field(default_factory=list, repr=False)

    @property
    def label(self) -> str:
        return f"（{self.numeral}）{self.title}"

    @property
    def anchor(self) -> str:
        return f"sub-{self.number}"


@dataclass(eq=False)
class Section(_Numbered):
    number: int
    title: str
    declared_count: int
    subsections: list[Subsection] = field(default_factory=list, repr=False)
    tasks: list[Task] = field(default_factory=list, repr=False)

    @property
    def label(self) -> str:
        return f"{self.numeral}、{self.title}"

    @property
    def name(self) -> str:
        return self.label

    @property
    def path(self) -> str:
        return f"sections/{self.number}/index.html"

    def subsection(self, number: int) -> Subsection | None:
        return next((s for s in self.subsections if s.number == number), None)


@dataclass(eq=False)
class Leader:
    name: str
    slug: str
    tasks: list[Task] = field(default_factory=list, repr=False)

    @property
    def path(self) -> str:
        return f"leaders/{self.slug}/index.html"


@dataclass(eq=False)
class Unit:
    name: str
    slug: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    members: list[Unit] = field(default_factory=list, repr=False)
    collectives: list[Unit] = field(default_factory=list, repr=False)
    led_tasks: list[Task] = field(default_factory=list, repr=False)
    co_tasks: list[Task] = field(default_factory=list, repr=False)
    # Tasks that reach this unit only through a collective it belongs to (各设区市政府).
    collective_tasks: list[Task] = field(default_factory=list, repr=False)

    @property
    def path(self) -> str:
        return f"agencies/{self.slug}/index.html"

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS[self.kind]

    @property
    def all_tasks(self) -> list[Task]:
        """Every task the unit leads or shares, directly or through a collective."""
        seen: dict[str, Task] = {}
        for task in self.led_tasks + self.co_tasks + self.collective_tasks:
            seen.setdefault(task.id, task)
        return sorted(seen.values(), key=Task.sort_key)


@dataclass
class Target:
    label: str
    target: float
    unit: str
    comparator: str = "exactly"
    actual: float | None = None
    actual_date: dt.date | None = None

    @property
    def comparator_sign(self) -> str:
        return COMPARATORS[self.comparator]

    @property
    def progress(self) -> float | None:
        """Share of the target reached, 0..1, or None while no value is reported."""
        if self.actual is None or not self.target:
            return None
        return max(0.0, min(1.0, self.actual / self.target))


@dataclass
class Update:
    date: dt.date
    status: Status
    note: str
    source: str | None = None


@dataclass(eq=False)
class Task:
    id: str
    section: Section = field(repr=False)
    subsection: Subsection = field(repr=False)
    number: int
    text: str
    leaders: list[Leader]
    lead_units: list[Unit]
    responsible_units: list[Unit]
    status: Status
    deadline: dt.date
    targets: list[Target]
    updates: list[Update]
    file: str  # relative to the content folder, e.g. "tasks/1-05.yaml"
    # Filled in by history.attach_history() during a build: updates and commits, newest first,
    # and the date of the newest update that changed the status.
    history: list[HistoryEntry] = field(default_factory=list, repr=False)
    status_changed: dt.date | None = None

    @property
    def path(self) -> str:
        return f"tasks/{self.id}/index.html"

    @property
    def label(self) -> str:
        return f"{self.section.number}-{self.number}"

    def sort_key(self) -> tuple[int, int]:
        return (self.section.number, self.number)

    @property
    def status_date(self) -> dt.date | None:
        """Date of the newest update, the day the current status was reported."""
        return self.updates[-1].date if self.updates else None


@dataclass
class Catalogue:
    site: Site
    sections: list[Section]
    leaders: list[Leader]
    units: list[Unit]
    statuses: list[Status]
    tasks: list[Task]

    def task(self, task_id: str) -> Task:
        return next(t for t in self.tasks if t.id == task_id)

    def unit(self, name: str) -> Unit:
        return next(u for u in self.units if u.name == name or name in u.aliases)

    def leader(self, name: str) -> Leader:
        return next(l for l in self.leaders if l.name == name)

    def status(self, code: str) -> Status:
        return next(s for s in self.statuses if s.code == code)

    def units_by_kind(self) -> list[tuple[str, str, list[Unit]]]:
        """Units grouped by kind, in the registry's kind order: (kind, label, units)."""
        groups = []
        for kind, label in UNIT_KINDS.items():
            members = [u for u in self.units if u.kind == kind]
            if members:
                groups.append((kind, label, members))
        return groups
