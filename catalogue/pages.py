"""Every page of the site: its path, its template and the context the template reads as `page`.

A page's context is one of the dataclasses below, made from the catalogue by the functions that
follow; `page_families` lists every page, in a stable order, in the families the build makes them in
(`all_pages`, the same pages in one list). Two templates serve all the taxonomies
(Hugo's idea): taxonomy.html lists the terms of one taxonomy with their counts, term.html lists one
term's tasks in groups. Rendering is render.py's; the Jinja environment is templating.py's.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable

from . import charts
from .corrections import SOURCE_PATH
from .exports import COLUMNS, _csv_text, task_record
from .model import (Asked, Catalogue, Government, Leader, Plan, Round, Section, Status, Subject, Task, Unit, UnitTasks,
                    statuses_read, zh_date)
from .strings import Strings

ADMIN_PATH = "admin/index.html"  # the editor form (catalogue/admin.py): no public page links to it


# --- page contexts -------------------------------------------------------------------------

@dataclass(frozen=True)
class Crumb:
    label: str
    path: str | None = None  # None: the current page


@dataclass
class Page:
    """What every template may read as `page`, whatever its kind."""

    path: str
    template: str
    title: str                     # the <title> and <h1>
    description: str               # meta description and Open Graph
    nav: str                       # which header link is current: home, sections, leaders, …
    crumbs: list[Crumb] = field(default_factory=list)
    in_sitemap: bool = True
    # When a list fills more than one page: (number, path) of every page, and this one's.
    pagination: list[tuple[int, str]] = field(default_factory=list)
    page_number: int = 1
    plan: Plan | None = None  # None: a page of every plan (leaders, units, subjects, data, search)
    government: Government | None = None  # a page of one government's registries: its leader, unit or index


@dataclass
class TaskGroup:
    """A heading and its tasks on a term page; `key` is the group's anchor and data-group."""

    key: str
    heading: str
    tasks: list[Task]
    note: str = ""


@dataclass
class TermEntry:
    """One term on a taxonomy page: its name, its page, how many tasks it has and how many of
    each status (in the registry's order: charts.status_tally), and a line about it. The counts,
    not the tasks: an index page's context is what it shows, so a task's text edited leaves it as
    it was, and it is not made again (term_entry)."""

    name: str
    path: str
    tally: tuple[int, ...]
    note: str = ""
    color: str | None = None

    @property
    def count(self) -> int:
        """How many tasks: each has one status of the registry."""
        return sum(self.tally)


def term_entry(catalogue: Catalogue, name: str, path: str, tasks: list[Task], note: str = "",
               color: str | None = None) -> TermEntry:
    return TermEntry(name, path, charts.status_tally(tasks, catalogue.statuses), note, color)


@dataclass
class TermGroup:
    key: str
    heading: str
    terms: list[TermEntry]


@dataclass
class HomePage(Page):
    plans: list[Plan] = field(default_factory=list)  # every plan, newest first, when there are several
    recent: list = field(default_factory=list)  # (task, update), newest first
    slices: list[charts.Slice] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)  # those the page lists and charts
    other_tasks: list[Task] = field(default_factory=list)  # the tasks of the sections it leaves out


@dataclass
class TaxonomyPage(Page):
    """The index of a taxonomy: leaders, units (grouped by kind), statuses or sections."""

    intro: str = ""
    groups: list[TermGroup] = field(default_factory=list)


@dataclass
class TermPage(Page):
    """One leader, unit, status or section and its tasks, in groups."""

    kind: str = ""                 # what the term is: a leader, a kind of unit, a status, a section
    intro: str = ""
    term: Leader | Unit | Status | Section | None = None
    tasks: list[Task] = field(default_factory=list)
    groups: list[TaskGroup] = field(default_factory=list)
    related: list[tuple[str, list[Unit]]] = field(default_factory=list)  # (a label, [Unit, …])
    chart: Chart | None = None
    previous: Section | None = None  # neighbouring sections, on section pages
    next: Section | None = None
    empty_note: str = ""  # what a term with no task says instead of a list
    rounds: list[RoundCount] = field(default_factory=list)  # a status page: its tasks in each reporting round


@dataclass(frozen=True)
class RoundCount:
    """How some tasks stand in one reporting round: so many in each state, so many it did not ask about."""

    round: Round
    counts: dict[str, int]
    not_asked: int

    @property
    def parts(self) -> list[tuple[str, int]]:
        """(submitted, 3), (missing, 1): the states some of the tasks are in, in ASKED_STATES order."""
        return [(state, count) for state, count in self.counts.items() if count]


def round_count(round_: Round, tasks: list[Task]) -> RoundCount:
    counts = round_.counts(tasks)
    return RoundCount(round_, counts, len(tasks) - sum(counts.values()))


