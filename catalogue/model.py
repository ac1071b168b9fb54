"""The catalogue: tasks and the taxonomies that group them (section, leader, unit, status, subject).

Every object knows its own output `path` (relative to the site root, always ending in
`index.html` so that links also work when the site is opened from disk). Templates never
assemble URLs by hand.

Each thing of the catalogue (a task, a plan, a unit…) has an `identity` that tells it apart from
every other, build after build. What it holds that comes from the task files rather than from the
registries (the tasks filed under a unit, a plan's as-of date) is named in its `FROM_TASKS`: a
page that reads one of these is made again when it changes (catalogue/fingerprint.py).
"""
from __future__ import annotations

import contextlib
import functools
import itertools
import operator
import types

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Iterator, NamedTuple

from .schema import CITED, EVIDENCE_KINDS, ORIGINAL, SOURCE, SOURCE_KINDS, TIMEFRAMES

CHINESE_NUMERALS = "〇一二三四五六七八九十"

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


def zh_date(value: "dt.date | PartialDate | None") -> str:
    """2021年2月10日; a document dated by its year or month alone: 2022年, 2022年3月."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return f"{value.year}年" + (f"{value.month}月" if value.month else "")
    return f"{value.year}年{value.month}月{value.day}日"


@functools.lru_cache(maxsize=4096)  # the same few section numbers, asked for on every page
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


class PartialDate(NamedTuple):
    """A document's date as far as it is known: a year, or a year and a month. Never padded to
    a day that nobody stated (2022 is not 2022-01-01); a full date is a datetime.date."""

    year: int
    month: int | None = None

    def isoformat(self) -> str:
        """2022 or 2022-03: valid in a <time datetime> attribute."""
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)

    @property
    def last_day(self) -> dt.date:
        if self.month is None:
            return dt.date(self.year, 12, 31)
        following = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @classmethod
    def parse(cls, value) -> "DocumentDate | None":
        """A date as content writes it: a full date, a year (2022) or "2022-03"; None otherwise."""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and (match := _PARTIAL_DATE.fullmatch(value.strip())):
            year, month = int(match.group(1)), match.group(2)
            if month is None:
                return cls(year)
            if 1 <= int(month) <= 12:
                return cls(year, int(month))
        return None


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?")
DocumentDate = "dt.date | PartialDate"


def first_day(value) -> dt.date:
    """The first day a document's date can mean: the date itself, or its year's or month's first."""
    return value.first_day if isinstance(value, PartialDate) else value


def last_day(value) -> dt.date:
    """The last day a document's date can mean."""
    return value.last_day if isinstance(value, PartialDate) else value


def date_order(value) -> tuple[int, int, int]:
    """Sorts full and partial dates together: 2022 before 2022-03 before 2022-03-01."""
    if isinstance(value, PartialDate):
        return (value.year, value.month or 0, 0)
    return (value.year, value.month, value.day)


def zh_date(value: dt.date | PartialDate | None) -> str:
    """2021年2月10日; a document dated by its year or month alone: 2022年, 2022年3月."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return f"{value.year}年" + (f"{value.month}月" if value.month else "")
    return f"{value.year}年{value.month}月{value.day}日"


# The one source kind that is a lead unit's own report (报送): it alone may name the unit and
# the reporting round it answers, and only it is said to be 报送.
SUBMISSION = "lead_unit_submission"


@dataclass(eq=False)
class Site:
    title: str
    short_title: str
    source_title: str
    source_number: str
    source_date: "dt.date | PartialDate"
    as_of: "dt.date | PartialDate | None" = None  # the first plan's, set by the model builder
    description: str = ""
    base_url: str = ""        # empty: a local build, relative links only
    repository: str = ""      # empty: no editor links
    branch: str = "main"
    publisher: str = ""       # 主办单位; empty: the site says it is an unofficial compilation
    contact: str = ""
    report_error: str = ""    # 纠错: a mailto: or form address
    editor_auth: str = ""     # the service that signs editors in to GitHub for the form (admin/)
    unit_kinds: dict[str, str] = field(default_factory=dict)  # the first government's: code -> label
    search_examples: list[str] = field(default_factory=list)

    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"as_of"})  # the first plan's
    identity: ClassVar[str] = "site"

    def edit_url(self, content_file: str) -> str:
        """Link that opens a content file in the repository's web editor ('' without a repository)."""
        if not self.repository:
            return ""
        return f"{self.repository.rstrip('/')}/edit/{self.branch or 'main'}/content/{content_file}"

    @property
    def error_channel(self) -> str:
        """Where a reader reports an error: report_error, else the repository's issues."""
        if self.report_error:
            return self.report_error
        return f"{self.repository.rstrip('/')}/issues" if self.repository else ""

    def absolute(self, path: str) -> str:
        """Absolute URL of a site path, for canonical links, sitemaps and feeds ('' without a base URL)."""
        if not self.base_url:
            return ""
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        return self.base_url + path


