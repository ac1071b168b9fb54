"""The open-data files of a small content tree, field by field, against the values written in
the content: what a reader downloading tasks.json or tasks.csv gets."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import yaml

from catalogue import exports
from catalogue.exports import COLUMNS, _csv_cell, export_outputs, task_record as record_of
from catalogue.fingerprint import Fingerprints
from catalogue.pipeline import PROJECT_ROOT, Paths, check
from catalogue.strings import Strings
from tiny_content import write_tiny_content

SAY = Strings.read(PROJECT_ROOT / "templates")


@pytest.fixture
def tiny_catalogue(tmp_path):
    content = write_tiny_content(tmp_path)
    task_file = content / "tasks" / "1-02.yaml"
    task = yaml.safe_load(task_file.read_text(encoding="utf-8"))
    task["title"] = "新增高新技术企业"
    task["timeframe"] = {"kind": "multi_year", "phrases": ["到2025年"]}
    task["targets"].append({"label": "出台认定办法", "kind": "milestone", "achieved": True,
                            "achieved_date": dt.date(2021, 5, 1),
                            "source": {"title": "认定办法", "date": dt.date(2021, 5, 1), "kind": "official_report",
                                       "url": "https://example.org/banfa"}})
    task["targets"].append({"label": "研发投入", "kind": "milestone", "achieved": False, "achieved_date": None,
                            "source": None})
    task["targets"].append({"label": "试点园区", "kind": "milestone", "achieved": None, "achieved_date": None,
                            "source": None})
    task["targets"].append({"label": "研发强度", "target": 2.5, "unit": "%", "actual": None,
                            "source": "https://example.org/rd"})
    task["updates"].append({"date": dt.date(2021, 9, 1), "status": "lagging", "note": "=进度滞后",
                            "source": "https://example.org/news/9"})
    task["status"] = "lagging"
    task_file.write_text(yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8")
    other = content / "tasks" / "1-01.yaml"
    first = yaml.safe_load(other.read_text(encoding="utf-8"))
    first["title"] = "示范区建设“10条”"
    other.write_text(yaml.safe_dump(first, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return check(Paths(content=content))


FIRST = {
    "id": "1-1", "section": 1, "section_title": "推动创新提速提效。", "subsection": 1,
    "subsection_title": "强化创新平台支撑。", "number": 1, "title": "示范区建设“10条”",
    "text": "落实支持鄱阳湖国家自主创新示范区建设“10条”。", "leaders": ["罗小云"], "lead_units": ["省科技厅"],
    "responsible_units": ["各设区市政府"], "subjects": [], "status": "no_information", "status_label": "暂无进展信息",
    "status_date": None, "status_evidence": None, "timeframe": None, "deadline": None, "targets": [], "updates": [],
    "url": "tasks/1-1/",
    # The plan: its id is the year of site.yaml's source_date, its title site.yaml's title.
    "plan": "2021", "plan_title": "2021年江西省《政府工作报告》重点工作落实情况", "deadline_text": None, "continues": None,
    # The government: site.yaml's government_id and government_name.
    "government": "jiangxi", "government_name": "江西省人民政府", "and_others": [],
}
SECOND = {
    "id": "1-2", "section": 1, "section_title": "推动创新提速提效。", "subsection": 2,
    "subsection_title": "营造良好创新生态。", "number": 2, "title": "新增高新技术企业",
    "text": "新增高新技术企业1500家。", "leaders": ["殷美根", "罗小云"], "lead_units": ["省科技厅"],
    "responsible_units": ["南昌市政府"], "subjects": [], "status": "lagging", "status_label": "进度滞后",
    # The newest update cites a bare address: a web page of no stated kind, never a submission.
    "status_date": "2021-09-01", "status_evidence": "据网页资料", "timeframe": "multi_year",
    "deadline": {"date": "2021-12-31", "source": {"title": "省科技厅2021年工作要点", "date": "2021-03-01",
                                                   "url": None, "kind": "lead_unit_submission", "publisher": None}},
    "targets": [
        {"label": "新增高新技术企业", "kind": "number", "target": 1500, "unit": "家", "comparator": "at_least",
         # June's figure of a year's target: interim, so neither met nor missed yet.
         "actual": 800, "actual_date": "2021-06-30", "interim": True, "achieved": None, "source": None},
        {"label": "出台认定办法", "kind": "milestone", "achieved": True, "interim": False, "achieved_date": "2021-05-01",
         "source": {"title": "认定办法", "date": "2021-05-01", "url": "https://example.org/banfa",
                    "kind": "official_report", "publisher": None}},
        {"label": "研发投入", "kind": "milestone", "achieved": False, "interim": False, "achieved_date": None,
         "source": None},
        {"label": "试点园区", "kind": "milestone", "achieved": None, "interim": False, "achieved_date": None,
         "source": None},
        {"label": "研发强度", "kind": "number", "target": 2.5, "unit": "%", "comparator": "exactly",
         "actual": None, "actual_date": None, "interim": False, "achieved": None,
         "source": {"title": None, "date": None, "url": "https://example.org/rd", "kind": None, "publisher": None}},
    ],
    "updates": [
        {"date": "2021-07-10", "status": "on_track", "note": "上半年新增高新技术企业800家。", "source": None},
        {"date": "2021-09-01", "status": "lagging", "note": "=进度滞后",
         "source": {"title": None, "date": None, "url": "https://example.org/news/9", "kind": None, "publisher": None}},
    ],
    "url": "tasks/1-2/",
    "plan": "2021", "plan_title": "2021年江西省《政府工作报告》重点工作落实情况", "deadline_text": None, "continues": None,
    # The government: site.yaml's government_id and government_name.
    "government": "jiangxi", "government_name": "江西省人民政府", "and_others": [],
}


def test_tasks_json_holds_each_field_as_the_content_gives_it(tiny_catalogue):
    raw = tasks_json(tiny_catalogue)
    assert raw.endswith(b"}\n]\n") and raw.startswith(b'[\n{"id": "1-1", ') and raw.count(b"\n") == 4
    assert "推动创新".encode("utf-8") in raw, "Chinese written as itself, not as \\u escapes"
    records = json.loads(raw.decode("utf-8"))
    assert records == [FIRST, SECOND]
    assert [list(record) for record in records] == [[f.name for f in COLUMNS]] * 2


def test_tasks_json_gives_absolute_addresses_with_a_base_url(tiny_catalogue):
    tiny_catalogue.site.base_url = "https://tasks.example.org/gzbg/"
    records = json.loads(tasks_json(tiny_catalogue))
    assert [r["url"] for r in records] == ["https://tasks.example.org/gzbg/tasks/1-1/",
                                          "https://tasks.example.org/gzbg/tasks/1-2/"]


def test_tasks_csv_has_one_row_a_task_in_the_json_order_with_lists_joined(tiny_catalogue):
    raw = tasks_csv(tiny_catalogue)
    assert raw.startswith("\ufeff".encode("utf-8") + b"id,section,section_title,")
    text = raw.decode("utf-8")[1:]
    assert text.count("\r\n") == 3 and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [f.name for f in COLUMNS]
    assert rows[1] == ["1-1", "1", "推动创新提速提效。", "1", "强化创新平台支撑。", "1", "示范区建设“10条”",
                       "落实支持鄱阳湖国家自主创新示范区建设“10条”。", "罗小云", "省科技厅", "各设区市政府", "",
                       "no_information", "暂无进展信息", "", "", "", "", "", "0", "tasks/1-1/",
                       "2021", "2021年江西省《政府工作报告》重点工作落实情况", "", "", "jiangxi", "江西省人民政府", ""]
    assert rows[2] == ["1-2", "1", "推动创新提速提效。", "2", "营造良好创新生态。", "2", "新增高新技术企业",
                       "新增高新技术企业1500家。", "殷美根；罗小云", "省科技厅", "南昌市政府", "",
                       "lagging", "进度滞后", "2021-09-01", "据网页资料", "multi_year", "2021-12-31",
                       "新增高新技术企业 1500家（截至2021-06-30 800，年内数据）；出台认定办法（已达成）；研发投入（未达成）；"
                       "试点园区；研发强度 2.5%",
                       "2", "tasks/1-2/", "2021", "2021年江西省《政府工作报告》重点工作落实情况", "", "",
                       "jiangxi", "江西省人民政府", ""]


def tasks_json(catalogue) -> bytes:
    return export_outputs(catalogue, SAY)["data/tasks.json"]


def tasks_csv(catalogue) -> bytes:
    return export_outputs(catalogue, SAY)["data/tasks.csv"]


def test_export_outputs_are_the_two_files(tiny_catalogue):
    assert sorted(export_outputs(tiny_catalogue, SAY)) == ["data/tasks.csv", "data/tasks.json"]


def test_the_pieces_an_earlier_build_kept_give_the_files_a_build_without_them_gives(tiny_catalogue, monkeypatch):
    """A build keeps each task's JSON record and CSV row by the fingerprint of what the task's
    record is made from; one after an edit to a task makes the edited task's record afresh and
    reuses the other's pieces without making its record."""
    def key_of(everything: bytes = b"every other file"):
        return Fingerprints(tiny_catalogue, everything).task_key

    fresh = {path: data for path, data in export_outputs(tiny_catalogue, SAY).items()}
    known: dict = {}
    before = {path: data for path, data in export_outputs(tiny_catalogue, SAY, known, key_of()).items()}
    assert before == fresh and len(known) == 2
    edited = tiny_catalogue.tasks[1]
    edited.text = "新增高新技术企业1600家。"
    kept = dict(known)
    recorded = []
    monkeypatch.setattr(exports, "task_record", lambda catalogue, task, say: recorded.append(task) or record_of(
        catalogue, task, say))
    after = {path: data for path, data in export_outputs(tiny_catalogue, SAY, known, key_of()).items()}
    assert recorded == [edited], "only the edited task's record is made again"
    assert after == {path: data for path, data in export_outputs(tiny_catalogue, SAY).items()}
    assert "新增高新技术企业1600家。".encode("utf-8") in after["data/tasks.json"]
    assert "新增高新技术企业1600家。".encode("utf-8") in after["data/tasks.csv"]
    assert "新增高新技术企业1500家。".encode("utf-8") not in after["data/tasks.json"]
    # The unedited task's pieces are those kept; the edited one's replace its old ones.
    assert len(known) == 2 and len(set(known) & set(kept)) == 1
    # Another registry, wording or setting (what every output is made from): every record again.
    recorded.clear()
    export_outputs(tiny_catalogue, SAY, known, key_of(b"a registry edited"))["data/tasks.json"]
    assert recorded == tiny_catalogue.tasks and not set(known) & set(kept)


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-5", "'-5"), ("@sum", "'@sum"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("1=1", "1=1"), ("", ""), (None, ""), (12, "12"), (["a", "=b"], "a；=b"), (["=a", "b"], "'=a；b"),
])
def test_a_cell_a_spreadsheet_would_read_as_a_formula_starts_with_a_quote(value, cell):
    assert _csv_cell("text", value, SAY) == cell