def round_counts(plan: Plan, tasks: list[Task]) -> list[RoundCount]:
    """For each reporting round of the plan that asked about any of these tasks: their states."""
    return [count for count in (round_count(round_, tasks) for round_ in plan.rounds)
            if count.not_asked < len(tasks)]


@dataclass
class RoundPage(Page):
    """One reporting round: the units asked, each with its tasks and whether it reported them."""

    round: Round | None = None
    units: list[tuple[Unit, list[Asked], int]] = field(default_factory=list)  # (unit, its tasks, how many reported)
    count: RoundCount | None = None


@dataclass
class TaskPage(Page):
    task: Task | None = None
    status_date: dt.date | None = None
    previous: Task | None = None
    next: Task | None = None
    edit_url: str = ""


@dataclass
class DataPage(Page):
    # How many tasks the files hold, not the tasks: the page is not made again when a task changes.
    task_count: int = 0
    fields: tuple = ()
    examples: dict[str, str] = field(default_factory=dict)  # field name -> a value from a real task
    files: list[tuple[str, str, str]] = field(default_factory=list)  # (path, label, format)


@dataclass(frozen=True)
class Chart:
    """A term page's stacked bar of its tasks by status and the summary beside it, drawn by its
    template (`stacked_bar`, `status_summary_of`): the count of its tasks by status in the
    registry's order (charts.status_tally), made once with the page and shared by every page of a
    long list (paginate), where the bar and the summary each counted the term's tasks on every page."""

    id: str
    title: str
    tally: tuple[int, ...]


def chart(catalogue: Catalogue, chart_id: str, title: str, tasks: list[Task]) -> Chart:
    return Chart(chart_id, title, charts.status_tally(tasks, catalogue.statuses))


# --- the pages -----------------------------------------------------------------------------

# The home page lists, charts and tabulates each section: past this many (a catalogue of many
# plans) it shows the first ones and sums up the rest, which the sections index lists, so that
# it stays small (6 MB at 100,000 tasks otherwise).
HOME_SECTIONS = 60
# A plan's own home lists every plan up to this many; past it, only the site's home does, and
# the plan's points to it (600 plans listed on 600 homes was 110 MB).
PLANS_LISTED = 12


def home_crumb(say: Strings) -> Crumb:
    return Crumb(say("crumb.home"), "index.html")


def home_page(catalogue: Catalogue, say: Strings, plan: Plan | None = None, path: str = "index.html") -> HomePage:
    """The home page (the current plan, and the list of plans), or one plan's overview."""
    site = catalogue.site
    plan = plan or catalogue.current_plan
    slices = charts.status_counts(plan.tasks, catalogue.statuses)
    shown = plan.sections[:HOME_SECTIONS]
    several = len(catalogue.plans) > 1
    dated = sorted(((task, update) for task in plan.tasks for update in task.updates),
                   key=lambda pair: pair[1].date, reverse=True)
    return HomePage(
        path=path, template="home.html", title=site.title if path == "index.html" else plan.title, nav="home",
        description=(plan.description or site.description if not several else plan.description) or say(
            "home.description", reference=plan.reference, count=len(plan.tasks), as_of=zh_date(plan.as_of)),
        crumbs=[] if path == "index.html" else [home_crumb(say), Crumb(plan.title)],
        plan=plan, plans=catalogue.plans_listed if several and (
            path == "index.html" or len(catalogue.plans) <= PLANS_LISTED) else [], recent=dated[:8],
        slices=slices, sections=shown,
        other_tasks=[task for section in plan.sections[HOME_SECTIONS:] for task in section.tasks],
    )


def _count_note(unit: Unit, tasks: UnitTasks, say: Strings) -> str:
    """牵头 3 项，参与 5 项，作为“各设区市政府”之一 134 项: of the unit's `tasks` (one plan's, or all)."""
    led, co, via, _ = tasks
    parts = [say("units.led", count=len(led))] if led else []
    parts += [say("units.co", count=len(co))] if co else []
    if via:
        names = say.join(say("quoted", name=c.name) for c in unit.collectives)
        parts.append(say("units.via", names=names, count=len(via)))
    return say.join(parts, "clauses")


def _plan_crumbs(catalogue: Catalogue, say: Strings, plan: Plan | None) -> list[Crumb]:
    """首页 › the plan, when the site holds several; named with its government's when it holds
    several governments' plans."""
    if plan is None or len(catalogue.plans) < 2:
        return [home_crumb(say)]
    whose = _whose(catalogue, plan.government)
    label = say("both", first=plan.government.label, second=plan.short_title) if whose else plan.short_title
    return [home_crumb(say), Crumb(label, plan.path)]