@dataclass(frozen=True)
class Original:
    """The publication a cited page copies (转载): who first published it, under what title, when."""

    publisher: str
    title: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Cited:
    """A public source a lead unit names in its submission (出处): shown beside it, never as it."""

    title: str
    url: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Source:
    """Where a status, a figure or a deadline comes from. Older files give a bare URL: kind ''.
    A lead unit's submission names the unit as its publisher, and may name the reporting round it
    answers and the public source the unit cited."""

    url: str = ""
    title: str = ""
    date: dt.date | None = None
    kind: str = ""
    accessed: dt.date | None = None   # the day the site read a page that gives no date of its own
    publisher: str = ""               # who published the cited page; for a submission, the unit
    copy_of: Original | None = None   # the cited page is a copy of this publication
    round: dt.date | None = None      # a submission: the as-of date of the reporting round it answers
    cites: Cited | None = None        # a submission: the public source the unit named

    @property
    def kind_label(self) -> str:
        return SOURCE_KINDS.get(self.kind, "")

    @property
    def is_submission(self) -> bool:
        return self.kind == SUBMISSION

    @classmethod
    def parse(cls, value) -> "Source | None":
        if value is None:
            return None
        if isinstance(value, str):
            return cls(url=value)
        values = SOURCE.read(value)
        original = ORIGINAL.read(values["copy_of"]) if values["copy_of"] else None
        cites = CITED.read(values["cites"]) if values["cites"] else None
        return cls(url=values["url"], title=values["title"], date=values["date"], kind=values["kind"],
                   accessed=values["accessed"], publisher=values["publisher"],
                   copy_of=Original(original["publisher"], original["title"], original["date"]) if original else None,
                   round=values["round"], cites=Cited(cites["title"], cites["url"], cites["date"]) if cites else None)


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    source: Source


@dataclass(frozen=True)
class Timeframe:
    """The words that make a task longer than the year, found by the importer."""

    kind: str
    phrases: tuple[str, ...]

    @property
    def label(self) -> str:
        return TIMEFRAMES[self.kind]


@dataclass(frozen=True)
class Correction:
    """A passage of the task as published that differs from the scan (a correction), or that the
    scan has but may be misread (a doubt); both come from content/source/corrections.yaml."""

    task_id: str
    field: str
    passage: str      # as the page shows it
    original: str     # the scan's characters; '' for a doubt
    why: str
    evidence: str     # inference | outside_source
    evidence_url: str = ""
    is_doubt: bool = False
    number: int = 0   # position in corrections.yaml, from 1: stable anchors on both pages

    @property
    def anchor(self) -> str:
        return f"{'doubt' if self.is_doubt else 'correction'}-{self.number}"

    @property
    def reason(self) -> str:
        """The reason in Chinese: corrections.yaml adds an English gloss in brackets for maintainers."""
        return re.sub(r"（[^（）]*[A-Za-z]{3,}[^（）]*）(?=。?$)", "", self.why.strip())

    @property
    def evidence_label(self) -> str:
        return EVIDENCE_KINDS[self.evidence]


class _Indexed:
    """What has its own index of leaders and of units, under its `prefix` ('' for the site's first)."""

    prefix: str

    @property
    def leaders_path(self) -> str:
        return f"{self.prefix}leaders/index.html"

    @property
    def units_path(self) -> str:
        return f"{self.prefix}agencies/index.html"


@dataclass(eq=False)
class Government(_Indexed):
    """Whose plans they are: a government's leaders, units and kinds of units belong to it and
    to its plans alone (two governments' 省发展改革委 are two units). The first government's
    registries are the files at the top of content/, its pages at the site's first addresses;
    another's are in content/governments/<id>/, its pages under governments/<id>/."""

    id: str
    name: str
    short_name: str = ""
    first: bool = True
    order: int = 0
    unit_kinds: dict[str, str] = field(default_factory=dict)  # code -> label, in index order
    leaders: list[Leader] = field(default_factory=list, repr=False)
    units: list[Unit] = field(default_factory=list, repr=False)
    plans: list[Plan] = field(default_factory=list, repr=False)

    FROM_TASKS: ClassVar[frozenset[str]] = frozenset()

    @property
    def identity(self) -> str:
        return f"government:{self.id}"

    @property
    def prefix(self) -> str:
        return "" if self.first else f"governments/{self.id}/"

    @property
    def label(self) -> str:
        """How lists name it: its short name, else its name."""
        return self.short_name or self.name


