"""Render the pages through Jinja templates.

Every page is a `Page`: its output path, its template and a small context object (one of the
dataclasses below) that the template reads as `page`. Every template also gets `catalogue`,
`site` and `page_path`; the `rel` filter turns a site path (or anything with a `.path`) into a
link relative to the page being rendered, so one site/ works at a domain root, under a sub-path
and from disk.

Two templates serve all four taxonomies (Hugo's idea): taxonomy.html lists the terms of one
taxonomy with their counts; term.html lists one term's tasks in groups.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections import ChainMap, Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from . import charts
from .errors import BuildError
from .exports import FIELDS, _csv_text, task_record
from .corrections import SOURCE_PATH
from .model import (ASKED_STATES, Asked, Catalogue, Government, Leader, Plan, Round, Section, Status, Task, Unit,
                    plain_number, zh_date)
from .urls import relative

Outputs = dict[str, bytes]
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
    """One term on a taxonomy page: its name, its page, its tasks and a line about it."""

    name: str
    path: str
    tasks: list[Task]
    note: str = ""
    color: str | None = None


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

    kind: str = ""                 # 牵头领导, 省直部门, 进展状态, 篇章
    intro: str = ""
    term: Leader | Unit | Status | Section | None = None
    tasks: list[Task] = field(default_factory=list)
    groups: list[TaskGroup] = field(default_factory=list)
    related: list[tuple[str, list[Unit]]] = field(default_factory=list)  # ("包括的单位", [Unit, …])
    chart: Markup = Markup("")
    previous: Section | None = None  # neighbouring sections, on section pages
    next: Section | None = None
    empty_note: str = "暂无任务。"  # what a term with no task says instead of a list
    rounds: list[RoundCount] = field(default_factory=list)  # a status page: its tasks in each reporting round


@dataclass(frozen=True)
class RoundCount:
    """How some tasks stand in one reporting round: so many in each state, so many it did not ask about."""

    round: Round
    counts: dict[str, int]
    not_asked: int

    @property
    def parts(self) -> list[tuple[str, int]]:
        """(已报送, 3), (未报送, 1): the states some of the tasks are in, in ASKED_STATES order."""
        return [(ASKED_STATES[state], count) for state, count in self.counts.items() if count]


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
    fields: tuple = ()
    examples: dict[str, str] = field(default_factory=dict)  # field name -> a value from a real task
    files: list[tuple[str, str, str]] = field(default_factory=list)  # (path, label, format)


# --- the environment -----------------------------------------------------------------------

SAFE_LINK = re.compile(r"^(https?://|[^:]*$)", re.IGNORECASE)


def make_markdown() -> MarkdownIt:
    """CommonMark with raw HTML off, no images (nothing loads from another host) and links only
    to http(s) or relative addresses."""
    md = MarkdownIt("commonmark", {"html": False})
    md.disable("image")
    md.validateLink = lambda url: bool(SAFE_LINK.match(url.strip()))
    return md


# A note of one line without any ASCII punctuation, tab or surrounding space has no Markdown
# in it: CommonMark makes it one paragraph of the text as it is, with nothing to escape.
_MARKDOWN_FREE = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\s]+(?: [^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\s]+)*")


def _plain_paragraph(text: str | None) -> str | None:
    """What md.render gives for a note without Markup, without running the parser; else None."""
    if text and _MARKDOWN_FREE.fullmatch(text):
        return f"<p>{text}</p>\n"
    return None


def number(value: float | int | None) -> str:
    """1500, 2.5, 12,345 — never 1500.0 or 1.23e+06; thousands grouped from five digits up."""
    if value is None:
        return ""
    text = plain_number(value)
    whole, dot, fraction = text.partition(".")
    if len(whole.lstrip("-")) >= 5:
        whole = f"{int(whole):,}"
    return whole + dot + fraction


def marked_text(task: Task) -> Markup:
    """The task's text with each corrected or doubtful passage in a <mark> that links to its note."""
    text = Markup.escape(task.text)
    for correction in task.corrections:
        if correction.field != "text":
            continue
        passage = Markup.escape(correction.passage)
        kind = "doubt" if correction.is_doubt else "correction"
        title = "存疑" if correction.is_doubt else "已更正"
        text = text.replace(passage, Markup(
            f'<mark class="{kind}" title="{title}"><a href="#{correction.anchor}">{passage}</a></mark>'), 1)
    return Markup(text)


# Compiling the templates is a third of a small build's rendering; Jinja keeps the compiled
# code per user in the temporary folder, keyed by each template's source, so an edited
# template is compiled again.
BYTECODE_CACHE = jinja2.FileSystemBytecodeCache()


# Stands for a task's link in its cached list item (task_once): characters that HTML escaping
# leaves alone and no content has (a private-use character around a word).
LINK_SLOT = "\ue000task-link\ue000"