def _kind_summary(by_kind: list[tuple[str, str, list[Unit]]], say: Strings) -> str:
    """省直部门、设区市政府和其他单位: the two largest kinds, from the registry's own labels."""
    counts = [(label, len(members)) for kind, label, members in by_kind]
    labels = [label for label, _ in sorted(counts, key=lambda pair: -pair[1])[:2]]
    return say.join(labels) + (say("units.other_kinds") if len(counts) > 2 else "")


def _by_status(tasks: list[Task]) -> dict[int, list[Task]]:
    """A plan's tasks by status (its id), in document order: from the plan's own tasks, not by
    filtering each status's tasks of every plan (100,000 of them, for each of 600 plans)."""
    grouped: dict[int, list[Task]] = {}
    for task in tasks:
        grouped.setdefault(id(task.status), []).append(task)
    return grouped


def _plan_tasks(tasks: list[Task], plan: Plan | None) -> list[Task]:
    return tasks if plan is None else [task for task in tasks if task.plan is plan]


def plans_of(tasks: list[Task]) -> list[Plan]:
    """The plans these tasks belong to, in the catalogue's order; in one pass over the tasks,
    not one per plan (600 plans at 100,000 tasks), and in C: each page of every plan asks."""
    plans = list(map(_PLAN, tasks))
    return sorted(dict(zip(map(id, plans), plans)).values(), key=_ORDER)


_PLAN, _ORDER = attrgetter("plan"), attrgetter("order")


def tasks_by_plan(tasks: list[Task]) -> list[tuple[Plan, list[Task]]]:
    """These tasks split by plan, each list in the given order, the plans in the catalogue's."""
    split: dict[int, list[Task]] = {}
    for task in tasks:
        split.setdefault(id(task.plan), []).append(task)
    return [(plan, split[id(plan)]) for plan in plans_of(tasks)]


def taxonomy_pages(catalogue: Catalogue, say: Strings, plan: Plan | None = None) -> list[TaxonomyPage]:
    """The four index pages of one plan, one template. The first plan's leaders and units
    indexes are its government's (every plan of it, at the site's first addresses); another
    plan's list its own."""
    plan = plan or catalogue.plans[0]
    crumbs = _plan_crumbs(catalogue, say, plan)
    # Indexes of counts: what they take from the tasks is which they are and their statuses.
    by_status = _by_status(statuses_read(plan, "tasks"))
    sections = TaxonomyPage(
        path=plan.sections_path, template="taxonomy.html", title=say("sections.title"), nav="sections",
        description=say("sections.description", plan=plan.title, count=plan.section_numeral),
        crumbs=crumbs + [Crumb(say("crumb.sections"))], plan=plan,
        intro=say("sections.intro", reference=plan.reference),
        groups=[TermGroup("sections", "", [
            term_entry(catalogue, s.label, s.path, statuses_read(s, "tasks"), say("sections.entry", count=len(s.subsections)))
            for s in plan.sections
        ])],
    )
    if plan.first:
        registries = government_indexes(catalogue, say, plan.government)
    else:
        registries = _registry_indexes(catalogue, say, plan.leaders(), catalogue.group_by_kind(plan.units()), plan,
                                       plan.leaders_path, plan.units_path, crumbs, plan.leader_label)
    statuses = TaxonomyPage(
        path=plan.statuses_path, template="taxonomy.html", title=say("statuses.title"), nav="status",
        description=say("statuses.description", as_of=zh_date(plan.as_of)),
        crumbs=crumbs + [Crumb(say("crumb.statuses"))], plan=plan,
        intro=say("statuses.intro", evidence=say.evidence(catalogue.cited_kinds), as_of=zh_date(plan.as_of)),
        groups=[TermGroup("statuses", say("statuses.group") if plan.rounds else "", [
            term_entry(catalogue, s.label, plan.status_path(s), by_status.get(id(s), []), s.meaning, s.color)
            for s in catalogue.statuses
        ])] + ([TermGroup("rounds", say("statuses.rounds"), [
            term_entry(catalogue, r.name, r.path, _asked_tasks(r), _round_note(r, say)) for r in reversed(plan.rounds)
        ])] if plan.rounds else []),
    )
    return [sections, *registries, statuses]


def _asked_tasks(round_: Round) -> list[Task]:
    """The tasks a round asked about, each once (a task of two lead units is asked of both)."""
    return list({id(asked.task): asked.task for asked in round_.asked}.values())


def _round_note(round_: Round, say: Strings) -> str:
    """报送截止2022年1月15日；已报送 40 项，未报送 2 项."""
    count = round_count(round_, _asked_tasks(round_))
    return say("round.note", due=zh_date(round_.due),
               counts=say.join((say("round.count", state=say(f"asked.{state}"), count=n) for state, n in count.parts),
                                "clauses"))