@dataclass(eq=False)
class Plan(_Indexed):
    """One document: a year's division of one government's work plan, with its own sections,
    tasks and as-of date. The first plan (the files at the top of content/) keeps the site's
    first addresses; the others live under plans/<id>/."""

    id: str
    title: str
    short_title: str
    source_title: str
    source_number: str  # the document's number (文号); '' when it has none
    source_date: "dt.date | PartialDate"
    as_of: "dt.date | PartialDate"
    issuer: str = ""
    description: str = ""
    leader_label: str = "牵头领导"
    government: Government | None = field(default=None, repr=False)
    deadline_note: str = ""   # what a task without a deadline says; empty: the page says only that none is given
    source_access: str = ""   # whether the document is public, as the copy used shows it
    source_copy: str = ""     # where the site's copy of the document comes from
    first: bool = True
    order: int = 0  # position among the plans: the first plan 0
    sections: list[Section] = field(default_factory=list, repr=False)
    tasks: list[Task] = field(default_factory=list, repr=False)
    rounds: list[Round] = field(default_factory=list, repr=False)  # oldest first

    @property
    def prefix(self) -> str:
        return "" if self.first else f"plans/{self.id}/"

    # Its as-of date is its newest update's when that is later than plan.yaml's.
    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"tasks", "task_count", "as_of", "leaders", "units"})

    @property
    def identity(self) -> str:
        return f"plan:{self.id}"

    @property
    def task_count(self) -> int:
        """How many tasks it has, for a page that shows only that (another plan's home lists it)."""
        return len(self.tasks)

    @property
    def path(self) -> str:
        """The plan's own overview page."""
        return f"plans/{self.id}/index.html"

    @property
    def name(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        """How a sentence names the document: its number, else its title in 《》."""
        return self.source_number or f"《{self.source_title}》"

    @property
    def sections_path(self) -> str:
        return f"{self.prefix}sections/index.html"

    @property
    def statuses_path(self) -> str:
        return f"{self.prefix}status/index.html"

    def status_path(self, status: Status) -> str:
        return f"{self.prefix}status/{status.code}/index.html"

    @property
    def section_numeral(self) -> str:
        """八, 十二, 两: how many sections, as the documents count them (八个篇章, 两个篇章)."""
        count = len(self.sections)
        return "两" if count == 2 else chinese_numeral(count)

    def leaders(self) -> list[Leader]:
        """The leaders of this plan's tasks, in the registry's order."""
        if self._leaders is None:
            named = {leader for task in self.tasks for leader in task.leaders}
            self._leaders = sorted(named, key=self._registry_rank.__getitem__)
        return self._leaders

    # Set by the model builder: every leader's and unit's place in its registry, shared by the
    # plans. Each plan sorts its own few by it instead of walking the registry: 600 plans would
    # walk 3,000 units each. Looked up in C, by the things themselves (hashed by identity).
    _registry_rank: dict = field(default_factory=dict, repr=False, compare=False)
    _leaders: list | None = field(default=None, repr=False, compare=False)  # once the tasks are in
    _units: list | None = field(default=None, repr=False, compare=False)

    def units(self) -> list[Unit]:
        """The units this plan names (and the members of the collectives it names), in registry order."""
        if self._units is None:
            named = {unit for task in self.tasks for units in (task.lead_units, task.responsible_units) for unit in units}
            named |= {member for unit in named for member in unit.members}
            self._units = sorted(named, key=self._registry_rank.__getitem__)
        return self._units


@dataclass(eq=False)
class Status:
    code: str
    label: str
    color: str
    meaning: str
    order: int
    # A status saying a unit was asked and did not report (未报送): only for a task a reporting
    # round asked about, never for one nobody asked.
    needs_round: bool = False
    tasks: list[Task] = field(default_factory=list, repr=False)

    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"tasks"})

    @property
    def identity(self) -> str:
        return f"status:{self.code}"

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

    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"tasks"})

    @property
    def identity(self) -> str:
        return f"subsection:{self.section.plan.id if self.section.plan else ''}/{self.section.number}/{self.number}"

    @property
    def label(self) -> str:
        if len(self.section.subsections) == 1 and self.title == self.section.title:
            return self.title  # a section the document does not divide: no numeral it does not write
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
    plan: Plan | None = field(default=None, repr=False)

    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"tasks"})

    @property
    def identity(self) -> str:
        return f"section:{self.plan.id if self.plan else ''}/{self.number}"

    @property
    def label(self) -> str:
        return f"{self.numeral}、{self.title}"

    @property
    def name(self) -> str:
        return self.label

    @property
    def path(self) -> str:
        return f"{self.plan.prefix if self.plan else ''}sections/{self.number}/index.html"

    @property
    def key(self) -> str:
        """Tells sections apart across plans: the number in the first plan, else plan-number."""
        return str(self.number) if self.plan is None or self.plan.first else f"{self.plan.id}-{self.number}"

    def subsection(self, number: int) -> Subsection | None:
        return next((s for s in self.subsections if s.number == number), None)

    def sort_key(self) -> tuple[int, int]:
        """Its place in the catalogue: plan by plan, in each by number."""
        return (self.plan.order if self.plan else 0, self.number)


