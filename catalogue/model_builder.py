"""Turn validated content into the Catalogue: resolve every name to its registry object and
file each task under its section, leaders, units and status."""
from __future__ import annotations

import datetime as dt
from itertools import chain
from pathlib import PurePosixPath
from typing import NamedTuple

from .load import Content, Document
from .model import (Asked, Catalogue, Deadline, Government, Leader, PartialDate, Plan, Round, Section, Site, Source, Status,
                    Subject, Subsection, Target, Task, Timeframe, Unit, Update)
from .schema import MILESTONE, TARGET, TASK, UPDATE


def build_catalogue(content: Content, memo: ModelMemo | None = None) -> Catalogue:
    """Model content that validate() found sound. `memo`, kept between builds, holds what each
    task file's bytes made of it (TaskReading)."""
    site_data = content.registries["site"].data
    site = Site(**{key: site_data[key] for key in Site.__dataclass_fields__
                   if site_data.get(key) is not None and key not in ("source_date", "as_of")},
                source_date=PartialDate.parse(site_data["source_date"]))
    statuses = [
        Status(code=s["code"], label=s["label"], color=s["color"], meaning=s["meaning"], order=i,
               needs_round=bool(s.get("needs_round")))
        for i, s in enumerate(content.registries["statuses"].data)
    ]
    subjects = build_subjects(content)
    subject_by_slug = {s.slug: s for s in subjects}
    status_by_code = {s.code: s for s in statuses}

    first = Government(id=str(site_data.get("government_id") or ""), name=_first_government_name(site_data),
                       short_name=site_data.get("government_short_name") or "", first=True, order=0,
                       unit_kinds=dict(site_data.get("unit_kinds") or {}))
    governments = [(first, content.registries["leaders"].data, content.registries["units"].data)] + [
        (Government(id=g.id, name=g.registries["government"].data["name"],
                    short_name=g.registries["government"].data.get("short_name") or "", first=False, order=order,
                    unit_kinds=dict(g.registries["government"].data["unit_kinds"])),
         g.registries["leaders"].data or [], g.registries["units"].data or [])
        for order, g in enumerate(content.governments, start=1)]
    names = {}  # government id -> (leaders by name, units by name or alias)
    for government, leader_records, unit_records in governments:
        government.leaders = _build_leaders(leader_records, government)
        government.units, unit_by_name = _build_units(unit_records, government)
        names[government.id] = ({l.name: l for l in government.leaders}, unit_by_name)
    government_by_id = {government.id: government for government, _, _ in governments}
    leaders = [leader for government, _, _ in governments for leader in government.leaders]
    units = [unit for government, _, _ in governments for unit in government.units]

    plans = [_first_plan(site_data, first)] + [
        _plan(plan.id, plan.registries["plan"].data, order,
              government_by_id.get(str(plan.registries["plan"].data.get("government") or ""), first))
        for order, plan in enumerate(content.plans, start=1)]
    sources = [(content.registries["sections"].data, content.tasks)] + [
        (plan.registries["sections"].data, plan.tasks) for plan in content.plans]
    sections, tasks = [], []
    registry_rank = {item: rank for registry in (leaders, units) for rank, item in enumerate(registry)}
    for plan, (section_records, documents) in zip(plans, sources):
        plan.government.plans.append(plan)
        plan.sections = _build_sections(section_records, plan)
        plan.tasks = _build_tasks(documents, plan, content, subject_by_slug, status_by_code,
                                  *names[plan.government.id], memo)
        plan._registry_rank = registry_rank
        # Statuses are reported as of the newest update, or the date the plan.yaml gives when
        # later; without either, as of the document's own date (a year, if that is all it says).
        dates = [update.date for task in plan.tasks for update in task.updates]
        dates += [plan.as_of] if plan.as_of is not None else []
        plan.as_of = max(dates) if dates else plan.source_date
        sections += plan.sections
        tasks += plan.tasks
    _link_continued(plans)
    _file_tasks(tasks)
    file_under_subjects(tasks)
    site.as_of = plans[0].as_of
    current = site_data.get("current_plan")
    rounds = build_rounds(content.registries.get("rounds"), plans, names)
    return Catalogue(site=site, sections=sections, leaders=leaders, units=units,
                     statuses=statuses, tasks=tasks, subjects=subjects, plans=plans,
                     current_plan=next((p for p in plans if p.id == current), plans[0]),
                     governments=[government for government, _, _ in governments], rounds=rounds)


