"""What an editor sees for each kind of mistake: `python build.py check` exits 1 and names the
file, the line and the field, says what is wrong in Chinese and English and how to fix it, and
lists every problem at once. docs/editor-guide.md explains these same messages."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalogue.pipeline import PROJECT_ROOT


@dataclass(frozen=True)
class Case:
    file: str  # in content/
    old: str  # a line of the file, as the importer writes it
    new: str  # what the mistake turns it into
    marker: str  # text on the line the error must point at (after the change)
    field: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    hint: tuple[str, ...] = ()


CASES = {
    "yaml does not parse": Case(
        "tasks/1-01.yaml", "status: no_information", "status: no_information: 暂无进展信息", "status: no_information:", "",
        ("YAML 格式错误", "冒号"), ("YAML does not parse", "mapping values are not allowed here"),
        ("缩进", "indentation")),
    "missing field": Case(
        "tasks/1-01.yaml", "status: no_information\n", "", "id: 1-1", "status",
        ("缺少必填字段“status”",), ("missing required field 'status'",), ("status: …",)),
    "unknown field": Case(
        "tasks/1-01.yaml", "leaders: [罗小云]", "leaders: [罗小云]\nleader: [罗小云]", "leader: [", "leader",
        ("未知字段“leader”", "允许的字段"), ("unknown field 'leader'", "allowed: id"),
        ("是否应为“leaders”", "did you mean 'leaders'")),
    "unknown leader": Case(
        "tasks/1-01.yaml", "leaders: [罗小云]", "leaders: [罗晓云]", "leaders:", "leaders[1]",
        ("未登记的领导“罗晓云”",), ("unknown leader '罗晓云'",), ("是否应为“罗小云”", "did you mean '罗小云'")),
    "leader with a space": Case(
        "tasks/1-01.yaml", "leaders: [罗小云]", "leaders: [罗 小云]", "leaders:", "leaders[1]",
        ("未登记的领导“罗 小云”",), ("unknown leader '罗 小云'",), ("不要有空格", "remove the spaces")),
    "unknown unit": Case(
        "tasks/1-01.yaml", "lead_units: [省科技厅]", "lead_units: [省科技局]", "lead_units:", "lead_units[1]",
        ("未登记的单位“省科技局”",), ("unknown unit '省科技局'",), ("是否应为“省科技厅”", "did you mean '省科技厅'")),
    "unknown status": Case(
        "tasks/1-01.yaml", "status: no_information", "status: 序时推进", "status:", "status",
        ("未知的状态“序时推进”", "no_information（暂无进展信息）", "on_track（序时推进）"),
        ("unknown status '序时推进'", "allowed: no_information, in_progress, on_track"),
        ("是否应为“on_track”", "did you mean 'on_track'")),
    "impossible date": Case(
        "tasks/1-01.yaml", "status: no_information", "status: no_information\ndeadline:\n  date: 2021-13-45\n  source: {title: 督查通报, date: 2021-03-01, kind: official_report}", "  date: 2021-13-45", "deadline.date",
        ("“2021-13-45”不是有效日期",), ("'2021-13-45' is not a date",), ("2021-06-30", "YYYY-MM-DD")),
    "a date in words": Case(
        "tasks/1-01.yaml", "status: no_information", "status: no_information\ndeadline:\n  date: 明年\n  source: {title: 督查通报, date: 2021-03-01, kind: official_report}", "  date: 明年", "deadline.date",
        ("“明年”不是有效日期",), ("'明年' is not a date",), ("年-月-日",)),
    "not a number": Case(
        "tasks/2-09.yaml", "    actual: 109", "    actual: 109家", "actual: 109家", "targets[3].actual",
        ("应为数字，实际是“109家”",), ("expected a number, found '109家'",), ("不带单位", "the number alone")),
    "status differs from the newest update": Case(
        "tasks/1-01.yaml", "updates: []",
        "updates:\n  - date: 2021-06-30\n    status: on_track\n    note: 按计划推进。",
        "status: no_information", "status",
        ("与最新一条进展的状态“on_track”不一致",), ("differs from the newest update's status 'on_track'",),
        ("把 status 改为 on_track", "set status to on_track")),
    "status changed without an update": Case(
        "tasks/1-01.yaml", "status: no_information", "status: completed", "status: completed", "status",
        ("状态改为“已完成”时，须在 updates 中写明日期和依据",),
        ("status 'completed' needs an update",), ("在 updates 中添加一条进展", "add an update")),
    "source is not a link": Case(
        "tasks/1-01.yaml", "status: no_information\ntargets: []\nupdates: []",
        "status: in_progress\ntargets: []\nupdates:\n  - date: 2021-06-30\n    status: in_progress\n    note: 已启动。\n    source: 省科技厅报送材料",
        "source:", "updates[1].source",
        ("“省科技厅报送材料”不是有效网址",), ("'省科技厅报送材料' is not a URL",), ("https://",)),
    "a date before the document": Case(
        "tasks/1-01.yaml", "status: no_information\ntargets: []\nupdates: []",
        "status: in_progress\ntargets: []\nupdates:\n  - date: 2021-01-05\n    status: in_progress\n    note: 已启动。",
        "  - date: 2021-01-05", "updates[1].date", ("日期 2021-01-05 早于文件印发日期 2021-02-10。",),
        ("the date 2021-01-05 is before the document's date 2021-02-10.",), ("检查年份是否写错。", "check the year")),
    "a date after today": Case(
        "tasks/1-01.yaml", "status: no_information\ntargets: []\nupdates: []",
        "status: in_progress\ntargets: []\nupdates:\n  - date: 2099-01-05\n    status: in_progress\n    note: 已启动。",
        "  - date: 2099-01-05", "updates[1].date", ("日期 2099-01-05 晚于今天（", "），进展不能预先填写。"),
        ("the date 2099-01-05 is after today (", "); progress cannot be reported in advance."),
        ("检查年份和月份是否写错。", "check the year and month")),
    "unknown subject": Case(
        "tasks/8-07.yaml", "subjects: [elderly-care]", "subjects: [elderly]", "subjects:", "subjects[1]",
        ("未知的主题“elderly”", "elderly-care（养老）"), ("unknown subject 'elderly'",),
        ("是否应为“elderly-care”", "did you mean 'elderly-care'")),
    "a subject's name for its slug": Case(
        "tasks/8-07.yaml", "subjects: [elderly-care]", "subjects: [养老]", "subjects:", "subjects[1]",
        ("未知的主题“养老”",), ("unknown subject '养老'",), ("是否应为“elderly-care”",)),
    "no subject": Case(
        "tasks/8-07.yaml", "subjects: [elderly-care]\n", "", "id: 8-7", "subjects",
        ("应列出 1–3 个主题",), ("expected a list of 1–3 subjects",), ("content/subjects.yaml",)),
}


def check(content: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "check", "--content", str(content)],
                          capture_output=True, text=True, timeout=300)


def apply(content: Path, case: Case) -> int:
    """Make the mistake; return the line the error should name."""
    path = content / case.file
    text = path.read_text(encoding="utf-8")
    assert case.old in text, f"{case.old!r} is not in {case.file}: has the importer's format changed?"
    text = text.replace(case.old, case.new, 1)
    path.write_text(text, encoding="utf-8")
    return next(number for number, line in enumerate(text.splitlines(), 1) if case.marker in line)


def blocks(stderr: str, location: str) -> list[str]:
    """The reports about one location (a field may have more than one problem)."""
    return [b for b in stderr.split("\n\n") if b.splitlines()[0] == location]


def assert_reported(stderr: str, case: Case, line: int) -> None:
    location = f"content/{case.file}:{line}" + (f": {case.field}" if case.field else "")
    reports = blocks(stderr, location)
    assert len(reports) == 1, f"expected one error at {location} in:\n{stderr}"
    for text in case.zh + case.en + case.hint:
        assert text in reports[0], f"{text!r} missing from:\n{reports[0]}"


@pytest.mark.parametrize("name", CASES)
def test_each_mistake_is_named_with_file_line_field_and_fix(name, content_copy):
    case = CASES[name]
    line = apply(content_copy, case)
    result = check(content_copy)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert_reported(result.stderr, case, line)
    assert "内容检查发现 1 个问题" in result.stderr and "1 problem(s) found" in result.stderr, \
        f"one mistake, one message:\n{result.stderr}"


def test_id_not_matching_its_file_name(content_copy):
    (content_copy / "tasks/1-01.yaml").rename(content_copy / "tasks/1-1.yaml")
    result = check(content_copy)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [report] = blocks(result.stderr, "content/tasks/1-1.yaml:6: id")
    assert "编号“1-1”与文件名“1-1.yaml”不符，应保存为 1-01.yaml" in report
    assert "id '1-1' does not match the file name '1-1.yaml'; expected 1-01.yaml" in report
    assert "→ 改正编号，或把文件改名。 (fix the id or rename the file)" in report
    assert "内容检查发现 1 个问题" in result.stderr


def test_duplicate_id_names_the_other_file(content_copy):
    path = content_copy / "tasks/1-02.yaml"
    text = path.read_text(encoding="utf-8").replace("id: 1-2", "id: 1-1").replace("number: 2", "number: 1")
    path.write_text(text, encoding="utf-8")
    result = check(content_copy)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    reports = blocks(result.stderr, "content/tasks/1-02.yaml:6: id")
    assert len(reports) == 2, result.stderr
    assert "编号“1-1”与文件名“1-02.yaml”不符，应保存为 1-01.yaml" in reports[0]
    assert "编号“1-1”与 content/tasks/1-01.yaml 重复" in reports[1]
    assert "id '1-1' is already used by content/tasks/1-01.yaml" in reports[1]


def test_the_report_is_the_same_on_every_run(content_copy):
    path = content_copy / "tasks/1-01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: 1-1", "id: 1-2"), encoding="utf-8")
    reports = {check(content_copy).stderr for _ in range(3)}
    assert len(reports) == 1


def test_a_section_with_a_task_missing_names_its_declared_count(content_copy):
    (content_copy / "tasks/1-17.yaml").unlink()
    result = check(content_copy)
    assert result.returncode == 1
    sections = (content_copy / "sections.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(sections, 1) if "declared_count: 17" in text)
    [report] = blocks(result.stderr, f"content/sections.yaml:{line}: [1].declared_count")
    assert "第 1 篇章声明 17 项任务，实际有 16 项" in report
    assert "section 1 declares 17 tasks but has 16" in report
    assert "缺少或多出任务文件" in report and "missing or extra task file" in report
    assert "Traceback" not in result.stderr


def test_every_problem_in_every_file_is_reported_at_once(content_copy):
    """Two broken files, one with two mistakes: all three come in one run."""
    cases = [CASES["yaml does not parse"], CASES["unknown unit"]]
    first = apply(content_copy, cases[0])
    moved = Case(**{**CASES["unknown unit"].__dict__, "file": "tasks/2-01.yaml",
                    "old": "lead_units: [", "new": "lead_units: [省科技局, "})
    second = apply(content_copy, moved)
    date = Case(**{**CASES["impossible date"].__dict__, "file": "tasks/2-01.yaml"})
    third = apply(content_copy, date)
    result = check(content_copy)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert_reported(result.stderr, cases[0], first)
    assert_reported(result.stderr, moved, second)
    assert_reported(result.stderr, date, third)
    assert "内容检查发现 3 个问题" in result.stderr and "3 problem(s) found" in result.stderr
    # In file order, so an editor can work down the list.
    assert result.stderr.index("content/tasks/1-01.yaml") < result.stderr.index("content/tasks/2-01.yaml")


def test_build_reports_the_same_as_check(content_copy, tmp_path):
    line = apply(content_copy, CASES["unknown leader"])
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--content", str(content_copy),
                             "--out", str(tmp_path / "site")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert_reported(result.stderr, CASES["unknown leader"], line)
    assert not (tmp_path / "site").exists()


GUIDE = PROJECT_ROOT / "docs/editor-guide.md"


def test_the_guides_worked_example_passes_check(content_copy):
    guide = GUIDE.read_text(encoding="utf-8")
    example = guide.split("<!-- example:1-05 -->", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = content_copy / "tasks/1-05.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("status: no_information")] + example, encoding="utf-8")
    result = check(content_copy)
    assert result.returncode == 0, result.stderr

    from catalogue import pipeline

    task = pipeline.check(pipeline.Paths(content=content_copy)).task("1-5")
    assert task.status.label == "序时推进"
    assert task.targets[0].actual == 1.8
    assert task.updates[-1].source.kind_label == "牵头单位报送"
    assert task.targets[0].source.title == task.updates[-1].source.title


@pytest.mark.parametrize("name", CASES)
def test_the_guide_explains_each_message(name):
    """Each message's opening words, as validate.py writes them, have an entry in the guide."""
    guide = GUIDE.read_text(encoding="utf-8")
    generic = {
        "yaml does not parse": ["YAML 格式错误", "此处不能出现“键: 值”"],
        "missing field": ["缺少必填字段"],
        "unknown field": ["未知字段"],
        "unknown leader": ["未登记的领导"],
        "leader with a space": ["名称中不要有空格"],
        "unknown unit": ["未登记的单位"],
        "unknown status": ["未知的状态"],
        "impossible date": ["不是有效日期", "2021-13-45"],
        "a date in words": ["不是有效日期", "明年"],
        "a date before the document": ["早于文件印发日期"],
        "a date after today": ["晚于今天"],
        "not a number": ["应为数字"],
        "status differs from the newest update": ["与最新一条进展的状态"],
        "status changed without an update": ["须在 updates 中写明日期和依据"],
        "source is not a link": ["不是有效网址"],
        "unknown subject": ["未知的主题"],
        "a subject's name for its slug": ["未知的主题"],
        "no subject": ["应列出 1–3 个主题"],
    }[name]
    for words in generic:
        assert words in guide, f"docs/editor-guide.md does not explain {words!r}"
