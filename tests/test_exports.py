"""Open data: tasks.json and tasks.csv hold every task, the same in both, readable by Excel."""
from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.exports import COLUMNS, indented_json

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



# JSON's values as the open data holds them, and the odd ones it could: text with quotes,
# backslashes, control characters and characters past the BMP; numbers of every kind json writes.
_JSON_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
                 | st.text())
_JSON_VALUES = st.recursive(_JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                            | st.tuples(inner, inner) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(_JSON_VALUES)
def test_the_open_data_s_json_is_the_text_json_dumps_writes_with_an_indent(value):
    """indented_json against json.dumps itself, the oracle: every value, nested or empty, each
    line after the first with the indentation it is given."""
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)
    assert indented_json(value, "\n ") == json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n ")


def test_the_open_data_s_json_refuses_what_json_cannot_hold():
    with pytest.raises(TypeError, match="a key of the open data is not text: 1"):
        indented_json({1: "a key that is not text"})
    with pytest.raises(TypeError, match="the open data holds a date"):
        indented_json([{"date": datetime.date(2021, 1, 1)}])