def build_rounds(document: Document | None, plans: list[Plan], names: dict[str, tuple[dict, dict]]) -> list[Round]:
    """The reporting rounds of content/rounds.yaml, each with every (unit, task) it asked about
    and the submission that answered it; filed under their plans and tasks, oldest first. A
    round's names are those of its plan's government."""
    plan_by_id = {plan.id: plan for plan in plans}
    rounds = []
    for record in document.data if document else []:
        plan = plan_by_id[record["plan"]] if record.get("plan") else plans[0]
        leader_by_name, unit_by_name = names[plan.government.id]
        round_ = Round(plan=plan, as_of=record["as_of"], due=record["due"],
                       units=[unit_by_name[name] for name in record["units"]], title=record.get("title") or "",
                       sent=record.get("sent"), closed=record.get("closed"),
                       leader=leader_by_name[record["leader"]] if record.get("leader") else None)
        for unit in round_.units:
            for task in unit.tasks_in(plan).led:
                if round_.leader is None or round_.leader in task.leaders:
                    round_.asked.append(Asked(round_, unit, task, _answer(task, unit, round_, unit_by_name)))
        rounds.append(round_)
    for round_ in sorted(rounds, key=lambda r: r.as_of):
        round_.plan.rounds.append(round_)
        for asked in round_.asked:
            asked.task.asked.append(asked)
    return rounds


def _answer(task: Task, unit: Unit, round_: Round, unit_by_name: dict[str, Unit]) -> Update | None:
    """The unit's newest submission for the task that answers the round."""
    for update in reversed(task.updates):
        source = update.source
        if (source is not None and source.is_submission and source.round == round_.as_of
                and unit_by_name.get(source.publisher) is unit):
            return update
    return None


GOVERNMENT_OFFICE = ("办公厅", "办公室")


def _first_government_name(site: dict) -> str:
    """site.yaml's government_name, else the issuer without its office (…人民政府办公厅 → …人民政府)."""
    if site.get("government_name"):
        return site["government_name"]
    issuer = site.get("issuer") or ""
    for office in GOVERNMENT_OFFICE:
        if issuer.endswith(office) and len(issuer) > len(office):
            return issuer[: -len(office)]
    return issuer


def _build_leaders(records: list[dict], government: Government) -> list[Leader]:
    return [Leader(name=l["name"], slug=l["slug"], post=l.get("post") or "", post_source=l.get("post_source") or "",
                   posts=[(p["post"], p["from"], p.get("until")) for p in l.get("posts") or []],
                   government=government, reviewed=l.get("reviewed", True) is not False)
            for l in records]


def _first_plan(site: dict, government: Government) -> Plan:
    """The plan at the top of content/, described by site.yaml."""
    source_date = PartialDate.parse(site["source_date"])
    return Plan(id=site.get("plan_id") or str(source_date.year),
                title=site.get("plan_title") or site["title"],
                short_title=site.get("plan_short_title") or site.get("plan_title") or site["title"],
                source_title=site["source_title"], source_number=site["source_number"],
                source_date=source_date, as_of=site.get("as_of"), issuer=site.get("issuer") or "",
                description=site.get("description") or "", leader_label=site.get("leader_label") or "牵头领导",
                deadline_note=site.get("deadline_note") or "", source_access=site.get("source_access") or "",
                source_copy=site.get("source_copy") or "", first=True, order=0, government=government)


def _plan(plan_id: str, data: dict, order: int, government: Government) -> Plan:
    """A further plan, from its plan.yaml."""
    return Plan(id=plan_id, title=data["title"], short_title=data.get("short_title") or data["title"],
                source_title=data.get("source_title") or data["title"], source_number=data.get("source_number") or "",
                source_date=PartialDate.parse(data["source_date"]), as_of=data.get("as_of"),
                issuer=data.get("issuer") or "", description=data.get("description") or "",
                leader_label=data.get("leader_label") or "牵头领导", deadline_note=data.get("deadline_note") or "",
                source_access=data.get("source_access") or "", source_copy=data.get("source_copy") or "",
                first=False, order=order, government=government)


def _link_continued(plans: list[Plan]) -> None:
    """Resolve each `continues: <plan>/<task>` both ways."""
    continuing = [task for plan in plans for task in plan.tasks if task.continues_key]
    if not continuing:
        return
    by_key = {task.key: task for plan in plans for task in plan.tasks}
    for task in continuing:
        task.continues = by_key[task.continues_key]
        task.continues.continued_by.append(task)