def government_indexes(catalogue: Catalogue, say: Strings, government: Government) -> list[TaxonomyPage]:
    """A government's index of leaders and of units, with the tasks of every plan of it."""
    label = government.plans[0].leader_label if government.plans else say("leaders.label")
    pages = _registry_indexes(catalogue, say, government.leaders, catalogue.units_by_kind(government), None,
                              government.leaders_path, government.units_path, [home_crumb(say)], label)
    if catalogue.several_governments:
        for page in pages:
            page.title = say("of_government", government=government.name, title=page.title)
            page.crumbs[-1] = Crumb(say("crumb.registry", government=government.label, label=page.crumbs[-1].label))
    for page in pages:
        page.government = government
    return pages


def _registry_indexes(catalogue: Catalogue, say: Strings, leaders: list[Leader], by_kind: list, scope: Plan | None,
                      leaders_path: str, units_path: str, crumbs: list[Crumb], leader_label: str) -> list[TaxonomyPage]:
    """The index of leaders and of units of one plan (`scope`), or of a government (None)."""
    leader_index = TaxonomyPage(
        path=leaders_path, template="taxonomy.html", title=say("leaders.title"), nav="leaders",
        description=say("leaders.description", label=leader_label),
        crumbs=crumbs + [Crumb(say("crumb.leaders"))], plan=scope,
        intro=say("leaders.intro", label=leader_label),
        groups=[TermGroup("leaders", "", [_leader_entry(catalogue, say, leader, scope) for leader in leaders])],
    )
    unit_index = TaxonomyPage(
        path=units_path, template="taxonomy.html", title=say("units.title"), nav="units",
        description=say("units.description", kinds=_kind_summary(by_kind, say)),
        crumbs=crumbs + [Crumb(say("crumb.units"))], plan=scope,
        intro=say("units.intro"),
        groups=[
            TermGroup(kind, label, [_unit_entry(catalogue, say, unit, scope) for unit in members])
            for kind, label, members in by_kind
        ],
    )
    return [leader_index, unit_index]


def _leader_entry(catalogue: Catalogue, say: Strings, leader: Leader, scope: Plan | None) -> TermEntry:
    """A leader on an index (of one plan, or of every plan for None): counts and posts."""
    tasks = statuses_read(leader, "tasks")
    return term_entry(catalogue, leader.name, leader.path, _plan_tasks(tasks, scope),
                      _post_note(catalogue, say, leader, tasks, scope))


def _unit_entry(catalogue: Catalogue, say: Strings, unit: Unit, scope: Plan | None) -> TermEntry:
    """A unit on an index (of one plan, or of every plan for None): counts."""
    tasks = statuses_read(unit, "tasks_in", scope)
    return term_entry(catalogue, unit.name, unit.path, tasks.all, _count_note(unit, tasks, say))


def _post_note(catalogue: Catalogue, say: Strings, leader: Leader, tasks: list[Task], plan: Plan | None) -> str:
    """副省长, or for several plans 2021年…：副省长；2022年…：省长 (the plans of the leader's `tasks`)."""
    if len(catalogue.plans) < 2:
        return say("leader.post", post=leader.post) if leader.post else ""
    plans = [plan] if plan else plans_of(tasks)
    posts = [(p, leader.post_for(p)) for p in plans]
    if plan:
        return posts[0][1]
    return say.join((say("leader.plan_post", plan=p.short_title, post=post) for p, post in posts if post), "items")


def subject_taxonomy_page(catalogue: Catalogue, say: Strings) -> TaxonomyPage:
    """The index of subjects: themes citizens recognise, with the words they may type."""
    return TaxonomyPage(
        path="subjects/index.html", template="taxonomy.html", title=say("subjects.title"), nav="subjects",
        description=say("subjects.description"),
        crumbs=[home_crumb(say), Crumb(say("crumb.subjects"))],
        intro=say("subjects.intro"),
        groups=[TermGroup("subjects", "", [
            term_entry(catalogue, s.name, s.path, statuses_read(s, "tasks"), _synonyms_note(s.synonyms, say))
            for s in catalogue.subjects
        ])],
    )


def _synonyms_note(synonyms: list[str], say: Strings) -> str:
    return say("subjects.synonyms", synonyms=say.join(synonyms)) if synonyms else ""


