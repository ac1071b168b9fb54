"""Open data: the tasks as JSON and as CSV that Excel opens without mojibake."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from .model import Catalogue, Source, Target, Task, plain_number
from .write import Deferred


@dataclass(frozen=True)
class Field:
    name: str
    zh: str
    en: str
    example: str


# One list drives the JSON, the CSV columns and the page that explains them. Examples of what
# a document says are taken from the catalogue's own tasks by the data page (render.data_page).
FIELDS: tuple[Field, ...] = (
    Field("id", "任务编号：篇章序号-任务序号", "task id: <section>-<number>", "1-5"),
    Field("section", "所属篇章序号", "section number", "1"),
    Field("section_title", "所属篇章标题", "section title", ""),
    Field("subsection", "篇章内的小节序号", "subsection number within the section", "2"),
    Field("subsection_title", "小节标题", "subsection title", ""),
    Field("number", "任务在篇章内的序号", "task number within the section", "5"),
    Field("title", "简短标题：本站编辑所写；尚未拟定时为任务全文", "short title written by the site's editors; the whole text until one is written", ""),
    Field("text", "具体工作任务和要求（原文）", "the task as the document states it", ""),
    Field("leaders", "牵头领导", "responsible leaders", ""),
    Field("lead_units", "牵头单位", "lead units", ""),
    Field("responsible_units", "责任单位（配合单位）", "co-responsible units", ""),
    Field("subjects", "主题（本站编辑所标，不是原文件的分类），见主题页", "subjects (tagged by the site's editors, not the document's)", ""),
    Field("status", "当前状态代码", "current status code", "no_information"),
    Field("status_label", "当前状态名称", "current status label", "暂无进展信息"),
    Field("status_date", "当前状态所依据的最新进展的日期（无进展时为空）", "date of the newest update, on which the status rests (empty when none)", "YYYY-MM-DD"),
    Field("status_evidence", "当前状态的依据类别，如“据新闻报道”（无进展时为空）", "the kind of evidence of the status, e.g. 据新闻报道 (empty when none)", "据统计公报"),
    Field("timeframe", "期限类别：multi_year（多年期）、ongoing（持续性），年度任务为空", "timeframe: multi_year, ongoing, or empty for a task of the year", "multi_year"),
    Field("deadline", "有出处的完成时限（无出处时为空）", "deadline with its source (empty without one)", ""),
    Field("targets", "量化指标：名称、目标值、单位、实际完成值", "quantified targets: label, target, unit, actual value", ""),
    Field("updates", "进展记录条数", "number of dated updates", "0"),
    Field("url", "任务页面网址", "URL of the task's page", "tasks/1-5/"),
    Field("plan", "所属计划的编号（同一编号的任务属于同一份文件）", "id of the plan (the document) the task belongs to", ""),
    Field("plan_title", "所属计划的名称", "title of the plan", ""),
    Field("deadline_text", "原文件“完成时限”一栏的原文（没有该栏时为空）", "the document's own deadline column, as written", ""),
    Field("continues", "本项延续的前一计划任务：计划编号/任务编号", "the earlier plan's task this one continues: <plan>/<task>", ""),
    Field("government", "计划所属政府的编号（领导和单位属于该政府，不同政府的同名单位是两个单位）",
          "id of the government the plan is of (its leaders and units are that government's)", ""),
    Field("government_name", "计划所属政府的名称", "name of the government", ""),
    Field("and_others", "原文件以“等”结尾的名单（leaders、lead_units、responsible_units）",
          "the lists the document ends with 等 (and others)", ""),
)

LIST_SEPARATOR = "；"


def task_record(catalogue: Catalogue, task: Task) -> dict:
    """The task as plain data, the same for JSON and CSV."""
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
        "status_evidence": (task.updates[-1].source.according_to or None
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


def tasks_json(catalogue: Catalogue) -> bytes:
    """The records as json.dumps(records, indent=1) writes them, made one record at a time: at
    100,000 tasks the list of records, its text and its bytes together took 700 MB."""
    out = io.BytesIO()
    out.write(b"[")
    for position, task in enumerate(catalogue.tasks):
        record = json.dumps(task_record(catalogue, task), ensure_ascii=False, indent=1)
        # One level deeper inside the list; a JSON string never holds a raw line break.
        out.write(((",\n " if position else "\n ") + record.replace("\n", "\n ")).encode("utf-8"))
    out.write(b"\n]\n" if catalogue.tasks else b"]\n")
    return out.getvalue()


# A cell starting with one of these is read by spreadsheet programs as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(name: str, value) -> str:
    text = _csv_text(name, value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_text(name: str, value) -> str:
    if value is None:
        return ""
    if name == "targets":
        return LIST_SEPARATOR.join(_target_cell(t) for t in value)
    if name == "updates":
        return str(len(value))
    if name == "deadline":
        return value["date"]
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


def _target_cell(target: dict) -> str:
    if target["kind"] == "milestone":
        state = {True: "（已达成）", False: "（未达成）", None: ""}[target["achieved"]]
        if target["interim"]:
            state = f"（截至{target['achieved_date']}尚未达成，年内情况）"
        return f"{target['label']}{state}"
    number = plain_number(target["target"])
    actual = ""
    if target["actual"] is not None:
        figure = plain_number(target["actual"])
        actual = (f"（截至{target['actual_date']} {figure}，年内数据）" if target["interim"]
                  else f"（实际 {figure}，{ {True: '达到', False: '未达到', None: '未判定'}[target['achieved']] }）")
    return f"{target['label']} {number}{target['unit']}{actual}"


def tasks_csv(catalogue: Catalogue) -> bytes:
    """CSV with a UTF-8 byte-order mark: without it Excel on Windows shows mojibake. Rows are
    encoded as they are written, not held as text first."""
    out = io.BytesIO()
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([f.name for f in FIELDS])
    for task in catalogue.tasks:
        record = task_record(catalogue, task)
        writer.writerow([_csv_cell(f.name, record[f.name]) for f in FIELDS])
    text.detach()
    return out.getvalue()


def export_outputs(catalogue: Catalogue) -> Deferred:
    """The open-data files, by their path in site/, each made when it is written."""
    return Deferred({
        "data/tasks.json": lambda: tasks_json(catalogue),
        "data/tasks.csv": lambda: tasks_csv(catalogue),
    })