@dataclass(eq=False)
class Leader:
    name: str
    slug: str
    post: str = ""  # as of the first plan's date: 省长, 常务副省长, 副省长
    post_source: str = ""  # the page that states that post
    # Dated posts: (post, from, until or None), for leaders of more than one plan.
    posts: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list, repr=False)
    government: Government | None = field(default=None, repr=False)
    reviewed: bool = True  # False: written by the import, not yet checked by a maintainer

    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"tasks"})

    @property
    def identity(self) -> str:
        return f"leader:{self.government.id if self.government else ''}/{self.slug}"

    @property
    def path(self) -> str:
        return f"{self.government.prefix if self.government else ''}leaders/{self.slug}/index.html"

    def post_for(self, plan: Plan) -> str:
        """The post the leader held on the plan's date: a dated post that covers all of it (a
        date given as a year must fall wholly in the post), else `post` for the government's
        first plan (the one it was written for), else nothing."""
        start_of, end_of = first_day(plan.source_date), last_day(plan.source_date)
        for post, start, until in self.posts:
            if start <= start_of and (until is None or end_of <= until):
                return post
        own = self.government.plans[0] if self.government and self.government.plans else None
        return self.post if plan is own or (own is None and plan.first) else ""


@dataclass(eq=False)
class Subject:
    """A theme citizens recognise (养老, 看病, 上学), curated in content/subjects.yaml."""

    slug: str
    name: str
    synonyms: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list, repr=False)

    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"tasks", "task_count"})

    @property
    def identity(self) -> str:
        return f"subject:{self.slug}"

    @property
    def task_count(self) -> int:
        """How many tasks it has, for a page that shows only that: read as `tasks`, every edit
        to any of them made every plan's home page again."""
        return len(self.tasks)

    @property
    def path(self) -> str:
        return f"subjects/{self.slug}/index.html"


@dataclass(eq=False)
class Unit:
    name: str
    slug: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    # Abbreviations and common names (发改委): search finds the unit by them; task files do not
    # name it by them.
    short_names: list[str] = field(default_factory=list)
    kind_label: str = ""  # its government's unit_kinds
    government: Government | None = field(default=None, repr=False)
    reviewed: bool = True  # False: written by the import, not yet checked by a maintainer
    resembles: list[str] = field(default_factory=list)  # near spellings the import found in its registry
    members: list[Unit] = field(default_factory=list, repr=False)
    collectives: list[Unit] = field(default_factory=list, repr=False)
    led_tasks: list[Task] = field(default_factory=list, repr=False)
    co_tasks: list[Task] = field(default_factory=list, repr=False)
    # Tasks that reach this unit only through a collective it belongs to (各设区市政府).
    collective_tasks: list[Task] = field(default_factory=list, repr=False)

    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"led_tasks", "co_tasks", "collective_tasks", "all_tasks",
                                                      "tasks_in"})

    @property
    def identity(self) -> str:
        return f"unit:{self.government.id if self.government else ''}/{self.slug}"

    @property
    def path(self) -> str:
        return f"{self.government.prefix if self.government else ''}agencies/{self.slug}/index.html"

    @property
    def all_tasks(self) -> list[Task]:
        """Every task the unit leads or shares, directly or through a collective. Asked for once
        the model is built, by every plan's index the unit is on: made once, filed with the other
        lists by the model builder (model_builder._file_tasks), else sorted from them."""
        if self._all_tasks is None:
            # Tasks are hashed by identity: their ids repeat from plan to plan (1-1 of 2021 and 1-1 of 2022).
            self._all_tasks = sorted(dict.fromkeys(self.led_tasks + self.co_tasks + self.collective_tasks),
                                     key=_IN_ORDER)
        return self._all_tasks

    _all_tasks: list[Task] | None = field(default=None, repr=False, compare=False)

    def tasks_in(self, plan: Plan | None = None) -> UnitTasks:
        """The unit's tasks of one plan (of every plan for None), split once for all plans: a
        unit of 20 plans is asked about each, and filtering its lists each time grows as the
        square of the plans."""
        if plan is None:
            return UnitTasks(self.led_tasks, self.co_tasks, self.collective_tasks, self.all_tasks)
        if self._by_plan is None:
            split: dict[int, UnitTasks] = {}
            for kind, tasks in enumerate((self.led_tasks, self.co_tasks, self.collective_tasks, self.all_tasks)):
                # Filed plan by plan, so each plan's tasks come in one run; extend() keeps
                # them right should they not.
                for run_plan, run in itertools.groupby(tasks, key=_plan_of):
                    lists = split.get(id(run_plan))
                    if lists is None:
                        lists = split[id(run_plan)] = UnitTasks([], [], [], [])
                    lists[kind].extend(run)
            self._by_plan = split
        return self._by_plan.get(id(plan)) or UnitTasks([], [], [], [])

    _by_plan: dict | None = field(default=None, repr=False, compare=False)