def subject_page(catalogue: Catalogue, say: Strings, subject: Subject) -> TermPage:
    several = len(catalogue.plans) > 1
    by_section: dict[int, list[Task]] = {}
    for t in subject.tasks:  # one pass, not one per section of the catalogue
        by_section.setdefault(id(t.section), []).append(t)
    groups = [TaskGroup(f"section-{section.number}" if section.plan.first else f"{section.plan.id}-section-{section.number}",
                        say("both", first=section.plan.short_title, second=section.label) if several else section.label,
                        by_section.get(id(section), []))
              for section in catalogue.sections if id(section) in by_section]
    count = len(subject.tasks)
    return TermPage(
        path=subject.path, template="term.html", title=subject.name, nav="subjects",
        description=say("subject.description", name=subject.name, count=count),
        crumbs=[home_crumb(say), Crumb(say("crumb.subjects"), "subjects/index.html"), Crumb(subject.name)],
        kind=say("subject.kind"), term=subject, tasks=subject.tasks,
        intro=say("subject.intro", name=subject.name, count=count) + (
            say("subject.synonyms", synonyms=say.join(subject.synonyms)) if subject.synonyms else ""),
        groups=[g for g in groups if g.tasks], empty_note=say("term.empty"),
        chart=chart(catalogue, f"chart-{subject.slug}", say("subject.chart", name=subject.name), subject.tasks)
        if subject.tasks else None,
    )


def _neighbours(items: list, index: int) -> tuple[Any, Any]:
    return (items[index - 1] if index > 0 else None,
            items[index + 1] if index + 1 < len(items) else None)


def section_pages(catalogue: Catalogue, say: Strings, plan: Plan | None = None) -> list[TermPage]:
    plan = plan or catalogue.plans[0]
    pages = []
    for index, section in enumerate(plan.sections):
        previous, next_ = _neighbours(plan.sections, index)
        count = len(section.tasks)
        pages.append(TermPage(
            path=section.path, template="term.html", title=section.label, nav="sections",
            description=say("section.description", numeral=section.numeral, title=section.title, count=count),
            crumbs=_plan_crumbs(catalogue, say, plan) + [Crumb(say("crumb.sections"), plan.sections_path),
                                                         Crumb(charts.short_label(section))],
            kind=say("section.kind"), term=section, tasks=section.tasks, plan=plan,
            intro=say("section.intro", count=count, subsections=len(section.subsections)),
            groups=[TaskGroup(sub.anchor, sub.label, sub.tasks) for sub in section.subsections],
            chart=chart(catalogue, f"chart-{section.number}", say("section.chart", numeral=section.numeral),
                        section.tasks),
            previous=previous, next=next_, empty_note=say("term.empty"),
        ))
    return pages


def leader_page(catalogue: Catalogue, say: Strings, leader: Leader) -> TermPage:
    """A leader's page, with the tasks of every plan, grouped by plan when there are several."""
    first = catalogue.plans[0]
    several = len(catalogue.plans) > 1
    government = leader.government
    if several:
        groups = [TaskGroup(f"plan-{plan.id}", plan.title, tasks,
                            say("leader.group_post", post=post) if (post := leader.post_for(plan)) else "")
                  for plan, tasks in tasks_by_plan(leader.tasks)]
        kind = say("leaders.label")
    else:
        groups = [TaskGroup("led", say("leader.group"), leader.tasks)]
        kind = (say("both", first=first.leader_label, second=say("leader.post", post=leader.post)) if leader.post
                else first.leader_label)
    whose = _whose(catalogue, government)
    count = len(leader.tasks)
    return TermPage(
        path=leader.path, template="term.html", title=leader.name, nav="leaders",
        description=say("leader.description", whose=whose, name=leader.name, count=count),
        crumbs=[home_crumb(say), _registry_crumb(catalogue, say, government, say("crumb.leaders"), "leaders_path"),
                Crumb(leader.name)],
        kind=say("both", first=government.name, second=kind) if whose else kind, term=leader, tasks=leader.tasks,
        government=government,
        intro=(say("leader.intro_plans", name=leader.name, count=count, plans=len(groups)) if several
               else say("leader.intro", name=leader.name, count=count)) + _review_note(leader, say),
        groups=groups, empty_note=say("term.empty"),
        chart=chart(catalogue, f"chart-{leader.slug}", say("leader.chart", name=leader.name), leader.tasks),
    )


def unit_groups(unit: Unit, say: Strings, plan: Plan | None = None, several: bool = False) -> list[TaskGroup]:
    """The tasks a unit leads, those it shares, and those that reach it through a collective;
    with several plans, those of one plan, under headings that name it."""
    key = f"{plan.id}-" if several else ""

    def heading(text: str) -> str:
        return say("unit.of_plan", plan=plan.title, heading=text) if several else text

    led, co, via, _ = unit.tasks_in(plan)
    groups = [
        TaskGroup(f"{key}led", heading(say("unit.led")), led, say("unit.led_note")),
        TaskGroup(f"{key}co", heading(say("unit.co")), co, say("unit.co_note")),
    ]
    for collective in unit.collectives:
        tasks = [t for t in via if collective in t.lead_units + t.responsible_units]
        if tasks:
            groups.append(TaskGroup(
                f"{key}via-{collective.slug}", heading(say("unit.via", collective=collective.name)), tasks,
                say("unit.via_note", collective=collective.name),
            ))
    return [g for g in groups if g.tasks]