def task_file(content: Content, document: Document) -> str:
    """Where a task's file is inside content/ (Task.file): tasks/4-10.yaml."""
    # A string operation where it suffices: a PurePosixPath per task was half a second at 10,000.
    root = content.root.name + "/"
    return (document.file[len(root):] if document.file.startswith(root)
            else str(PurePosixPath(document.file).relative_to(content.root.name)))


class TaskReading(NamedTuple):
    """What a task file's bytes make of it before its names are looked up in the registries: its
    fields, and the dates, sources and wording of its deadline, targets and updates. The same for
    the same bytes, it is kept between builds by their digest (ModelMemo): the preview, which
    models every task again after each save, reads again only the file that changed."""

    values: dict
    deadline: Deadline | None
    timeframe: Timeframe | None
    targets: tuple[dict, ...]  # each Target's fields but the plan's year end
    updates: tuple[tuple[dt.date, str, str, Source | None], ...]  # date, status code, note, source


# Task file digest -> its reading: what modelling a task needs of its file alone.
ModelMemo = dict[bytes, TaskReading]


def read_task(data: dict) -> TaskReading:
    values = TASK.read(data)
    deadline, timeframe = values["deadline"], values["timeframe"]
    return TaskReading(
        values,
        Deadline(deadline["date"], Source.parse(deadline["source"])) if deadline else None,
        Timeframe(timeframe["kind"], tuple(timeframe["phrases"])) if timeframe else None,
        tuple(_target_fields(target) for target in values["targets"]),
        tuple(_update_fields(update) for update in values["updates"]))


def _build_tasks(documents: list[Document], plan: Plan, content: Content, subject_by_slug, status_by_code,
                 leader_by_name, unit_by_name, memo: ModelMemo | None = None) -> list[Task]:
    section_by_number = {s.number: s for s in plan.sections}
    # Section.subsection's answers, each looked up in a dict rather than searched for.
    subsection_by_number = {section.number: _first_by_number(section.subsections) for section in plan.sections}
    year_end = dt.date(plan.source_date.year, 12, 31)
    tasks = []
    for document in documents:
        reading = memo.get(document.digest) if memo is not None else None
        if reading is None:
            reading = read_task(document.data)
            if memo is not None and document.digest:  # a file read from disk; not a document made in memory
                memo[document.digest] = reading
        values = reading.values
        section = section_by_number[values["section"]]
        task = Task(
            id=values["id"],
            section=section,
            subsection=subsection_by_number[values["section"]].get(values["subsection"]),
            number=values["number"],
            text=values["text"].strip(),
            leaders=[leader_by_name[name] for name in values["leaders"]],
            lead_units=[unit_by_name[name] for name in values["lead_units"]],
            responsible_units=[unit_by_name[name] for name in values["responsible_units"]],
            status=status_by_code[values["status"]],
            deadline=reading.deadline,
            timeframe=reading.timeframe,
            targets=[Target(**fields, year_end=year_end) for fields in reading.targets],
            updates=[Update(date, status_by_code[status], note, source) for date, status, note, source in reading.updates],
            file=task_file(content, document),
            subjects=[subject_by_slug[slug] for slug in values["subjects"]],
            editor_title=values["title"],
            plan=plan,
            deadline_text=values["deadline_text"],
            and_others=tuple(values["and_others"]),
            continues_key=values["continues"],
        )
        tasks.append(task)
    tasks.sort(key=Task.sort_key)
    return tasks


def _first_by_number(items: list[Subsection]) -> dict[int, Subsection]:
    """Each by its number: the first of a number, as a search from the start finds it."""
    by_number: dict[int, Subsection] = {}
    for item in items:
        by_number.setdefault(item.number, item)
    return by_number


def build_subjects(content: Content) -> list[Subject]:
    """The subjects of content/subjects.yaml in its order; none when the file is absent."""
    document = content.registries.get("subjects")
    records = document.data if document else []
    return [Subject(slug=s["slug"], name=s["name"], synonyms=list(s.get("synonyms") or [])) for s in records]


def file_under_subjects(tasks: list[Task]) -> None:
    """Add each task to its subjects' lists, in document order."""
    for task in tasks:
        for subject in task.subjects:
            subject.tasks.append(task)