_plan_of = operator.attrgetter("plan")


class UnitTasks(NamedTuple):
    led: list[Task]
    co: list[Task]
    collective: list[Task]  # through a collective the unit belongs to
    all: list[Task]


@dataclass
class Target:
    label: str
    target: float | None = None   # None for a milestone
    unit: str = ""
    comparator: str = "exactly"
    actual: float | None = None
    actual_date: dt.date | None = None
    kind: str = "number"          # number | milestone
    # A milestone: reached (True), not reached (False), unknown (None); a number target: the
    # editor's reading of the source, where the comparator cannot judge (左右).
    achieved: bool | None = None
    achieved_date: dt.date | None = None
    source: Source | None = None
    searched: dt.date | None = None  # the day the site looked for an outcome and found none
    year_end: dt.date | None = None  # the end of the plan's year: an outcome dated before it is interim

    @property
    def is_milestone(self) -> bool:
        return self.kind == "milestone"

    @property
    def outcome_date(self) -> dt.date | None:
        return self.achieved_date if self.is_milestone else self.actual_date

    @property
    def interim(self) -> bool:
        """A figure as of a day inside the plan's year (1—7月): progress, not the year's result.
        A target reached early is reached; one not yet reached by then may still be."""
        if self.year_end is None or self.outcome_date is None or self.outcome_date >= self.year_end:
            return False
        return not self.achieved

    @property
    def computed_verdict(self) -> bool | None:
        """Met or missed as the comparator reads the figure; None where it takes judgement (左右)."""
        if self.is_milestone or self.actual is None or self.target is None or self.comparator == "about":
            return None
        if self.comparator == "at_most":
            return self.actual <= self.target
        return self.actual >= self.target

    @property
    def verdict(self) -> bool | None:
        """Met (True), missed (False) or not known (None): never for an interim figure."""
        if self.interim:
            return None
        if self.achieved is not None:
            return self.achieved
        return self.computed_verdict

    @property
    def comparator_sign(self) -> str:
        return COMPARATORS[self.comparator]

    @property
    def progress(self) -> float | None:
        """Share of the target reached, 0..1, or None while no value is reported."""
        if self.is_milestone or self.actual is None or not self.target:
            return None
        return max(0.0, min(1.0, self.actual / self.target))


@dataclass
class Update:
    date: dt.date
    status: Status
    note: str
    source: Source | None = None