def _whose(catalogue: Catalogue, government: Government | None) -> str:
    """云溪市人民政府: the government a leader or unit belongs to, where the site holds several."""
    return government.name if government is not None and catalogue.several_governments else ""


def _registry_crumb(catalogue: Catalogue, say: Strings, government: Government | None, label: str,
                    index: str) -> Crumb:
    """The crumb to a government's index of leaders or units: 牵头领导, or 云溪市牵头领导 beside another."""
    if government is None:
        return Crumb(label, "leaders/index.html" if index == "leaders_path" else "agencies/index.html")
    shown = say("crumb.registry", government=government.label, label=label) if catalogue.several_governments else label
    return Crumb(shown, getattr(government, index))


def _review_note(entry: Leader | Unit, say: Strings) -> str:
    """What the registry says of an entry the import wrote and nobody has checked yet."""
    if entry.reviewed:
        return ""
    near = say.join(say("quoted", name=name) for name in getattr(entry, "resembles", []))
    return say("review.resembles", names=near) if near else say("review.unchecked")


def unit_page(catalogue: Catalogue, say: Strings, unit: Unit) -> TermPage:
    related = []
    if unit.members:
        related.append((say("unit.members"), unit.members))
    if unit.collectives:
        related.append((say("unit.collectives"), unit.collectives))
    tasks = unit.all_tasks
    whose = _whose(catalogue, unit.government)
    return TermPage(
        path=unit.path, template="term.html", title=unit.name, nav="units",
        description=say("unit.description", whose=whose, name=unit.name, count=len(tasks)),
        crumbs=[home_crumb(say), _registry_crumb(catalogue, say, unit.government, say("crumb.units"), "units_path"),
                Crumb(unit.name)],
        kind=say("both", first=unit.government.name, second=unit.kind_label) if whose else unit.kind_label,
        term=unit, tasks=tasks, government=unit.government,
        intro=say("unit.intro", name=unit.name, count=len(tasks),
                  counts=_count_note(unit, unit.tasks_in(), say) or say("unit.none")) + _review_note(unit, say),
        groups=([g for plan in plans_of(tasks) for g in unit_groups(unit, say, plan, True)]
                if len(catalogue.plans) > 1 else unit_groups(unit, say)), related=related,
        empty_note=say("term.empty"),
        chart=chart(catalogue, f"chart-{unit.slug}", say("unit.chart", name=unit.name), tasks)
        if tasks else None,
    )


def status_pages(catalogue: Catalogue, say: Strings, plan: Plan | None = None) -> list[TermPage]:
    plan = plan or catalogue.plans[0]
    by_status = _by_status(plan.tasks)
    pages = []
    for status in catalogue.statuses:
        tasks = by_status.get(id(status), [])
        by_section: dict[int, list[Task]] = {}
        for task in tasks:
            by_section.setdefault(id(task.section), []).append(task)
        groups = [
            TaskGroup(f"section-{section.number}", section.label, by_section.get(id(section), []))
            for section in plan.sections
        ]
        pages.append(TermPage(
            path=plan.status_path(status), template="term.html", title=status.label, nav="status",
            description=say("status.description", as_of=zh_date(plan.as_of), status=status.label, count=len(tasks)),
            crumbs=_plan_crumbs(catalogue, say, plan) + [Crumb(say("crumb.statuses"), plan.statuses_path),
                                                         Crumb(status.label)],
            kind=say("status.kind"), term=status, tasks=tasks, plan=plan,
            intro=say("status.intro", meaning=status.meaning, count=len(tasks)),
            groups=[g for g in groups if g.tasks],
            empty_note="" if tasks else _empty_status_note(plan, status, say),
            rounds=round_counts(plan, tasks),
        ))
    return pages


def round_pages(catalogue: Catalogue, say: Strings, plan: Plan) -> list[RoundPage]:
    """A page for each reporting round of the plan: who was asked, who reported what."""
    pages = []
    for round_ in plan.rounds:
        units = []
        for unit in round_.units:
            asked = [a for a in round_.asked if a.unit is unit]
            units.append((unit, asked, sum(1 for a in asked if a.submission is not None)))
        tasks = _asked_tasks(round_)
        pages.append(RoundPage(
            path=round_.path, template="round.html", title=round_.name, nav="status",
            description=say("round.description", name=round_.name, units=len(round_.units), count=len(tasks),
                            as_of=zh_date(round_.as_of), due=zh_date(round_.due)),
            crumbs=_plan_crumbs(catalogue, say, plan) + [Crumb(say("crumb.statuses"), plan.statuses_path),
                                                         Crumb(round_.name)],
            plan=plan, round=round_, units=units, count=round_count(round_, tasks),
        ))
    return pages