def make_environment(templates_dir: Path, catalogue: Catalogue) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=BYTECODE_CACHE,
        # An environment lives for one build: no need to stat every template on every page.
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    md = make_markdown()

    # The task whose item task_once is making: its link is left as a slot, filled per page.
    item_of: list[Task | None] = [None]

    @jinja2.pass_context
    def rel(context, target) -> str:
        if target is item_of[0]:
            return LINK_SLOT
        path = target if isinstance(target, str) else target.path
        return relative(context["page_path"], path)

    # Each task's item, cut where its link goes: one per task, whatever page depth links to it
    # (one per depth held twice as much, 250 MB at 100,000 tasks, to the end of the build). An
    # item that does not cut in two (the slot's characters also in its text) is kept as ():
    # it is rendered whole on each page.
    items: dict[tuple[str, int], tuple[str, ...]] = {}

    @jinja2.pass_context
    def task_once(context, macro, task: Task) -> Markup:
        key = (macro.name, id(task))
        parts = items.get(key)
        if parts is None:
            item_of[0] = task
            try:
                parts = tuple(str(macro(task)).split(LINK_SLOT))
            finally:
                item_of[0] = None
            parts = items[key] = parts if len(parts) == 2 else ()
        if not parts:
            return macro(task)
        return Markup(str(escape(relative(context["page_path"], task.path))).join(parts))

    env.filters.update(
        rel=rel,
        markdown=lambda text: Markup(_plain_paragraph(text) or md.render(text or "")),
        zh_date=zh_date,
        number=number,
        percent=charts.percent,
        marked_text=marked_text,
    )
    env.globals.update(
        status_counts=lambda tasks: charts.status_counts(tasks, catalogue.statuses),
        filter_choices=lambda groups: filter_choices(groups, catalogue),
        # Pure, called for every badge on every page, for the handful of status colours.
        task_once=task_once,
        badge_colors=functools.lru_cache(maxsize=None)(charts.badge_colors),
        progress_bar=charts.progress_bar,
        describe=charts.describe,
        short_label=charts.short_label,
        reporting=catalogue.evidence_note,
        asked_states=ASKED_STATES,
    )
    return env


class LazyMarkup:
    """Markup made when a template first prints it: the preview builds every page's context
    to find the pages a change touches, but renders only those."""

    __slots__ = ("make", "value")

    def __init__(self, make):
        self.make, self.value = make, None

    def __html__(self) -> str:
        if self.value is None:
            self.value = self.make()
        return self.value

    __str__ = __html__

    def __bool__(self) -> bool:
        return bool(self.__html__())


def _chart(chart_id: str, tasks: list[Task], catalogue: Catalogue, title: str) -> LazyMarkup:
    """A term page's stacked bar of its tasks by status, made when printed."""
    return LazyMarkup(lambda: charts.stacked_bar(chart_id, charts.status_counts(tasks, catalogue.statuses), title))


# A term page's list gets filters once it is longer than a phone screen or two.
FILTER_FROM_TASKS = 12


def filter_choices(groups: list[TaskGroup], catalogue: Catalogue) -> dict[str, list[tuple[str, str, int]]]:
    """The status and section filters of a term page: (value, label, tasks) for each value
    its listed tasks take, in registry order; a filter with one value is left out."""
    tasks = list({id(task): task for group in groups for task in group.tasks}.values())
    if len(tasks) < FILTER_FROM_TASKS:
        return {}
    by_status = Counter(task.status.code for task in tasks)
    by_section = Counter(task.section.key for task in tasks)
    choices = {
        "status": [(status.code, status.label, by_status[status.code])
                   for status in catalogue.statuses if by_status[status.code]],
        # In registry order, without walking every section of the catalogue for every page.
        "section": [(section.key, section_choice_label(section, catalogue), by_section[section.key])
                    for section in sorted({task.section.key: task.section for task in tasks}.values(),
                                          key=_section_order(catalogue).__getitem__)],
    }
    return {name: values for name, values in choices.items() if len(values) > 1}


def _section_order(catalogue: Catalogue) -> dict[Section, int]:
    """Each section's place in catalogue.sections, kept for as long as the list is the same."""
    cached = _SECTION_ORDER.get(id(catalogue))
    if cached is None or cached[0] is not catalogue.sections or len(cached[1]) != len(catalogue.sections):
        cached = (catalogue.sections, {section: index for index, section in enumerate(catalogue.sections)})
        _SECTION_ORDER.clear()
        _SECTION_ORDER[id(catalogue)] = cached
    return cached[1]


_SECTION_ORDER: dict[int, tuple[list[Section], dict[Section, int]]] = {}


def section_choice_label(section: Section, catalogue: Catalogue) -> str:
    """A section as a filter names it: with its plan's short title once there are several."""
    label = charts.short_label(section)
    return f"{section.plan.short_title} {label}" if section.plan and len(catalogue.plans) > 1 else label


# --- the pages -----------------------------------------------------------------------------

HOME = Crumb("首页", "index.html")


# The home page lists, charts and tabulates each section: past this many (a catalogue of many
# plans) it shows the first ones and sums up the rest, which the sections index lists, so that
# it stays small (6 MB at 100,000 tasks otherwise).
HOME_SECTIONS = 60
# A plan's own home lists every plan up to this many; past it, only the site's home does, and
# the plan's points to it (600 plans listed on 600 homes was 110 MB).
PLANS_LISTED = 12