def _target_fields(data: dict) -> dict:
    if data.get("kind") == "milestone":
        values = MILESTONE.read(data)
        return dict(label=values["label"], kind="milestone", achieved_date=values["achieved_date"], **_outcome(values))
    values = TARGET.read(data)
    return dict(label=values["label"], target=values["target"], unit=values["unit"], comparator=values["comparator"],
                actual=values["actual"], actual_date=values["actual_date"], **_outcome(values))


def _outcome(values: dict) -> dict:
    """What a target and a milestone both record of their outcome."""
    return dict(achieved=values["achieved"], source=Source.parse(values["source"]), searched=values["searched"])


def _update_fields(data: dict) -> tuple[dt.date, str, str, Source | None]:
    values = UPDATE.read(data)
    return values["date"], values["status"], values["note"], Source.parse(values["source"])


def _build_units(records: list[dict], government: Government | None = None) -> tuple[list[Unit], dict[str, Unit]]:
    """One government's units, with collectives linked to their members, and each unit by name and alias."""
    units = [
        Unit(name=u["name"], slug=u["slug"], kind=u["kind"], aliases=list(u.get("aliases") or []),
             short_names=list(u.get("short_names") or []),
             government=government, reviewed=u.get("reviewed", True) is not False,
             resembles=list(u.get("resembles") or []),
             kind_label=government.unit_kinds.get(u["kind"], "") if government else "")
        for u in records
    ]
    by_name = {name: unit for unit in units for name in [unit.name, *unit.aliases]}
    for unit, record in zip(units, records):
        for member_name in record.get("members") or []:
            member = by_name[member_name]
            unit.members.append(member)
            member.collectives.append(unit)
    return units, by_name


def _build_sections(records: list[dict], plan: Plan | None = None) -> list[Section]:
    sections = []
    for record in sorted(records, key=lambda r: r["number"]):
        section = Section(number=record["number"], title=record["title"],
                          declared_count=record["declared_count"], plan=plan)
        section.subsections = [
            Subsection(section=section, number=s["number"], title=s["title"])
            for s in sorted(record["subsections"], key=lambda s: s["number"])
        ]
        sections.append(section)
    return sections


def _file_tasks(tasks: list[Task]) -> None:
    """Add each task to the lists of every term it belongs to, in document order."""
    # Each unit's every task (Unit.all_tasks), filed here in order rather than sorted from its
    # three lists when first asked for: some 3,000 sorts, a twentieth of a second at 10,000 tasks.
    every: dict[Unit, list[Task]] = {}
    for task in tasks:
        task.section.tasks.append(task)
        task.subsection.tasks.append(task)
        task.status.tasks.append(task)
        for leader in task.leaders:
            leader.tasks.append(task)
        for unit in task.lead_units:
            unit.led_tasks.append(task)
        # A unit already holds this task only if it was filed above, in this same pass: look
        # that up in a set of this task's units (hashed by identity), not in the units' ever
        # longer lists.
        filed = set(task.lead_units)
        for unit in task.responsible_units:
            if unit not in filed:
                unit.co_tasks.append(task)
                filed.add(unit)
        for collective in task.lead_units + task.responsible_units:
            for member in collective.members:
                if member not in filed:
                    member.collective_tasks.append(task)
                    filed.add(member)
        for unit in filed:
            its_tasks = every.get(unit)
            if its_tasks is None:
                every[unit] = [task]
            else:
                its_tasks.append(task)
    for unit, its_tasks in every.items():
        unit._all_tasks = its_tasks


# Between the kinds of things filed_under names.
THEN = None


def filed_under(task: Task) -> list:
    """The things whose lists of tasks hold `task`, by how they hold it, as build_catalogue files
    it (_file_tasks, file_under_subjects, Plan.tasks, _link_continued), each kind followed by
    THEN: its plan, section, subsection and status; its leaders; its subjects; the units it names
    to lead it; to share it; the members of those units (a collective's); the task it continues
    (whose continued_by holds it) and those that continue it (whose continues is it). A task
    filed as it was filed before, in its place (Task.order), leaves every list that does not hold
    it as it was (fingerprint.Fingerprints.since)."""
    named = task.lead_units + task.responsible_units
    return [task.plan, task.section, task.subsection, task.status, THEN, *task.leaders, THEN, *task.subjects, THEN,
            *task.lead_units, THEN, *task.responsible_units, THEN, *chain.from_iterable([unit.members for unit in named]),
            THEN, task.continues, THEN, *task.continued_by]