UPDATE, COMMIT = "update", "commit"  # the kinds of line in a task's history


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a task's history: a dated update or a commit that changed its file."""

    kind: str  # UPDATE or COMMIT
    date: dt.date
    text: str  # the update's note, or the commit's subject
    link: Source | str | None = None  # the update's Source, or the commit's address
    status: Status | None = None  # the status an update reports
    previous: Status | None = None  # the status in force before the update

    @property
    def changed(self) -> bool:
        """True for an update that moved the task to another status."""
        return self.kind == UPDATE and self.status is not self.previous


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
    targets: list[Target]
    updates: list[Update]
    file: str  # relative to the content folder, e.g. "tasks/1-05.yaml"
    deadline: Deadline | None = None
    timeframe: Timeframe | None = None
    corrections: list[Correction] = field(default_factory=list, repr=False)
    subjects: list[Subject] = field(default_factory=list)
    editor_title: str = ""  # the optional `title:` of the task file
    plan: Plan | None = field(default=None, repr=False)
    deadline_text: str = ""  # the plan's own 完成时限 column, as written
    # The lists the document ends with 等 (leaders, lead_units, responsible_units): shown after them.
    and_others: tuple[str, ...] = ()
    continues: Task | None = field(default=None, repr=False)  # the earlier plan's task it carries on
    continues_key: str = ""  # as the task file writes it: 2021/3-4
    continued_by: list[Task] = field(default_factory=list, repr=False)
    # Filled in by history.apply_history() during a build: the commits that changed its file
    # (history.Commit), newest first; then, made of those, its updates and the registries, its
    # history (updates and commits, newest first) and the date of the newest update that changed
    # the status.
    commits: list = field(default_factory=list, repr=False)
    history: list[HistoryEntry] = field(default_factory=list, repr=False)
    status_changed: dt.date | None = None
    asked: list[Asked] = field(default_factory=list, repr=False)  # by reporting rounds, oldest first

    # The rest of a task is its own file's, with what the model resolves it to; these are other files'.
    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"continues", "continued_by"})
    # What steps after the task is made from its file give it from elsewhere: other task files,
    # the rounds, the corrections, the commits of its file; and what a step makes of those, its
    # file and the registries alone. The rest is what its file's bytes and path make of it with the
    # registries (fingerprint.Fingerprints digests a task so; a test holds every other step to
    # leaving the rest as made, and to making MADE_OF_THE_REST of nothing else).
    FROM_OTHER_FILES: ClassVar[tuple[str, ...]] = ("continues", "continued_by", "commits", "asked", "corrections")
    MADE_OF_THE_REST: ClassVar[tuple[str, ...]] = ("history", "status_changed")

    @property
    def identity(self) -> str:
        return f"task:{self.key}"

    @property
    def path(self) -> str:
        return f"{self.plan.prefix if self.plan else ''}tasks/{self.id}/index.html"

    @property
    def key(self) -> str:
        """Unique across plans: 2021/1-5."""
        return f"{self.plan.id}/{self.id}" if self.plan else self.id

    @property
    def label(self) -> str:
        return f"{self.section.number}-{self.number}"

    @property
    def title(self) -> str:
        """The editor's title; until an editor writes one, the whole text: a title cut from the
        text by a rule stops mid-list and reads as broken Chinese."""
        return self.editor_title or self.text.rstrip("。")

    def sort_key(self) -> tuple[int, int, int]:
        return self.order

    @functools.cached_property
    def order(self) -> tuple[int, int, int]:
        """Its place among every plan's tasks, taken once: lists of tasks are sorted by it some
        150,000 times at 10,000 tasks, looked up in C (_IN_ORDER) once taken."""
        return (self.plan.order if self.plan else 0, self.section.number, self.number)

    @property
    def outcomes(self) -> Counter:
        """How its targets stand: met, missed, only an interim figure, a figure the source does not
        judge (unjudged), nothing found yet (unfound). The status rests on the targets only when
        every one is met or missed."""
        counts = Counter()
        for target in self.targets:
            if target.verdict is not None:
                counts["met" if target.verdict else "missed"] += 1
            elif target.interim:
                counts["interim"] += 1
            elif target.actual is not None:
                counts["unjudged"] += 1
            else:
                counts["unfound"] += 1
        return counts

    def sources(self) -> list[Source]:
        """Every source the task cites: its updates', its targets' and its deadline's."""
        found = [u.source for u in self.updates] + [t.source for t in self.targets]
        if self.deadline:
            found.append(self.deadline.source)
        return [source for source in found if source]

    @property
    def status_date(self) -> dt.date | None:
        """Date of the newest update, the day the current status was reported."""
        return self.updates[-1].date if self.updates else None


class Asked(NamedTuple):
    """One lead unit asked by a round about one task it leads, and the update that answered."""

    round: Round
    unit: Unit
    task: Task
    submission: Update | None

    @property
    def state(self) -> str:
        """submitted; missing once the office closed the round without it; else awaited."""
        if self.submission is not None:
            return SUBMITTED
        return MISSING if self.round.closed else AWAITED


SUBMITTED, MISSING, AWAITED = "submitted", "missing", "awaited"
# In the order pages count them; what each says is in templates/strings.yaml (asked): 未报送 only
# where a round asked and the office closed it without a report.
ASKED_STATES = (SUBMITTED, MISSING, AWAITED)


@dataclass(eq=False)
class Round:
    """A reporting round (content/rounds.yaml): the lead units an office asked for the progress
    of the tasks they lead in one plan, as of a day, due back by a day. Only a round lets the
    site say a unit did not report (未报送): of the tasks it asked about, once the office has
    closed it; a task no round asked about is never said to be unreported."""

    plan: Plan
    as_of: dt.date
    due: dt.date
    units: list[Unit]
    title: str = ""
    sent: dt.date | None = None
    closed: dt.date | None = None
    leader: Leader | None = None  # a round may ask only about one leader's tasks
    asked: list[Asked] = field(default_factory=list, repr=False)  # unit by unit, in task order
    _by_task: dict[int, list[Asked]] | None = field(default=None, repr=False)

    # Whom a round asks is rounds.yaml's; which tasks, and what answered, the task files'. What
    # of_task, task_state and counts say of a task is in that task's own `asked` (so in its
    # digest): only `asked` read whole reads every task the round asked about.
    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"asked"})

    @property
    def identity(self) -> str:
        return f"round:{self.path}"

    @property
    def path(self) -> str:
        return f"{self.plan.prefix}rounds/{self.as_of.isoformat()}/index.html"

    @property
    def name(self) -> str:
        return self.title or f"截至{zh_date(self.as_of)}的进展报送"

    def of_task(self, task: Task) -> list[Asked]:
        if self._by_task is None:  # a status page asks about each of its tasks
            self._by_task = {}
            for asked in self.asked:
                self._by_task.setdefault(id(asked.task), []).append(asked)
        return self._by_task.get(id(task), [])

    def task_state(self, task: Task) -> str | None:
        """A task's state in the round: submitted when any unit asked about it reported; None
        when the round did not ask about it."""
        states = {asked.state for asked in self.of_task(task)}
        if not states:
            return None
        return SUBMITTED if SUBMITTED in states else states.pop()

    def counts(self, tasks: list[Task]) -> dict[str, int]:
        """How many of these tasks are in each state (the tasks the round did not ask about left out)."""
        counted = dict.fromkeys(ASKED_STATES, 0)
        for task in tasks:
            state = self.task_state(task)
            if state:
                counted[state] += 1
        return counted