def home_page(catalogue: Catalogue, plan: Plan | None = None, path: str = "index.html") -> HomePage:
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
        description=(plan.description or site.description if not several else plan.description) or (
            f"{plan.reference}确定的{len(plan.tasks)}项重点工作，"
            f"按篇章、牵头领导、责任单位和进展状态查阅，状态截至{zh_date(plan.as_of)}。"),
        crumbs=[] if path == "index.html" else [HOME, Crumb(plan.title)],
        plan=plan, plans=catalogue.plans_listed if several and (
            path == "index.html" or len(catalogue.plans) <= PLANS_LISTED) else [], recent=dated[:8],
        slices=slices, sections=shown,
        other_tasks=[task for section in plan.sections[HOME_SECTIONS:] for task in section.tasks],
    )


def _count_note(unit: Unit, plan: Plan | None = None) -> str:
    """牵头 3 项，参与 5 项，作为“各设区市政府”之一 134 项 (in one plan, or all)."""
    led, co, via, _ = unit.tasks_in(plan)
    parts = [f"牵头 {len(led)} 项"] if led else []
    parts += [f"参与 {len(co)} 项"] if co else []
    if via:
        names = "、".join(f"“{c.name}”" for c in unit.collectives)
        parts.append(f"作为{names}之一 {len(via)} 项")
    return "，".join(parts)


def _plan_crumbs(catalogue: Catalogue, plan: Plan | None) -> list[Crumb]:
    """首页 › the plan, when the site holds several; named with its government's when it holds
    several governments' plans."""
    if plan is None or len(catalogue.plans) < 2:
        return [HOME]
    whose = _whose(catalogue, plan.government)
    return [HOME, Crumb(f"{plan.government.label} · {plan.short_title}" if whose else plan.short_title, plan.path)]


def _kind_summary(by_kind: list[tuple[str, str, list[Unit]]]) -> str:
    """省直部门、设区市政府和其他单位: the two largest kinds, from the registry's own labels."""
    counts = [(label, len(members)) for kind, label, members in by_kind]
    labels = [label for label, _ in sorted(counts, key=lambda pair: -pair[1])[:2]]
    return "、".join(labels) + ("和其他单位" if len(counts) > 2 else "")


def _by_status(plan: Plan) -> dict[int, list[Task]]:
    """A plan's tasks by status (its id), in document order: from the plan's own tasks, not by
    filtering each status's tasks of every plan (100,000 of them, for each of 600 plans)."""
    grouped: dict[int, list[Task]] = {}
    for task in plan.tasks:
        grouped.setdefault(id(task.status), []).append(task)
    return grouped


def _plan_tasks(tasks: list[Task], plan: Plan | None) -> list[Task]:
    return tasks if plan is None else [task for task in tasks if task.plan is plan]


def plans_of(tasks: list[Task]) -> list[Plan]:
    """The plans these tasks belong to, in the catalogue's order; in one pass over the tasks,
    not one per plan (600 plans at 100,000 tasks)."""
    return sorted({id(task.plan): task.plan for task in tasks}.values(), key=lambda plan: plan.order)


def tasks_by_plan(tasks: list[Task]) -> list[tuple[Plan, list[Task]]]:
    """These tasks split by plan, each list in the given order, the plans in the catalogue's."""
    split: dict[int, list[Task]] = {}
    for task in tasks:
        split.setdefault(id(task.plan), []).append(task)
    return [(plan, split[id(plan)]) for plan in plans_of(tasks)]


def taxonomy_pages(catalogue: Catalogue, plan: Plan | None = None) -> list[TaxonomyPage]:
    """The four index pages of one plan, one template. The first plan's leaders and units
    indexes are its government's (every plan of it, at the site's first addresses); another
    plan's list its own."""
    plan = plan or catalogue.plans[0]
    crumbs = _plan_crumbs(catalogue, plan)
    by_status = _by_status(plan)
    sections = TaxonomyPage(
        path=plan.sections_path, template="taxonomy.html", title="按篇章查阅", nav="sections",
        description=f"{plan.title}的{plan.section_count}及各篇章的任务。",
        crumbs=crumbs + [Crumb("篇章")], plan=plan,
        intro=f"{plan.reference}把重点工作分为以下篇章，每个篇章下再分小节。",
        groups=[TermGroup("sections", "", [
            TermEntry(s.label, s.path, s.tasks, f"{len(s.subsections)} 个小节") for s in plan.sections
        ])],
    )
    if plan.first:
        registries = government_indexes(catalogue, plan.government)
    else:
        registries = _registry_indexes(catalogue, plan.leaders(), catalogue.group_by_kind(plan.units()), plan,
                                       plan.leaders_path, plan.units_path, crumbs, plan.leader_label)
    statuses = TaxonomyPage(
        path=plan.statuses_path, template="taxonomy.html", title="按进展状态查阅", nav="status",
        description=f"各项重点工作截至{zh_date(plan.as_of)}的进展状态。",
        crumbs=crumbs + [Crumb("进展状态")], plan=plan,
        intro=f"{catalogue.evidence_note}状态截至{zh_date(plan.as_of)}；每种状态须有的依据见下。",
        groups=[TermGroup("statuses", "进展状态" if plan.rounds else "", [
            TermEntry(s.label, plan.status_path(s), by_status.get(id(s), []), s.meaning, s.color)
            for s in catalogue.statuses
        ])] + ([TermGroup("rounds", "报送轮次", [
            TermEntry(r.name, r.path, _asked_tasks(r), _round_note(r)) for r in reversed(plan.rounds)
        ])] if plan.rounds else []),
    )
    return [sections, *registries, statuses]


