"""Edits that once slipped past validation or ended in a traceback: each now gets a message."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalogue.exports import _csv_cell
from catalogue.load import read_content
from catalogue.model import plain_number
from catalogue.pipeline import PROJECT_ROOT
from catalogue.strings import Strings
from catalogue.templating import number
from catalogue.validate import validate

TASK = "tasks/1-01.yaml"
SAY = Strings.read(PROJECT_ROOT / "templates")


def edit(content: Path, name: str, old: str, new: str) -> None:
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(content: Path) -> list[str]:
    return [error.format() for error in validate(read_content(content))]


def line_of(content: Path, name: str, marker: str, occurrence: int = 1) -> int:
    lines = (content / name).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if line.startswith(marker)]
    return found[occurrence - 1]


def test_a_field_written_twice_is_reported_with_both_lines(content_copy):
    edit(content_copy, TASK, "updates: []",
         "updates: []\nupdates:\n  - date: 2021-01-05\n    status: no_information\n    note: 无。")
    first, second = line_of(content_copy, TASK, "updates:", 1), line_of(content_copy, TASK, "updates:", 2)
    reported = messages(content_copy)
    assert len(reported) == 1
    assert reported[0].startswith(f"content/{TASK}:{second}: updates")
    assert f"第 {first} 行已有" in reported[0] and "appears twice" in reported[0]


def test_a_status_that_is_not_text_is_a_message_not_a_traceback(content_copy):
    edit(content_copy, TASK, "status: no_information", "status: [on_track]")
    reported = messages(content_copy)
    assert len(reported) == 1 and "未知的状态" in reported[0]


def test_an_empty_updates_field_does_not_excuse_a_changed_status(content_copy):
    edit(content_copy, TASK, "status: no_information", "status: completed")
    edit(content_copy, TASK, "updates: []", "updates:")
    reported = messages(content_copy)
    assert len(reported) == 1 and "须在 updates 中写明日期和依据" in reported[0]


def test_a_unit_listed_under_its_name_and_its_alias_is_listed_twice(content_copy):
    edit(content_copy, "tasks/1-06.yaml", "省人力资源社会保障厅", "省人力资源社会保障厅, 省人力资源和社会保障厅")
    reported = messages(content_copy)
    assert len(reported) == 1 and "重复出现" in reported[0] and "responsible_units" in reported[0]


def test_a_collective_cannot_be_a_member_of_a_collective(content_copy):
    edit(content_copy, "units.yaml", "members: [南昌市政府,", "members: [各设区市政府, 南昌市政府,")
    reported = messages(content_copy)
    assert len(reported) == 1 and "本身是统称" in reported[0] and "units.yaml" in reported[0]


@pytest.mark.parametrize("value", [".inf", ".nan", "-.inf"])
def test_a_target_must_be_a_finite_number(content_copy, value):
    edit(content_copy, "tasks/1-09.yaml", "target: 10\n", f"target: {value}\n")
    reported = messages(content_copy)
    assert len(reported) == 1 and "应为数字" in reported[0]


def test_statuses_are_reported_as_of_the_newest_update_when_it_is_later(tmp_path):
    from catalogue.pipeline import Paths, check
    from tiny_content import write_tiny_content

    # The tiny content's updates are of 2021: the real content's newest may be today's.
    content = write_tiny_content(tmp_path)
    path = content / "tasks" / "1-01.yaml"
    task = yaml.safe_load(path.read_text(encoding="utf-8"))
    task.update(status="on_track", updates=[{"date": dt.date(2023, 6, 30), "status": "on_track", "note": "按计划推进。"}])
    path.write_text(yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert check(Paths(content=content)).site.as_of.isoformat() == "2023-06-30"
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("as_of: 2021-02-10", "as_of: 2023-07-15"), encoding="utf-8")
    assert check(Paths(content=content)).site.as_of.isoformat() == "2023-07-15"


@pytest.mark.parametrize("url", ["/gzbg2021/", "example.org", "https:///path/"])
def test_a_base_url_without_a_host_is_a_usage_error(url):
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "check", "--base-url", url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "--base-url" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("value, plain, shown", [
    (1500, "1500", "1500"), (1500.0, "1500", "1500"), (5658.6, "5658.6", "5658.6"),
    (2500000, "2500000", "2,500,000"), (1234567.5, "1234567.5", "1,234,567.5"), (0.25, "0.25", "0.25"),
    # Grouped from five digits up: four are read at a glance.
    (9999, "9999", "9999"), (12345, "12345", "12,345"), (-12345, "-12345", "-12,345"),
])
def test_numbers_are_written_as_the_document_writes_them(value, plain, shown):
    assert plain_number(value) == plain
    assert number(value) == shown


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"])
def test_csv_cells_never_start_a_formula(text):
    assert _csv_cell("text", text, SAY) == "'" + text
    assert _csv_cell("text", "省科技厅", SAY) == "省科技厅"