@dataclass(eq=False)
class Catalogue:
    site: Site
    sections: list[Section]
    leaders: list[Leader]
    units: list[Unit]
    statuses: list[Status]
    tasks: list[Task]
    corrections: list[Correction] = field(default_factory=list)  # filled in by attach_corrections()
    source_text: bytes | None = field(default=None, repr=False)  # the scan, published unchanged; likewise
    subjects: list[Subject] = field(default_factory=list)  # empty without content/subjects.yaml
    plans: list[Plan] = field(default_factory=list)  # the first plan first
    current_plan: Plan | None = None  # the one the home page opens on: site.yaml's choice
    governments: list[Government] = field(default_factory=list)  # the first government first
    rounds: list[Round] = field(default_factory=list)  # content/rounds.yaml, in its order
    _units_by_kind: dict = field(default_factory=dict, repr=False, compare=False)

    FROM_TASKS: ClassVar[frozenset[str]] = frozenset({"tasks", "cited_kinds", "recent_updates", "task"})
    identity: ClassVar[str] = "catalogue"

    @property
    def plans_listed(self) -> list[Plan]:
        """The plans as the home page lists them: the one it opens on first, the others newest first."""
        others = sorted((plan for plan in self.plans if plan is not self.current_plan),
                        key=lambda plan: (date_order(plan.source_date), -plan.order), reverse=True)
        return ([self.current_plan] if self.current_plan else []) + others

    @property
    def several_governments(self) -> bool:
        """Whether pages must say whose a plan, a leader or a unit is."""
        return len(self.governments) > 1

    def plan_for(self, page) -> Plan:
        """The plan a page belongs to, else the current plan."""
        return getattr(page, "plan", None) or self.current_plan

    @functools.cached_property
    def cited_kinds(self) -> list[str]:
        """The kinds of source the tasks cite, by their names in SOURCE_KINDS's order: where the
        site's progress information comes from (the footer names only those)."""
        cited = {source.kind for task in self.tasks for source in task.sources() if source.kind}
        return [name for kind, name in SOURCE_KINDS.items() if kind in cited]

    def recent_updates(self, limit: int = 8) -> list[tuple[Task, Update]]:
        """The newest dated updates of all tasks, newest first; ties in document order."""
        dated = [(task, update) for task in self.tasks for update in task.updates]
        dated.sort(key=lambda pair: pair[1].date, reverse=True)
        return dated[:limit]

    def task(self, task_id: str) -> Task:
        """A task by its id in the first plan, or by its key (2022/1-5) in any plan."""
        return next(t for t in self.tasks if t.key == task_id or (t.id == task_id and (t.plan is None or t.plan.first)))

    def unit(self, name: str, government: Government | None = None) -> Unit:
        """A unit by name or alias, in one government's registry (the first's when not given)."""
        units = (government or self.governments[0]).units if self.governments else self.units
        return next(u for u in units if u.name == name or name in u.aliases)

    def leader(self, name: str, government: Government | None = None) -> Leader:
        leaders = (government or self.governments[0]).leaders if self.governments else self.leaders
        return next(l for l in leaders if l.name == name)

    def status(self, code: str) -> Status:
        return next(s for s in self.statuses if s.code == code)

    def units_by_kind(self, government: Government | None = None) -> list[tuple[str, str, list[Unit]]]:
        """A government's units (the first's when not given) grouped by kind, in its kinds'
        order: (kind, label, units)."""
        government = government or (self.governments[0] if self.governments else None)
        key = government.id if government else ""
        if key not in self._units_by_kind:  # asked by each of its plans' indexes
            self._units_by_kind[key] = self.group_by_kind(government.units if government else self.units)
        return self._units_by_kind[key]

    def group_by_kind(self, units: list[Unit]) -> list[tuple[str, str, list[Unit]]]:
        """These units by kind, in the order of their government's kinds: (kind, label, units).
        Units of several governments are grouped government by government."""
        by_kind: dict[tuple[int, str], list[Unit]] = {}
        for unit in units:
            by_kind.setdefault((id(unit.government), unit.kind), []).append(unit)
        governments = {id(unit.government): unit.government for unit in units}
        groups = []
        for key, government in governments.items():
            kinds = government.unit_kinds if government is not None else self.site.unit_kinds
            groups += [(kind, label, by_kind[(key, kind)]) for kind, label in kinds.items() if (key, kind) in by_kind]
        return groups