def government_indexes(catalogue: Catalogue, government: Government) -> list[TaxonomyPage]:
    """A government's index of leaders and of units, with the tasks of every plan of it."""
    label = government.plans[0].leader_label if government.plans else "牵头领导"
    pages = _registry_indexes(catalogue, government.leaders, catalogue.units_by_kind(government), None,
                              government.leaders_path, government.units_path, [HOME], label)
    if catalogue.several_governments:
        for page in pages:
            page.title = f"{government.name}：{page.title}"
            page.crumbs[-1] = Crumb(f"{government.label}{page.crumbs[-1].label}")
    for page in pages:
        page.government = government
    return pages


def _registry_indexes(catalogue: Catalogue, leaders: list[Leader], by_kind: list, scope: Plan | None,
                      leaders_path: str, units_path: str, crumbs: list[Crumb], leader_label: str) -> list[TaxonomyPage]:
    """The index of leaders and of units of one plan (`scope`), or of a government (None)."""
    leader_index = TaxonomyPage(
        path=leaders_path, template="taxonomy.html", title="按牵头领导查阅", nav="leaders",
        description=f"{leader_label}及其牵头的重点工作。",
        crumbs=crumbs + [Crumb("牵头领导")], plan=scope,
        intro=(f"每项重点工作由一位或几位领导牵头（原文件称“{leader_label}”）。按登记表排序；"
               "职务为各计划印发时的职务，未找到来源的职务不写。"),
        groups=[TermGroup("leaders", "", [
            TermEntry(l.name, l.path, _plan_tasks(l.tasks, scope), _post_note(catalogue, l, scope)) for l in leaders
        ])],
    )
    unit_index = TaxonomyPage(
        path=units_path, template="taxonomy.html", title="按责任单位查阅", nav="units",
        description=f"承担重点工作的{_kind_summary(by_kind)}。",
        crumbs=crumbs + [Crumb("责任单位")], plan=scope,
        intro="每项任务有牵头单位，多数还有配合的责任单位。单位按类别排列。",
        groups=[
            TermGroup(kind, label, [
                TermEntry(u.name, u.path, u.tasks_in(scope).all, _count_note(u, scope)) for u in members
            ])
            for kind, label, members in by_kind
        ],
    )
    return [leader_index, unit_index]


def _asked_tasks(round_: Round) -> list[Task]:
    """The tasks a round asked about, each once (a task of two lead units is asked of both)."""
    return list({id(asked.task): asked.task for asked in round_.asked}.values())


def _round_note(round_: Round) -> str:
    """报送截止2022年1月15日；已报送 40 项，未报送 2 项."""
    count = round_count(round_, _asked_tasks(round_))
    return f"报送截止{zh_date(round_.due)}；" + "，".join(f"{label} {n} 项" for label, n in count.parts) + "。"


def _post_note(catalogue: Catalogue, leader: Leader, plan: Plan | None) -> str:
    """副省长, or for several plans 2021年…：副省长；2022年…：省长."""
    if len(catalogue.plans) < 2:
        return f"时任{leader.post}" if leader.post else ""
    plans = [plan] if plan else plans_of(leader.tasks)
    posts = [(p, leader.post_for(p)) for p in plans]
    if plan:
        return posts[0][1]
    return "；".join(f"{p.short_title}：{post}" for p, post in posts if post)


def subject_taxonomy_page(catalogue: Catalogue) -> TaxonomyPage:
    """The index of subjects: themes citizens recognise, with the words they may type."""
    return TaxonomyPage(
        path="subjects/index.html", template="taxonomy.html", title="按主题查阅", nav="subjects",
        description="按养老、教育、医疗卫生、住房、就业等主题查阅重点工作。",
        crumbs=[HOME, Crumb("主题")],
        intro="本站按群众熟悉的主题给每项任务标注 1 至 3 个主题；主题由本站编辑依据任务原文确定，不是原文件的分类。",
        groups=[TermGroup("subjects", "", [
            TermEntry(s.name, s.path, s.tasks, _synonyms_note(s.synonyms)) for s in catalogue.subjects
        ])],
    )


def _synonyms_note(synonyms: list[str]) -> str:
    return f"相关说法：{'、'.join(synonyms)}" if synonyms else ""