def test_cells_of_the_structured_fields():
    assert _csv_cell("updates", [{}, {}, {}], SAY) == "3"
    assert _csv_cell("updates", [], SAY) == "0"
    assert _csv_cell("deadline", {"date": "2021-12-31", "source": None}, SAY) == "2021-12-31"
    assert _csv_cell("deadline", None, SAY) == ""
    number = {"label": "减少", "kind": "number", "target": -3, "unit": "%", "actual": 5658.6, "actual_date": "2021-12-31",
              "interim": False, "achieved": None}
    assert _csv_cell("targets", [number], SAY) == "减少 -3%（实际 5658.6，未判定）"
    assert _csv_cell("targets", [{**number, "achieved": False}], SAY) == "减少 -3%（实际 5658.6，未达到）"
    assert _csv_cell("targets", [{**number, "interim": True, "actual_date": "2021-06-30"}], SAY) \
        == "减少 -3%（截至2021-06-30 5658.6，年内数据）"
    assert _csv_cell("targets", [{"label": "-x", "kind": "milestone", "achieved": None, "interim": False}], SAY) == "'-x"
    assert _csv_cell("targets", [{"label": "x", "kind": "milestone", "achieved": False, "interim": True,
                                  "achieved_date": "2021-06-30"}], SAY) == "x（截至2021-06-30尚未达成，年内情况）"
    assert _csv_cell("targets", [{**number, "achieved": True}, {**number, "actual": None, "target": 2.5}], SAY) \
        == "减少 -3%（实际 5658.6，达到）；减少 2.5%"
    milestone = {"label": "x", "kind": "milestone", "interim": False}
    assert _csv_cell("targets", [{**milestone, "achieved": True}, {**milestone, "achieved": False}], SAY) \
        == "x（已达成）；x（未达成）"


def test_each_published_column_is_described_as_the_schema_describes_its_own_field():
    """The columns named after a task file's field take that field's meaning, not a neighbour's."""
    described = {column.name: (column.zh, column.en, column.example) for column in COLUMNS}
    assert described["id"] == ("任务编号：篇章序号-任务序号", "task id: <section>-<number>", "1-5")
    assert described["section"] == ("所属篇章序号", "section number", "1")
    assert described["status"] == ("当前状态代码", "current status code", "no_information")
    assert described["and_others"][1] == "the lists the document ends with 等 (and others)"