_IN_ORDER = operator.attrgetter("order")  # Task.order, in C

# The things of the catalogue, each with an identity and its FROM_TASKS.
ENTITIES = (Catalogue, Site, Government, Plan, Section, Subsection, Leader, Unit, Status, Subject, Round, Task)


# --- what a reader of the model took from the task files ------------------------------------

# The reads being noted (noting_reads), innermost last.
_NOTING: list[set[tuple[object, str]]] = []


@contextlib.contextmanager
def noting_reads() -> Iterator[set[tuple[object, str]]]:
    """Every read of an attribute named in a FROM_TASKS, made inside the block by any code, as
    (thing, attribute): what the code made in it depends on beyond the registries. A read inside
    a block nested in this one is the inner block's only.

    The attributes are watched only while a block is open: outside, a read is Python's own,
    without a call into a watcher (some 450,000 reads at 10,000 tasks, a tenth of a second)."""
    reads: set[tuple[object, str]] = set()
    if not _NOTING:
        _watch_reads(True)
    _NOTING.append(reads)
    try:
        yield reads
    finally:
        _NOTING.pop()
        if not _NOTING:
            _watch_reads(False)


# Marks a read of a list of tasks (or of a tuple of such lists) by code that takes from them only
# which tasks they are and the status of each: how many there are, of which status, of which
# plans. It is digested by those alone (fingerprint.py): an index that counts a unit's tasks by
# status stays as it was when one of them is edited in its text, and is not made again.
STATUSES_ONLY = "#statuses"


def statuses_read(thing, attribute: str, *args):
    """thing.attribute, or what the method thing.attribute returns given `args`, noted as the read
    (thing, attribute + STATUSES_ONLY): for code that takes no more from the tasks than that."""
    return read_as(thing, attribute + STATUSES_ONLY,
                   lambda: getattr(thing, attribute)(*args) if args else getattr(thing, attribute))


def read_as(thing, read: str, value_of: Callable[[], object]):
    """value_of(), its own reads of the task files noted as the one read (thing, read): for code
    whose result depends on no more than that read's value (fingerprint.Fingerprints.value)."""
    if not _NOTING:
        return value_of()
    value = _unnoted(value_of)
    _NOTING[-1].add((thing, read))
    return value


def _unnoted(read: Callable, *args):
    """read(*args), its reads of the task files not noted: another read noted stands for them."""
    _NOTING.append(set())
    try:
        return read(*args)
    finally:
        _NOTING.pop()


class _FieldFromTasks:
    """A field of FROM_TASKS, kept in the instance as dataclasses keeps it, whose reads are noted."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, thing, owner=None):
        if thing is None:
            return self
        if _NOTING:  # another thread's read, as the block closes
            _NOTING[-1].add((thing, self.name))
        return thing.__dict__[self.name]

    def __set__(self, thing, value) -> None:
        thing.__dict__[self.name] = value


class _ComputedFromTasks:
    """A property or method of FROM_TASKS, whose reads are noted. The read stands for what it reads
    to work out its value, which is not noted: its value is digested whole (a method's, at its
    widest: fingerprint._read_value). Noted, those reads made what a family read hang on whether
    an earlier family had asked first (a property worked out once, catalogue.cited_kinds)."""

    def __init__(self, name: str, inner):
        self.name, self.inner = name, inner
        self.method = isinstance(inner, types.FunctionType)

    def __get__(self, thing, owner=None):
        if thing is None:
            return self.inner
        if not _NOTING:
            return self.inner.__get__(thing, owner)
        _NOTING[-1].add((thing, self.name))
        if self.method:
            return functools.partial(_unnoted, self.inner.__get__(thing, owner))
        return _unnoted(self.inner.__get__, thing, owner)

    def __set__(self, thing, value) -> None:
        self.inner.__set__(thing, value)


_ABSENT = object()


def _watchers(cls) -> list[tuple[str, object, object]]:
    """(attribute, what the class holds under it, the watcher that stands in for it while reads are noted)."""
    watchers = []
    for name in sorted(cls.FROM_TASKS):
        held = cls.__dict__.get(name, _ABSENT)
        if name in cls.__dataclass_fields__:
            watchers.append((name, held, _FieldFromTasks(name)))
        elif hasattr(held, "__get__"):
            watchers.append((name, held, _ComputedFromTasks(name, held)))
        else:
            raise TypeError(f"{cls.__name__}.FROM_TASKS names {name}, which it does not define")
    return watchers


_WATCHERS = [(cls, name, held, watcher) for cls in ENTITIES for name, held, watcher in _watchers(cls)]


def _watch_reads(on: bool) -> None:
    for cls, name, held, watcher in _WATCHERS:
        if on:
            setattr(cls, name, watcher)
        elif held is _ABSENT:
            delattr(cls, name)
        else:
            setattr(cls, name, held)