def subject_pages(catalogue: Catalogue) -> list[TermPage]:
    pages = []
    for subject in catalogue.subjects:
        several = len(catalogue.plans) > 1
        by_section: dict[int, list[Task]] = {}
        for t in subject.tasks:  # one pass, not one per section of the catalogue
            by_section.setdefault(id(t.section), []).append(t)
        groups = [TaskGroup(f"section-{section.number}" if section.plan.first else f"{section.plan.id}-section-{section.number}",
                            f"{section.plan.short_title} · {section.label}" if several else section.label,
                            by_section.get(id(section), []))
                  for section in catalogue.sections if id(section) in by_section]
        pages.append(TermPage(
            path=subject.path, template="term.html", title=subject.name, nav="subjects",
            description=f"主题“{subject.name}”下的{len(subject.tasks)}项重点工作。",
            crumbs=[HOME, Crumb("主题", "subjects/index.html"), Crumb(subject.name)],
            kind="主题", term=subject, tasks=subject.tasks,
            intro=(f"主题“{subject.name}”下有 {len(subject.tasks)} 项任务，按篇章排列。"
                   + (f"{_synonyms_note(subject.synonyms)}。" if subject.synonyms else "")),
            groups=[g for g in groups if g.tasks],
            chart=_chart(f"chart-{subject.slug}", subject.tasks, catalogue,
                                     f"主题“{subject.name}”的任务按进展状态统计") if subject.tasks else Markup(""),
        ))
    return pages


def _neighbours(items: list, index: int) -> tuple[Any, Any]:
    return (items[index - 1] if index > 0 else None,
            items[index + 1] if index + 1 < len(items) else None)


def section_pages(catalogue: Catalogue, plan: Plan | None = None) -> list[TermPage]:
    plan = plan or catalogue.plans[0]
    pages = []
    for index, section in enumerate(plan.sections):
        previous, next_ = _neighbours(plan.sections, index)
        pages.append(TermPage(
            path=section.path, template="term.html", title=section.label, nav="sections",
            description=f"第{section.numeral}篇章“{section.title}”的{len(section.tasks)}项重点工作。",
            crumbs=_plan_crumbs(catalogue, plan) + [Crumb("篇章", plan.sections_path), Crumb(charts.short_label(section))],
            kind="篇章", term=section, tasks=section.tasks, plan=plan,
            intro=f"本篇章共 {len(section.tasks)} 项任务，分 {len(section.subsections)} 个小节。",
            groups=[TaskGroup(sub.anchor, sub.label, sub.tasks) for sub in section.subsections],
            chart=_chart(f"chart-{section.number}", section.tasks, catalogue,
                                     f"第{section.numeral}篇章任务按进展状态统计"),
            previous=previous, next=next_,
        ))
    return pages


def leader_pages(catalogue: Catalogue) -> list[TermPage]:
    """One page per leader, with the tasks of every plan, grouped by plan when there are several."""
    first = catalogue.plans[0]
    several = len(catalogue.plans) > 1
    pages = []
    for leader in catalogue.leaders:
        government = leader.government
        if several:
            groups = [TaskGroup(f"plan-{plan.id}", plan.title, tasks,
                                f"时任{post}。" if (post := leader.post_for(plan)) else "")
                      for plan, tasks in tasks_by_plan(leader.tasks)]
            kind = "牵头领导"
        else:
            groups = [TaskGroup("led", "牵头的任务", leader.tasks)]
            kind = f"{first.leader_label} · 时任{leader.post}" if leader.post else first.leader_label
        whose = _whose(catalogue, government)
        pages.append(TermPage(
            path=leader.path, template="term.html", title=leader.name, nav="leaders",
            description=f"{whose}{leader.name}牵头的{len(leader.tasks)}项重点工作。",
            crumbs=[HOME, _registry_crumb(catalogue, government, "牵头领导", "leaders_path"), Crumb(leader.name)],
            kind=f"{government.name} · {kind}" if whose else kind, term=leader, tasks=leader.tasks,
            government=government,
            intro=f"{leader.name}牵头 {len(leader.tasks)} 项重点工作"
                  + (f"，分属 {len(groups)} 个计划。" if several else "。") + _review_note(leader),
            groups=groups,
            chart=_chart(f"chart-{leader.slug}", leader.tasks, catalogue,
                                     f"{leader.name}牵头的任务按进展状态统计"),
        ))
    return pages


def unit_groups(unit: Unit, plan: Plan | None = None, several: bool = False) -> list[TaskGroup]:
    """The tasks a unit leads, those it shares, and those that reach it through a collective;
    with several plans, those of one plan, under headings that name it."""
    key = f"{plan.id}-" if several else ""
    head = f"{plan.title}：" if several else ""
    led, co, via, _ = unit.tasks_in(plan)
    groups = [
        TaskGroup(f"{key}led", f"{head}牵头的任务", led, "本单位为牵头单位。"),
        TaskGroup(f"{key}co", f"{head}参与的任务", co, "本单位为责任单位，配合牵头单位落实。"),
    ]
    for collective in unit.collectives:
        tasks = [t for t in via if collective in t.lead_units + t.responsible_units]
        if tasks:
            groups.append(TaskGroup(
                f"{key}via-{collective.slug}", f"{head}作为“{collective.name}”之一承担的任务", tasks,
                f"这些任务交给“{collective.name}”，本单位是其中之一。",
            ))
    return [g for g in groups if g.tasks]


def _whose(catalogue: Catalogue, government: Government | None) -> str:
    """云溪市人民政府: the government a leader or unit belongs to, where the site holds several."""
    return government.name if government is not None and catalogue.several_governments else ""