def _empty_status_note(plan: Plan, status: Status, say: Strings) -> str:
    """An empty status is not good news while the site knows nothing of many tasks: say how many."""
    unknown = sum(1 for task in plan.tasks if not task.updates)
    note = say("status.empty", as_of=zh_date(plan.as_of), status=status.label)
    if unknown:
        note += say("status.unknown", count=len(plan.tasks), unknown=unknown)
    return note


@dataclass
class CorrectionsPage(Page):
    source_path: str = ""


def corrections_page(catalogue: Catalogue, say: Strings) -> CorrectionsPage:
    return CorrectionsPage(
        path="corrections/index.html", template="corrections.html", title=say("corrections.title"), nav="",
        description=say("corrections.description", number=catalogue.site.source_number),
        crumbs=[home_crumb(say), Crumb(say("crumb.corrections"))], source_path=SOURCE_PATH,
    )


# A task's item, or a term's entry on an index, is some 600 bytes of HTML: 500 keep a page
# near 300 KB, where a status page of 100,000 tasks would otherwise weigh 30 MB.
TASKS_PER_PAGE = 500
TERMS_PER_PAGE = 500


def paginate(page: TermPage | TaxonomyPage, say: Strings, limit: int | None = None) -> list[Page]:
    """The page as it is, or split into pages of at most `limit` tasks (a term page) or terms
    (an index): the first at the page's own path, the others at page/2/, page/3/ … beside it;
    a group cut in two goes on, under the same heading, at the top of the next page."""
    items = "tasks" if isinstance(page, TermPage) else "terms"
    limit = limit or (TASKS_PER_PAGE if items == "tasks" else TERMS_PER_PAGE)
    if sum(len(getattr(group, items)) for group in page.groups) <= limit:
        return [page]
    pages: list[list] = [[]]
    room = limit
    for group in page.groups:
        rest, part = getattr(group, items), 0
        while rest:
            if not room:
                pages.append([])
                room = limit
            taken, rest = rest[:room], rest[room:]
            heading = group.heading + (say("continued") if part and group.heading else "")
            pages[-1].append(replace(group, heading=heading, **{items: taken}))
            room -= len(taken)
            part += 1
    folder = page.path[: -len("index.html")]
    paths = [page.path] + [f"{folder}page/{n}/index.html" for n in range(2, len(pages) + 1)]
    pagination = list(enumerate(paths, start=1))
    return [
        replace(page, path=path, groups=groups, pagination=pagination, page_number=number,
                title=page.title if number == 1 else say("paged", title=page.title, number=number),
                crumbs=page.crumbs if number == 1 else
                page.crumbs[:-1] + [Crumb(page.crumbs[-1].label, page.path), Crumb(say("crumb.page", number=number))])
        for (number, path), groups in zip(pagination, pages)
    ]


def task_pages(catalogue: Catalogue, say: Strings, plan: Plan | None = None) -> list[TaskPage]:
    plan = plan or catalogue.plans[0]
    pages = []
    site = catalogue.site
    # The crumbs down to a subsection are the same for each of its tasks: made once per subsection.
    above: dict[int, list[Crumb]] = {}
    for index, task in enumerate(plan.tasks):
        previous, next_ = _neighbours(plan.tasks, index)
        crumbs = above.get(id(task.subsection))
        if crumbs is None:
            crumbs = above[id(task.subsection)] = _plan_crumbs(catalogue, say, plan) + [
                Crumb(charts.short_label(task.section), task.section.path),
                Crumb(task.subsection.label.rstrip("。"), f"{task.section.path}#{task.subsection.anchor}")]
        pages.append(TaskPage(
            path=task.path, template="task.html", title=say.heading(task), nav="sections",
            description=_shorten(task.text, 110),
            crumbs=crumbs + [Crumb(say("crumb.task", label=task.label))],
            task=task, status_date=task.status_date or plan.as_of, plan=plan,
            previous=previous, next=next_, edit_url=site.edit_url(task.file),
        ))
    return pages


def data_page(catalogue: Catalogue, say: Strings) -> DataPage:
    return DataPage(
        path="data/index.html", template="data.html", title=say("data.title"), nav="data",
        description=say("data.description"),
        crumbs=[home_crumb(say), Crumb(say("crumb.data"))], task_count=len(catalogue.tasks),
        fields=COLUMNS, examples=_examples(catalogue, say),
        files=[("data/tasks.csv", say("data.csv"), "CSV"),
               ("data/tasks.json", say("data.json"), "JSON")],
    )


