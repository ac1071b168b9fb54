"""Open data: the tasks as JSON and as CSV that Excel opens without mojibake."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from .fingerprint import KeyOf, apart
from .model import Catalogue, Source, Target, Task, plain_number
from .schema import TASK
from .strings import Strings
from .write import Deferred


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    en: str
    example: str


def published(name: str) -> Column:
    """The column of a task file's field, described as the schema describes the field."""
    return Column(name, *TASK[name].meaning)


# One list drives the JSON, the CSV columns and the page that explains them. Examples of what
# a document says are taken from the catalogue's own tasks by the data page.
COLUMNS: tuple[Column, ...] = (
    published("id"),
    published("section"),
    Column("section_title", "所属篇章标题", "section title", ""),
    published("subsection"),
    Column("subsection_title", "小节标题", "subsection title", ""),
    published("number"),
    published("title"),
    published("text"),
    published("leaders"),
    published("lead_units"),
    published("responsible_units"),
    published("subjects"),
    published("status"),
    Column("status_label", "当前状态名称", "current status label", "暂无进展信息"),
    Column("status_date", "当前状态所依据的最新进展的日期（无进展时为空）", "date of the newest update, on which the status rests (empty when none)", "YYYY-MM-DD"),
    Column("status_evidence", "当前状态的依据类别，如“据新闻报道”（无进展时为空）", "the kind of evidence of the status, e.g. 据新闻报道 (empty when none)", "据统计公报"),
    published("timeframe"),
    published("deadline"),
    published("targets"),
    published("updates"),
    Column("url", "任务页面网址", "URL of the task's page", "tasks/1-5/"),
    Column("plan", "所属计划的编号（同一编号的任务属于同一份文件）", "id of the plan (the document) the task belongs to", ""),
    Column("plan_title", "所属计划的名称", "title of the plan", ""),
    published("deadline_text"),
    published("continues"),
    Column("government", "计划所属政府的编号（领导和单位属于该政府，不同政府的同名单位是两个单位）",
           "id of the government the plan is of (its leaders and units are that government's)", ""),
    Column("government_name", "计划所属政府的名称", "name of the government", ""),
    published("and_others"),
)

LIST_SEPARATOR = "；"


def task_record(catalogue: Catalogue, task: Task, say: Strings) -> dict:
    """The task as plain data, the same for JSON and CSV; `say`, the site's wording, says what
    its status rests on."""
    return {
        "id": task.id,
        "section": task.section.number,
        "section_title": task.section.title,
        "subsection": task.subsection.number,
        "subsection_title": task.subsection.title,
        "number": task.number,
        "title": task.title,
        "text": task.text,
        "leaders": [l.name for l in task.leaders],
        "lead_units": [u.name for u in task.lead_units],
        "responsible_units": [u.name for u in task.responsible_units],
        "subjects": [s.name for s in task.subjects],
        "status": task.status.code,
        "status_label": task.status.label,
        "status_date": task.status_date.isoformat() if task.status_date else None,
        "status_evidence": (say.according_to(task.updates[-1].source) or None
                            if task.updates and task.updates[-1].source else None),
        "timeframe": task.timeframe.kind if task.timeframe else None,
        "deadline": ({"date": task.deadline.date.isoformat(), "source": _source(task.deadline.source)}
                     if task.deadline else None),
        "targets": [
            _target(t) for t in task.targets
        ],
        "updates": [
            {"date": u.date.isoformat(), "status": u.status.code, "note": u.note, "source": _source(u.source)}
            for u in task.updates
        ],
        # Relative to the site's address when it has none: never a made-up host.
        "url": catalogue.site.absolute(task.path) or task.path.removesuffix("index.html"),
        "plan": task.plan.id,
        "plan_title": task.plan.title,
        "deadline_text": task.deadline_text or None,
        "continues": task.continues.key if task.continues else None,
        "government": task.plan.government.id if task.plan.government else None,
        "government_name": task.plan.government.name if task.plan.government else None,
        "and_others": list(task.and_others),
    }


def _source(source: Source | None) -> dict | None:
    if source is None:
        return None
    record = {"title": source.title or None, "date": source.date.isoformat() if source.date else None,
              "url": source.url or None, "kind": source.kind or None, "publisher": source.publisher or None}
    if source.accessed:
        record["accessed"] = source.accessed.isoformat()
    if source.copy_of:
        record["copy_of"] = {"publisher": source.copy_of.publisher, "title": source.copy_of.title or None,
                             "date": source.copy_of.date.isoformat() if source.copy_of.date else None}
    if source.round:  # a lead unit's submission answering a reporting round
        record["round"] = source.round.isoformat()
    if source.cites:  # the public source a submission cited
        record["cites"] = {"title": source.cites.title, "url": source.cites.url or None}
    return record