def _registry_crumb(catalogue: Catalogue, government: Government | None, label: str, index: str) -> Crumb:
    """The crumb to a government's index of leaders or units: 牵头领导, or 云溪市牵头领导 beside another."""
    if government is None:
        return Crumb(label, "leaders/index.html" if index == "leaders_path" else "agencies/index.html")
    return Crumb(f"{government.label}{label}" if catalogue.several_governments else label, getattr(government, index))


def _review_note(entry: Leader | Unit) -> str:
    """What the registry says of an entry the import wrote and nobody has checked yet."""
    if entry.reviewed:
        return ""
    near = "、".join(f"“{name}”" for name in getattr(entry, "resembles", []))
    return ("名称照原文件的写法登记，尚未核对" + (f"；与同一登记表中的{near}写法相近，可能是同一单位。" if near else "。"))


def unit_pages(catalogue: Catalogue) -> list[TermPage]:
    pages = []
    for unit in catalogue.units:
        related = []
        if unit.members:
            related.append(("包括的单位", unit.members))
        if unit.collectives:
            related.append(("所属统称", unit.collectives))
        tasks = unit.all_tasks
        whose = _whose(catalogue, unit.government)
        pages.append(TermPage(
            path=unit.path, template="term.html", title=unit.name, nav="units",
            description=f"{whose}{unit.name}承担的{len(tasks)}项重点工作。",
            crumbs=[HOME, _registry_crumb(catalogue, unit.government, "责任单位", "units_path"), Crumb(unit.name)],
            kind=f"{unit.government.name} · {unit.kind_label}" if whose else unit.kind_label, term=unit, tasks=tasks,
            government=unit.government,
            intro=(f"{unit.name}承担 {len(tasks)} 项重点工作："
                   f"{_count_note(unit) or '暂无'}。") + _review_note(unit),
            groups=([g for plan in plans_of(tasks) for g in unit_groups(unit, plan, True)]
                    if len(catalogue.plans) > 1 else unit_groups(unit)), related=related,
            chart=_chart(f"chart-{unit.slug}", tasks, catalogue,
                                     f"{unit.name}承担的任务按进展状态统计") if tasks else Markup(""),
        ))
    return pages


def status_pages(catalogue: Catalogue, plan: Plan | None = None) -> list[TermPage]:
    plan = plan or catalogue.plans[0]
    by_status = _by_status(plan)
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
            description=f"截至{zh_date(plan.as_of)}状态为“{status.label}”的{len(tasks)}项重点工作。",
            crumbs=_plan_crumbs(catalogue, plan) + [Crumb("进展状态", plan.statuses_path), Crumb(status.label)],
            kind="进展状态", term=status, tasks=tasks, plan=plan,
            intro=f"{status.meaning}共 {len(tasks)} 项。",
            groups=[g for g in groups if g.tasks],
            empty_note=_empty_status_note(plan, status),
            rounds=round_counts(plan, tasks),
        ))
    return pages


def round_pages(catalogue: Catalogue, plan: Plan) -> list[RoundPage]:
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
            description=f"{round_.name}：要求 {len(round_.units)} 个牵头单位报送 {len(tasks)} 项任务截至"
                        f"{zh_date(round_.as_of)}的进展，报送截止{zh_date(round_.due)}。",
            crumbs=_plan_crumbs(catalogue, plan) + [Crumb("进展状态", plan.statuses_path), Crumb(round_.name)],
            plan=plan, round=round_, units=units, count=round_count(round_, tasks),
        ))
    return pages


def _empty_status_note(plan: Plan, status: Status) -> str:
    """An empty status is not good news while the site knows nothing of many tasks: say how many."""
    unknown = sum(1 for task in plan.tasks if not task.updates)
    note = f"截至{zh_date(plan.as_of)}，本站没有状态为“{status.label}”的任务。"
    if unknown:
        note += (f"这不表示没有任务处于这一状态：全部 {len(plan.tasks)} 项任务中，"
                 f"有 {unknown} 项本站尚无任何进展信息。")
    return note


@dataclass
class CorrectionsPage(Page):
    source_path: str = ""


def corrections_page(catalogue: Catalogue) -> CorrectionsPage:
    return CorrectionsPage(
        path="corrections/index.html", template="corrections.html", title="原文与校订", nav="",
        description=f"本站对{catalogue.site.source_number}扫描件所作的全部更正和存疑之处，以及未经改动的扫描件原文。",
        crumbs=[HOME, Crumb("原文与校订")], source_path=SOURCE_PATH,
    )


# A task's item, or a term's entry on an index, is some 600 bytes of HTML: 500 keep a page
# near 300 KB, where a status page of 100,000 tasks would otherwise weigh 30 MB.
TASKS_PER_PAGE = 500
TERMS_PER_PAGE = 500


def paginate(page: TermPage | TaxonomyPage, limit: int | None = None) -> list[Page]:
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
            heading = group.heading + ("（续）" if part and group.heading else "")
            pages[-1].append(replace(group, heading=heading, **{items: taken}))
            room -= len(taken)
            part += 1
    folder = page.path[: -len("index.html")]
    paths = [page.path] + [f"{folder}page/{n}/index.html" for n in range(2, len(pages) + 1)]
    pagination = list(enumerate(paths, start=1))
    return [
        replace(page, path=path, groups=groups, pagination=pagination, page_number=number,
                title=page.title if number == 1 else f"{page.title}（第 {number} 页）",
                crumbs=page.crumbs if number == 1 else
                page.crumbs[:-1] + [Crumb(page.crumbs[-1].label, page.path), Crumb(f"第 {number} 页")])
        for (number, path), groups in zip(pagination, pages)
    ]


