"""Open data: tasks.json and tasks.csv hold every task, the same in both, readable by Excel."""
from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.exports import COLUMNS, tasks_json

REQUIRED = ("id", "section", "subsection", "number", "text", "leaders", "lead_units",
            "responsible_units", "status", "targets", "url")


def test_json_has_every_task_with_the_required_fields(built_site, catalogue):
    records = json.loads((built_site / "data" / "tasks.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == [t.id for t in catalogue.tasks]
    for record in records:
        assert set(REQUIRED) <= set(record)
    by_id = {r["id"]: r for r in records}
    for task in catalogue.tasks:
        record = by_id[task.id]
        assert record["text"] == task.text
        assert record["leaders"] == [l.name for l in task.leaders]
        assert record["lead_units"] == [u.name for u in task.lead_units]
        assert record["responsible_units"] == [u.name for u in task.responsible_units]
        assert record["status"] == task.status.code
        assert record["url"] == catalogue.site.base_url + f"tasks/{task.id}/"
        assert [t["label"] for t in record["targets"]] == [t.label for t in task.targets]


def test_csv_starts_with_a_byte_order_mark_and_matches_the_json(built_site):
    raw = (built_site / "data" / "tasks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM to read Chinese"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    records = json.loads((built_site / "data" / "tasks.json").read_text(encoding="utf-8"))
    assert list(rows[0]) == [f.name for f in COLUMNS]
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert row["id"] == record["id"]
        assert row["text"] == record["text"]
        assert row["lead_units"].split("；") == record["lead_units"]
        assert row["status"] == record["status"]



# JSON's values as a record could hold them, and the odd ones: text with quotes, backslashes,
# line breaks, control characters and characters past the BMP; numbers of every kind json writes.
_JSON_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                 | st.text())
_JSON_VALUES = st.recursive(_JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                            | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.lists(st.dictionaries(st.text(), _JSON_VALUES, max_size=5), max_size=5))
def test_the_open_data_s_json_is_one_record_a_line(records):
    """json.loads is the oracle: the file is the list of records, and each line between the
    brackets is one record, whatever line breaks its text holds."""
    pieces = [(json.dumps(record, ensure_ascii=False).encode("utf-8"), b"") for record in records]
    text = tasks_json(pieces).decode("utf-8")
    assert json.loads(text) == records
    lines = text.split("\n")
    assert lines[0] + lines[-1] == ("[]" if not records else "[") and (not records or lines[-2] == "]")
    assert [json.loads(line.removesuffix(",")) for line in lines[1:-2]] == records


def test_each_task_s_record_is_one_line_of_the_site_s_json(built_site, catalogue):
    lines = (built_site / "data" / "tasks.json").read_text(encoding="utf-8").split("\n")
    records = [json.loads(line.removesuffix(",")) for line in lines[1:-2]]
    assert [record["id"] for record in records] == [task.id for task in catalogue.tasks]
    assert all(line.endswith(",") for line in lines[1:-3]) and not lines[-3].endswith(",")

