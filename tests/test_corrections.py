"""content/source/corrections.yaml on a small tree: each correction and doubt reaches the task it
names, with every field as written; one whose passage the task no longer holds stops the build,
naming the entry and the task, and leaves the last good site as it was.

The entries and what the tasks hold are written out by hand (tests/tiny_content.py).
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from catalogue.model import Correction
from catalogue.pipeline import PROJECT_ROOT, Paths, check
from command_line import run
from tiny_content import edit_task, plans_beside_tiny, write_tiny_content

# 1-1: 落实支持鄱阳湖国家自主创新示范区建设“10条”。 led by 罗小云, 省科技厅, with 各设区市政府
# 1-2: 新增高新技术企业1500家。 led by 殷美根 and 罗小云, 省科技厅 (written 省科学技术厅), with 南昌市政府
ENTRIES = [
    # `corrected` as the scan's clean-up leaves it (spaces, half-width marks): the page shows it cleaned.
    {"task": "1-1", "field": "text", "original": "鄱阳潮", "corrected": "鄱阳湖 国家自主创新示范区",
     "why": "“潮”是“湖”的误读。", "evidence": "outside_source", "evidence_url": "https://www.jiangxi.gov.cn/"},
    # A doubt changes nothing: an `original` written by mistake is not the scan's.
    {"task": "1-2", "field": "text", "kind": "doubt", "passage": "1500家", "original": "1300家",
     "why": "数字模糊，可能是1300。", "evidence": "inference"},
    {"task": "1-2", "field": "leaders", "original": "殷美根 罗小云", "corrected": "殷美根、罗小云",
     "why": "两位领导的姓名在扫描件中连在一起。", "evidence": "inference"},
    {"task": "1-1", "field": "responsible_units", "original": "各设区市", "corrected": "各设区市政府",
     "why": "换行处漏掉“政府”。", "evidence": "inference", "evidence_url": None},
    {"task": "1-2", "field": "lead_units", "kind": "doubt", "passage": "省科技厅", "why": "原文写作省科学技术厅。",
     "evidence": "inference"},
]


def write_corrections(content, entries) -> None:
    path = content / "source" / "corrections.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def tiny(tmp_path):
    content = write_tiny_content(tmp_path)
    # 1-2 gets a title of its own: a passage is looked for in the text, which the title does not hold.
    edit_task(content, "1-02.yaml", lambda task: task.update(title="高新技术企业"))
    write_corrections(content, ENTRIES)
    return content


# --- what reaches the tasks ---------------------------------------------------------------------

def checked(content):
    """The catalogue `python build.py check` makes of the content, corrections attached."""
    return check(Paths(content=content))


def test_each_entry_is_read_with_every_field_as_written(tiny):
    assert checked(tiny).corrections == [
        Correction(task_id="1-1", field="text", passage="鄱阳湖国家自主创新示范区", original="鄱阳潮",
                   why="“潮”是“湖”的误读。", evidence="outside_source", evidence_url="https://www.jiangxi.gov.cn/",
                   is_doubt=False, number=1),
        Correction(task_id="1-2", field="text", passage="1500家", original="", why="数字模糊，可能是1300。",
                   evidence="inference", evidence_url="", is_doubt=True, number=2),
        Correction(task_id="1-2", field="leaders", passage="殷美根、罗小云", original="殷美根 罗小云",
                   why="两位领导的姓名在扫描件中连在一起。", evidence="inference", evidence_url="", is_doubt=False,
                   number=3),
        Correction(task_id="1-1", field="responsible_units", passage="各设区市政府", original="各设区市",
                   why="换行处漏掉“政府”。", evidence="inference", evidence_url="", is_doubt=False, number=4),
        Correction(task_id="1-2", field="lead_units", passage="省科技厅", original="", why="原文写作省科学技术厅。",
                   evidence="inference", evidence_url="", is_doubt=True, number=5),
    ]


def test_a_correction_is_cleaned_as_the_text_was_and_a_doubt_is_taken_as_written(tiny):
    write_corrections(tiny, [{"task": "1-2", "field": "text", "original": "1500", "corrected": "1500 (家)",
                              "why": "?", "evidence": "inference"}])
    (title_task := tiny / "tasks" / "1-02.yaml").write_text(
        title_task.read_text(encoding="utf-8").replace("1500家", "1500（家）"), encoding="utf-8")
    assert [(c.passage, c.anchor) for c in checked(tiny).corrections] == [("1500（家）", "correction-1")]
    # A doubt quotes the published text: its space stays, and the text does not hold it.
    write_corrections(tiny, [{"task": "1-2", "field": "text", "kind": "doubt", "passage": "1500 （家）", "why": "?", "evidence": "inference"}])
    status, printed = run("check", "--content", tiny)
    assert status == 1 and "entry 1 expects “1500 （家）” in text of task 1-2, which does not hold it" in printed


def test_no_corrections_file_or_an_empty_one_means_no_corrections(tmp_path):
    content = write_tiny_content(tmp_path)
    assert checked(content).corrections == []
    write_corrections(content, [])
    (content / "source" / "corrections.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert checked(content).corrections == []
    assert all(task.corrections == [] for task in checked(content).tasks)


def test_every_task_gets_its_own_entries_in_file_order(tiny):
    catalogue = checked(tiny)
    assert [c.number for c in catalogue.corrections] == [1, 2, 3, 4, 5]
    tasks = {task.id: task for task in catalogue.tasks}
    assert [c.number for c in tasks["1-1"].corrections] == [1, 4]
    assert [c.number for c in tasks["1-2"].corrections] == [2, 3, 5]
    assert tasks["1-1"].corrections[1] is catalogue.corrections[3]


def test_the_built_task_page_marks_the_corrected_passage_and_the_doubt(tiny, tmp_path):
    status, printed = run("build", "--content", tiny, "--out", tmp_path / "site")
    assert status == 0, printed
    page = (tmp_path / "site" / "tasks" / "1-1" / "index.html").read_text(encoding="utf-8")
    assert ('<mark class="correction" title="已更正"><a href="#correction-1">鄱阳湖国家自主创新示范区</a></mark>'
            in page)
    # Each note says what it rests on, as schema.EVIDENCE_KINDS names it, and where it is.
    assert "<p>依据：外部来源，<a href=\"https://www.jiangxi.gov.cn/\" rel=\"external\">查看来源</a>。</p>" in page
    assert "任务内容中的“鄱阳湖国家自主创新示范区”：已更正" in page
    page = (tmp_path / "site" / "tasks" / "1-2" / "index.html").read_text(encoding="utf-8")
    assert '<mark class="doubt" title="存疑"><a href="#doubt-2">1500家</a></mark>' in page
    assert "<p>依据：据原文上下文推断。</p>" in page and "牵头领导中的“殷美根、罗小云”：已更正" in page


# --- a correction the task no longer holds --------------------------------------------------------

@pytest.mark.parametrize("number, entry, passage", [
    # The text was edited after the import: 1500家 became 1600家.
    (2, {"task": "1-2", "field": "text", "kind": "doubt", "passage": "1600家", "why": "数字模糊。", "evidence": "inference"}, "1600家"),
    (1, {"task": "1-1", "field": "text", "original": "鄱阳潮", "corrected": "鄱阳湖 国家级自主创新示范区", "why": "误读。", "evidence": "inference"},
     "鄱阳湖国家级自主创新示范区"),
    # The passage is the task's, but in another field than the entry says.
    (3, {"task": "1-2", "field": "lead_units", "original": "殷美根 罗小云", "corrected": "殷美根、罗小云", "why": "?", "evidence": "inference"},
     "殷美根、罗小云"),
    # The units are joined as the page lists them, with 、: no other separator holds.
    (3, {"task": "1-2", "field": "leaders", "original": "殷美根 罗小云", "corrected": "殷美根罗小云", "why": "?", "evidence": "inference"},
     "殷美根罗小云"),
    # The task is no longer in the plan.
    (5, {"task": "1-3", "field": "text", "kind": "doubt", "passage": "高新技术企业", "why": "?", "evidence": "inference"}, "高新技术企业"),
])
def test_a_correction_the_task_no_longer_holds_stops_the_check_naming_the_entry_and_task(tiny, number, entry, passage):
    entries = [dict(e) for e in ENTRIES]
    entries[number - 1] = entry
    write_corrections(tiny, entries)
    status, printed = run("check", "--content", tiny)
    assert status == 1
    assert "content OK" not in printed and "Traceback" not in printed and "internal error" not in printed
    assert "source/corrections.yaml" in printed
    assert (f"entry {number} expects “{passage}” in {entry['field']} of task {entry['task']}, "
            "which does not hold it") in printed


def test_the_message_names_the_file_line_and_entry_in_both_languages_with_the_fix(tiny):
    (tiny / "source" / "corrections.yaml").write_text(
        "# 改字清单\n"
        "- task: 1-2\n"
        "  field: text\n"
        "  kind: doubt\n"
        "  passage: 1500家\n"
        "  why: 数字模糊。\n"
        "  evidence: inference\n"
        "- task: 1-1\n"              # line 8
        "  field: text\n"
        "  kind: doubt\n"
        "  passage: 十条\n"
        "  why: 原文如此。\n"
        "  evidence: inference\n", encoding="utf-8")
    assert run("check", "--content", tiny) == (1, (
        "content/source/corrections.yaml:8: [2]\n"
        "  第 2 条指任务 1-1 的 text 中有“十条”，但该任务没有这段文字。\n"
        "  entry 2 expects “十条” in text of task 1-1, which does not hold it.\n"
        "  → 改正该条，或运行 tools/import_seed.py。 (fix the entry, or run tools/import_seed.py)\n"
        "\n"
        "内容检查发现 1 个问题，网站未生成。\n"
        "1 problem(s) found in content; the site was not built.\n"))


def test_every_stale_entry_is_named_not_only_the_first(tiny):
    entries = [dict(e) for e in ENTRIES]
    entries[1]["passage"] = "1600家"
    entries[3]["corrected"] = "各县（区）政府"
    write_corrections(tiny, entries)
    status, printed = run("check", "--content", tiny)
    assert status == 1 and "内容检查发现 2 个问题" in printed
    assert "entry 2 expects “1600家” in text of task 1-2, which does not hold it" in printed
    assert "entry 4 expects “各县（区）政府” in responsible_units of task 1-1, which does not hold it" in printed


def test_a_stale_correction_stops_the_build_and_the_last_site_stays(tiny, tmp_path):
    out = tmp_path / "site"
    assert run("build", "--content", tiny, "--out", out)[0] == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    task = tiny / "tasks" / "1-02.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("1500家", "1600家"), encoding="utf-8")
    status, printed = run("build", "--content", tiny, "--out", out)
    assert status == 1
    assert "entry 2 expects “1500家” in text of task 1-2" in printed
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before


def test_corrections_concern_the_first_plan_only(tmp_path):
    """A further plan's task 1-1 (持续优化营商环境。) is not the 2021 document's 1-1."""
    content = plans_beside_tiny(tmp_path)
    write_corrections(content, [{"task": "1-1", "field": "text", "kind": "doubt", "passage": "创新示范区", "why": "?", "evidence": "inference"}])
    held = {(task.plan.id, task.id): [c.number for c in task.corrections] for task in checked(content).tasks}
    assert held == {("jx", "1-1"): [1], ("jx", "1-2"): [], ("bare", "1-1"): [], ("full", "1-1"): []}

    write_corrections(content, [{"task": "1-1", "field": "text", "kind": "doubt", "passage": "营商环境", "why": "?", "evidence": "inference"}])
    status, printed = run("check", "--content", content)
    assert status == 1 and "entry 1 expects “营商环境” in text of task 1-1, which does not hold it" in printed


def test_corrections_and_the_folding_tables_are_read_as_utf_8_whatever_the_locale(tiny, tmp_path):
    """A machine whose locale is not UTF-8 (here ASCII, as the C locale is without coercion)
    builds the same pages."""
    environ = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "build", "-q", "--content", str(tiny),
                           "--out", str(tmp_path / "site")], env=environ, cwd=PROJECT_ROOT, capture_output=True)
    assert done.returncode == 0, done.stderr.decode("ascii", "backslashreplace")
    page = (tmp_path / "site" / "tasks" / "1-1" / "index.html").read_text(encoding="utf-8")
    assert '<a href="#correction-1">鄱阳湖国家自主创新示范区</a>' in page
    index = (tmp_path / "site" / "search" / "index.js").read_text(encoding="utf-8")
    assert "陽阳" in index and "條条" in index  # 鄱阳湖 and “10条”: the folding pairs came from OpenCC's tables


# --- the scan text ------------------------------------------------------------------------------

def test_the_scan_text_is_published_byte_for_byte_and_only_the_first_file(tmp_path):
    content = write_tiny_content(tmp_path)
    assert run("build", "--content", content, "--out", tmp_path / "site")[0] == 0
    assert not (tmp_path / "site" / "source").exists()
    source = content / "source"
    source.mkdir()
    scan = "具体工作任务和要求 \r\n鄱阳潮\t10条  \n".encode("utf-8")
    # The first by name, whatever order the folder lists them in.
    for name in ("m-notes.txt", "a-scan.txt", "z-old.txt", "b-copy.txt", "0-scan.txt.bak", "ab.text"):
        (source / name).write_bytes(scan if name == "a-scan.txt" else name.encode())
    assert run("build", "--content", content, "--out", tmp_path / "site")[0] == 0
    assert (tmp_path / "site" / "source" / "document.txt").read_bytes() == scan
    (source / "a-scan.txt").write_bytes(b"")  # empty, it is still the scan, published as it is
    assert run("build", "--content", content, "--out", tmp_path / "site")[0] == 0
    assert (tmp_path / "site" / "source" / "document.txt").read_bytes() == b""