def task_pages(catalogue: Catalogue, plan: Plan | None = None) -> list[TaskPage]:
    plan = plan or catalogue.plans[0]
    pages = []
    site = catalogue.site
    # The crumbs down to a subsection are the same for each of its tasks: made once per subsection.
    above: dict[int, list[Crumb]] = {}
    for index, task in enumerate(plan.tasks):
        previous, next_ = _neighbours(plan.tasks, index)
        crumbs = above.get(id(task.subsection))
        if crumbs is None:
            crumbs = above[id(task.subsection)] = _plan_crumbs(catalogue, plan) + [
                Crumb(charts.short_label(task.section), task.section.path),
                Crumb(task.subsection.label.rstrip("。"), f"{task.section.path}#{task.subsection.anchor}")]
        pages.append(TaskPage(
            path=task.path, template="task.html", title=task.heading, nav="sections",
            description=_shorten(task.text, 110),
            crumbs=crumbs + [Crumb(f"任务 {task.label}")],
            task=task, status_date=task.status_date or plan.as_of, plan=plan,
            previous=previous, next=next_, edit_url=site.edit_url(task.file),
        ))
    return pages


def data_page(catalogue: Catalogue) -> DataPage:
    return DataPage(
        path="data/index.html", template="data.html", title="开放数据", nav="data",
        description="全部重点工作任务的开放数据（JSON 与 CSV）及字段说明。",
        crumbs=[HOME, Crumb("开放数据")],
        fields=FIELDS, examples=_examples(catalogue),
        files=[("data/tasks.csv", "全部任务（CSV，可用 Excel 打开）", "CSV"),
               ("data/tasks.json", "全部任务（JSON）", "JSON")],
    )


def _examples(catalogue: Catalogue) -> dict[str, str]:
    """Each field's value in one real task: the first with targets and co-responsible units."""
    if not catalogue.tasks:
        return {}
    task = next((t for t in catalogue.tasks if t.targets and t.responsible_units and t.subjects),
                catalogue.tasks[0])
    record = task_record(catalogue, task)
    return {f.name: _csv_text(f.name, record[f.name]) for f in FIELDS}


def search_page() -> Page:
    return Page(path="search/index.html", template="search.html", title="搜索任务", nav="search",
                description="按关键词搜索全部重点工作任务。", crumbs=[HOME, Crumb("搜索")])


@dataclass
class NotFoundPage(Page):
    root: str = "/"  # the folder part of the base URL: where the site's root is when hosted


def not_found_page(catalogue: Catalogue) -> NotFoundPage:
    """Served for any missing address, so its script finds the site root before links load."""
    folder = catalogue.site.base_url.split("://", 1)[-1].partition("/")[2]
    return NotFoundPage(path="404.html", template="404.html", title="找不到这个页面", nav="",
                        description="页面不存在。", in_sitemap=False, root="/" + folder)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def all_pages(catalogue: Catalogue, templates_dir: Path, plan_ids: Collection[str] | None = None) -> list[Page]:
    """Every page of the site, in a stable order; with `plan_ids`, the pages of every plan and
    only those of the listed plans' own (the preview's, when a save touched those plans)."""
    own = [plan for plan in catalogue.plans if plan_ids is None or plan.first or plan.id in plan_ids]
    pages: list[Page] = [home_page(catalogue)]
    if len(catalogue.plans) > 1:
        pages += [home_page(catalogue, plan, plan.path) for plan in own]
    subjects = catalogue.subjects
    indexes = [page for plan in own for page in taxonomy_pages(catalogue, plan)
               if plan.first or page.plan is not None]
    indexes += [page for government in catalogue.governments[1:] for page in government_indexes(catalogue, government)]
    for index_page in indexes + ([subject_taxonomy_page(catalogue)] if subjects else []):
        pages += paginate(index_page)
    for term_page in ([page for plan in own for page in section_pages(catalogue, plan)]
                      + leader_pages(catalogue) + unit_pages(catalogue)
                      + [page for plan in own for page in status_pages(catalogue, plan)]
                      + (subject_pages(catalogue) if subjects else [])):
        pages += paginate(term_page)
    pages += [page for plan in own for page in round_pages(catalogue, plan)]
    pages += [page for plan in own for page in task_pages(catalogue, plan)]
    pages.append(data_page(catalogue))
    pages.append(corrections_page(catalogue))
    if (templates_dir / "search.html").exists():
        pages.append(search_page())
    pages.append(not_found_page(catalogue))
    return pages


# --- output --------------------------------------------------------------------------------

# A page of every plan (a leader's, a unit's, a theme's) names in its footer the documents of the
# plans its tasks come from, up to this many; past it, it points to the list of all plans, where
# each is named. Every plan named on every such page was 80 KB a page at 600 plans.
CITED_PLANS = 5