def _examples(catalogue: Catalogue, say: Strings) -> dict[str, str]:
    """Each field's value in one real task: the first with targets and co-responsible units."""
    if not catalogue.tasks:
        return {}
    task = next((t for t in catalogue.tasks if t.targets and t.responsible_units and t.subjects),
                catalogue.tasks[0])
    record = task_record(catalogue, task, say)
    return {f.name: _csv_text(f.name, record[f.name], say) for f in COLUMNS}


def search_page(say: Strings) -> Page:
    return Page(path="search/index.html", template="search.html", title=say("search.title"), nav="search",
                description=say("search.description"), crumbs=[home_crumb(say), Crumb(say("crumb.search"))])


@dataclass
class NotFoundPage(Page):
    root: str = "/"  # the folder part of the base URL: where the site's root is when hosted


def not_found_page(catalogue: Catalogue, say: Strings) -> NotFoundPage:
    """Served for any missing address, so its script finds the site root before links load."""
    folder = catalogue.site.base_url.split("://", 1)[-1].partition("/")[2]
    return NotFoundPage(path="404.html", template="404.html", title=say("not_found.title"), nav="",
                        description=say("not_found.description"), in_sitemap=False, root="/" + folder)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Pages made together by one call (a plan's task pages, a unit's pages), named the same way build
# after build: (name, the call).
Family = tuple[str, Callable[[], list[Page]]]


def page_families(catalogue: Catalogue, say: Strings, templates_dir: Path) -> list[Family]:
    """Every page of the site, in a stable order, in families: the build notes what each family
    read from the task files while it was made (model.noting_reads), and makes again only the
    families whose reads found something else."""
    def paged(make: Callable[[], list]) -> Callable[[], list[Page]]:
        return lambda: [part for page in make() for part in paginate(page, say)]

    def one(page_of: Callable[[], Page]) -> Callable[[], list[Page]]:
        return lambda: [page_of()]

    def each(name: str, things: list, page_of: Callable) -> list[Family]:
        """A family for each thing: its page, paginated."""
        return [(f"{name} {thing.identity}", paged(one(partial(page_of, catalogue, say, thing)))) for thing in things]

    plans = catalogue.plans
    families: list[Family] = [("home", one(partial(home_page, catalogue, say)))]
    if len(plans) > 1:
        families += [(f"home {plan.identity}", one(partial(home_page, catalogue, say, plan, plan.path))) for plan in plans]
    families += [(f"indexes {plan.identity}", paged(partial(_plan_indexes, catalogue, say, plan))) for plan in plans]
    families += [(f"indexes {government.identity}", paged(partial(government_indexes, catalogue, say, government)))
                 for government in catalogue.governments[1:]]
    if catalogue.subjects:
        families.append(("subjects", paged(one(partial(subject_taxonomy_page, catalogue, say)))))
    families += [(f"sections {plan.identity}", paged(partial(section_pages, catalogue, say, plan))) for plan in plans]
    families += each("leader", catalogue.leaders, leader_page) + each("unit", catalogue.units, unit_page)
    families += [(f"statuses {plan.identity}", paged(partial(status_pages, catalogue, say, plan))) for plan in plans]
    families += each("subject", catalogue.subjects, subject_page)
    families += [(f"rounds {plan.identity}", partial(round_pages, catalogue, say, plan)) for plan in plans]
    families += [(f"tasks {plan.identity}", partial(task_pages, catalogue, say, plan)) for plan in plans]
    families += [("data", one(partial(data_page, catalogue, say))),
                 ("corrections", one(partial(corrections_page, catalogue, say)))]
    if (templates_dir / "search.html").exists():
        families.append(("search", one(partial(search_page, say))))
    families.append(("not found", one(partial(not_found_page, catalogue, say))))
    return families


def _plan_indexes(catalogue: Catalogue, say: Strings, plan: Plan) -> list[TaxonomyPage]:
    """A plan's indexes; the first plan's leaders and units indexes are its government's."""
    return [page for page in taxonomy_pages(catalogue, say, plan) if plan.first or page.plan is not None]


def all_pages(catalogue: Catalogue, say: Strings, templates_dir: Path) -> list[Page]:
    """Every page of the site, in a stable order."""
    return [page for _, make in page_families(catalogue, say, templates_dir) for page in make()]


# A page of every plan (a leader's, a unit's, a theme's) names in its footer the documents of the
# plans its tasks come from, up to this many; past it, it points to the list of all plans, where
# each is named. Every plan named on every such page was 80 KB a page at 600 plans.
CITED_PLANS = 5


def cited_plans(catalogue: Catalogue, page: Page) -> list[Plan]:
    """The plans whose documents a page of every plan draws on: a term page's tasks', or all."""
    if isinstance(page, TermPage) and page.tasks:
        return plans_of(page.tasks)
    return catalogue.plans