def _target(t: Target) -> dict:
    if t.is_milestone:
        return {"label": t.label, "kind": "milestone", "achieved": t.achieved, "interim": t.interim,
                "achieved_date": t.achieved_date.isoformat() if t.achieved_date else None,
                "source": _source(t.source)}
    return {"label": t.label, "kind": "number", "target": t.target, "unit": t.unit,
            "comparator": t.comparator, "actual": t.actual,
            "actual_date": t.actual_date.isoformat() if t.actual_date else None,
            "interim": t.interim, "achieved": t.verdict,
            "source": _source(t.source)}


# A task's open data as its files write it: its JSON record (one level deeper inside the list) and
# its CSV row, by the fingerprint of what the record is made from (fingerprint.KeyOf).
Pieces = dict[bytes, tuple[bytes, bytes]]


def task_pieces(catalogue: Catalogue, say: Strings, known: Pieces, key_of: KeyOf) -> list[tuple[bytes, bytes]]:
    """Every task's JSON record and CSV row. `known` holds those of an earlier build, by
    `key_of`: a task made from what an earlier one was made from is not written out again (nor
    its record made: at 10,000 tasks that was most of a second build's open data). It is left
    holding this build's pieces only."""
    pieces, used = [], {}
    row = io.StringIO(newline="")
    writer = csv.writer(row, lineterminator="\r\n")
    for task in catalogue.tasks:
        key = key_of(task)
        piece = known.get(key) or used.get(key)
        if piece is None:
            record = task_record(catalogue, task, say)
            row.seek(0)
            row.truncate()
            writer.writerow([_csv_cell(f.name, record[f.name], say) for f in COLUMNS])
            piece = (_RECORD.encode(record).encode("utf-8"), row.getvalue().encode("utf-8"))
        used[key] = piece
        pieces.append(piece)
    known.clear()
    known.update(used)
    return pieces


# One record a line: a download of 10,000 tasks diffs, greps and streams task by task, and is
# written by json's encoder in C (with an indent json falls back to its encoder in Python, a
# generator per container: three quarters of a second at 10,000 tasks).
_RECORD = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def tasks_json(pieces: list[tuple[bytes, bytes]]) -> bytes:
    """The list of records, each on a line of its own, joined from each task's: at 100,000 tasks
    the list of records, its text and its bytes together took 700 MB."""
    out = io.BytesIO()
    out.write(b"[")
    for position, (record, _) in enumerate(pieces):
        out.write((b",\n" if position else b"\n") + record)
    out.write(b"\n]\n" if pieces else b"]\n")
    return out.getvalue()


# A cell starting with one of these is read by spreadsheet programs as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(name: str, value, say: Strings) -> str:
    text = _csv_text(name, value, say)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_text(name: str, value, say: Strings) -> str:
    if value is None:
        return ""
    if name == "targets":
        return LIST_SEPARATOR.join(_target_cell(t, say) for t in value)
    if name == "updates":
        return str(len(value))
    if name == "deadline":
        return value["date"]
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


def _target_cell(target: dict, say: Strings) -> str:
    """A target in one cell, its outcome in words (strings.yaml, data.target…, data.milestone…)."""
    label = target["label"]
    if target["kind"] == "milestone":
        if target["interim"]:
            return say("data.milestone_interim", label=label, date=target["achieved_date"])
        if target["achieved"] is None:
            return label
        return say("data.milestone_met", label=label) if target["achieved"] else say("data.milestone_missed", label=label)
    figures = {"label": label, "target": plain_number(target["target"]), "unit": target["unit"]}
    if target["actual"] is None:
        return say("data.target", **figures)
    figures["actual"] = plain_number(target["actual"])
    if target["interim"]:
        return say("data.target_interim", date=target["actual_date"], **figures)
    if target["achieved"] is None:
        return say("data.target_unjudged", **figures)
    return say("data.target_met", **figures) if target["achieved"] else say("data.target_missed", **figures)


def tasks_csv(pieces: list[tuple[bytes, bytes]]) -> bytes:
    """CSV with a UTF-8 byte-order mark: without it Excel on Windows shows mojibake."""
    out = io.BytesIO()
    out.write("\ufeff".encode("utf-8"))
    header = io.StringIO(newline="")
    csv.writer(header, lineterminator="\r\n").writerow([f.name for f in COLUMNS])
    out.write(header.getvalue().encode("utf-8"))
    for _, row in pieces:
        out.write(row)
    return out.getvalue()


def export_outputs(catalogue: Catalogue, say: Strings, known: Pieces | None = None,
                   key_of: KeyOf | None = None) -> Deferred:
    """The open-data files, by their path in site/, each made when it is written. `known`: the
    pieces of an earlier build, by `key_of` (task_pieces); without them each task's are made."""
    if known is None or key_of is None:
        known, key_of = {}, apart
    made: list[list[tuple[bytes, bytes]]] = []

    def pieces() -> list[tuple[bytes, bytes]]:
        if not made:
            made.append(task_pieces(catalogue, say, known, key_of))
        return made[0]

    return Deferred({
        "data/tasks.json": lambda: tasks_json(pieces()),
        "data/tasks.csv": lambda: tasks_csv(pieces()),
    })