def cited_plans(catalogue: Catalogue, page: Page) -> list[Plan]:
    """The plans whose documents a page of every plan draws on: a term page's tasks', or all."""
    if isinstance(page, TermPage) and page.tasks:
        return plans_of(page.tasks)
    return catalogue.plans


def render_page(env: jinja2.Environment, catalogue: Catalogue, page: Page) -> str:
    try:
        template = env.get_template(page.template)
        several = len(catalogue.plans) > 1 and page.plan is None
        cited = cited_plans(catalogue, page) if several else []
        return template.render(catalogue=catalogue, site=catalogue.site, page=page, page_path=page.path,
                               plan=catalogue.plan_for(page), cited=cited, cite_each=len(cited) <= CITED_PLANS)
    except jinja2.TemplateError as error:
        where = f"{error.filename}:{error.lineno}" if getattr(error, "lineno", None) else page.template
        raise BuildError(f"template {where} failed while rendering {page.path}: {error}") from error


SITEMAP_LIMIT = 50_000  # URLs in one sitemap file, by the sitemaps.org protocol
SITEMAP_XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemaps(catalogue: Catalogue, pages: list[Page], limit: int = SITEMAP_LIMIT) -> Outputs:
    """sitemap.xml; past `limit` URLs, an index of sitemaps/1.xml, sitemaps/2.xml … instead.
    A sitemap lists absolute addresses: without a base URL there is none."""
    if not catalogue.site.base_url:
        return {}
    urls = sorted(catalogue.site.absolute(p.path) for p in pages if p.in_sitemap)
    if len(urls) <= limit:
        return {"sitemap.xml": _sitemap_file("urlset", "url", urls)}
    parts = {f"sitemaps/{n}.xml": urls[start:start + limit]
             for n, start in enumerate(range(0, len(urls), limit), start=1)}
    outputs = {path: _sitemap_file("urlset", "url", part) for path, part in parts.items()}
    outputs["sitemap.xml"] = _sitemap_file("sitemapindex", "sitemap",
                                           [catalogue.site.absolute(path) for path in parts])
    return outputs


def _sitemap_file(root: str, entry: str, urls: list[str]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{SITEMAP_XMLNS}">']
    lines += [f"  <{entry}><loc>{_xml_escape(url)}</loc></{entry}>" for url in urls]
    lines.append(f"</{root}>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def robots(catalogue: Catalogue) -> bytes:
    """Everything but the editor form; the path is the site's own when it lives under one."""
    base_path = urlsplit(catalogue.site.base_url).path if catalogue.site.base_url else "/"
    admin = base_path + ADMIN_PATH.rsplit("/", 1)[0] + "/"
    sitemap_line = f"\nSitemap: {catalogue.site.base_url}sitemap.xml\n" if catalogue.site.base_url else ""
    return f"User-agent: *\nDisallow: {admin}\nAllow: /\n{sitemap_line}".encode("utf-8")


class RenderedPages(Mapping):
    """Pages by their path in site/, each rendered when it is read: the writer takes them one
    at a time, so the site is never whole in memory (300 MB at 10,000 tasks)."""

    def __init__(self, catalogue: Catalogue, templates_dir: Path, pages: list[Page]):
        self.catalogue = catalogue
        self.env = make_environment(templates_dir, catalogue)
        self.pages: dict[str, Page] = {}
        for page in pages:
            if page.path in self.pages:
                raise BuildError(f"two pages would be written to {page.path}")
            self.pages[page.path] = page

    def __getitem__(self, path: str) -> bytes:
        return render_page(self.env, self.catalogue, self.pages[path]).encode("utf-8")

    def __iter__(self):
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)


def render_pages(catalogue: Catalogue, templates_dir: Path) -> Mapping[str, bytes]:
    """Every HTML page of the site, plus sitemap.xml and robots.txt, by their path in site/."""
    pages = all_pages(catalogue, templates_dir)
    others = {**sitemaps(catalogue, pages), "robots.txt": robots(catalogue)}
    return ChainMap(RenderedPages(catalogue, templates_dir, pages), others)


def render_selected(catalogue: Catalogue, templates_dir: Path, pages: list[Page]) -> Outputs:
    """The given pages, rendered, by their path in site/."""
    return dict(RenderedPages(catalogue, templates_dir, pages).items())


def tasks_shown(page: Page) -> list[Task] | None:
    """The tasks whose data a page shows: a term page's tasks (its chart counts them all, its
    lists show some), a task page's task and its neighbours, an index of every plan's terms its
    entries' tasks; None for the pages that summarise every task of a plan (home, a plan's
    indexes, an empty term page)."""
    if isinstance(page, TermPage):
        if not page.tasks:  # an empty page counts the tasks not yet reported, all of them
            return None
        return page.tasks + [task for group in page.groups for task in group.tasks]
    if isinstance(page, TaskPage):
        return [task for task in (page.task, page.previous, page.next) if task is not None]
    if isinstance(page, RoundPage):
        return _asked_tasks(page.round)
    if isinstance(page, TaxonomyPage) and page.plan is None:
        # An index of every plan's leaders, units or themes: its entries are fixed by the
        # registries, and each shows its own tasks' counts and statuses alone.
        return [task for group in page.groups for entry in group.terms for task in entry.tasks]
    return None

