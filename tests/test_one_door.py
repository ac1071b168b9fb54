"""Input has one door: a hostile corpus, each case run as an editor or a maintainer runs the command
line, in its own process. Every case must end in a clear refusal: the exit status, a message naming
the file (and the line or the row), no traceback, no private value printed, and nothing touched
outside the build's own output (for a refusal, nothing at all)."""
from __future__ import annotations

import datetime as dt
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml

from test_hostile_input import SECRET, run_cli, snapshot
from tiny_content import CORRECTIONS, add_plan, add_source, dump, write_tiny_content

VALID_CORRECTION = {**CORRECTIONS[0], "evidence": "inference"}
del VALID_CORRECTION["evidence_url"]


@dataclass(frozen=True)
class Case:
    make: Callable[[Path, Path], list[str]]  # (root, content) -> the command line, after bending content
    status: int
    where: str        # how the first message starts: the file, and ":line" where there is one
    words: tuple[str, ...]


def corrections(*entries, text: str | None = None):
    """A case step writing content/source/corrections.yaml (entries, or the raw text)."""
    def make(root: Path, content: Path) -> list[str]:
        (content / "source").mkdir(exist_ok=True)
        (content / "source" / "corrections.yaml").write_text(
            text if text is not None else dump(list(entries)), encoding="utf-8")
        return ["check", "--content", "content"]
    return make


def source_file(make_file: Callable[[Path, Path], None], args=("check", "--content", "content")):
    """A case step making content/source/document.txt with `make_file(path, root)`."""
    def make(root: Path, content: Path) -> list[str]:
        (content / "source").mkdir(exist_ok=True)
        make_file(content / "source" / "document.txt", root)
        return list(args)
    return make


def outside_secret(root: Path) -> Path:
    secret = root / "private" / "secret.txt"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text(f"password: {SECRET}\n", encoding="utf-8")
    return secret


def sparse(size: int) -> Callable[[Path, Path], None]:
    def make(path: Path, root: Path) -> None:
        with open(path, "wb") as handle:
            handle.truncate(size)
    return make


def edit_yaml(relative: str, change) -> Callable[[Path, Path], list[str]]:
    def make(root: Path, content: Path) -> list[str]:
        path = content / relative
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(dump(data), encoding="utf-8")
        return ["check", "--content", "content"]
    return make


def then_build(make):
    """The same case, run as a build into site/: the build refuses it too, writing nothing."""
    def build(root: Path, content: Path) -> list[str]:
        make(root, content)
        return ["build", "--content", "content", "--out", "site"]
    return build


def link_source_folder(root: Path, content: Path) -> list[str]:
    outside_secret(root)
    (root / "private" / "document.txt").write_text(SECRET, encoding="utf-8")
    (content / "source").symlink_to(root / "private")
    return ["build", "--content", "content", "--out", "site"]


def _update_source(url):
    return lambda task: task["updates"][-1].update(source={"title": "报告", "date": dt.date(2021, 7, 10),
                                                            "kind": "official_report", "url": url})


CONTENT_CASES = {
    # A script link published: every URL-valued field passes one policy, with the field named.
    "evidence_url javascript:": Case(corrections({**VALID_CORRECTION, "evidence": "outside_source",
                                                   "evidence_url": "javascript:alert(document.cookie)"}),
                                     1, "content/source/corrections.yaml:7: [1].evidence_url", ("不是允许的网址", "javascript:")),
    "evidence_url javascript: in a build": Case(then_build(corrections({**VALID_CORRECTION, "evidence_url": "JavaScript:alert(1)"})),
                                                1, "content/source/corrections.yaml:7: [1].evidence_url", ("不是允许的网址",)),
    "evidence_url data:": Case(corrections({**VALID_CORRECTION, "evidence_url": "data:text/html,<script>alert(1)</script>"}),
                               1, "content/source/corrections.yaml:7: [1].evidence_url", ("不是允许的网址",)),
    "source url javascript:": Case(edit_yaml("tasks/1-02.yaml", _update_source("javascript:alert(1)")),
                                   1, "content/tasks/1-02.yaml:35: updates[1].source.url", ("不是允许的网址",)),
    "source url with a zero-width space": Case(edit_yaml("tasks/1-02.yaml", _update_source("https://gov.cn\u200b.evil.example/")),
                                               1, "content/tasks/1-02.yaml:35: updates[1].source.url", ("不可见字符",)),
    "source url with a user name": Case(edit_yaml("tasks/1-02.yaml", _update_source("https://www.gov.cn@evil.example/")),
                                        1, "content/tasks/1-02.yaml:35: updates[1].source.url", ("用户名或密码",)),
    "report_error javascript:": Case(edit_yaml("site.yaml", lambda site: site.update(report_error="javascript:alert(1)")),
                                     1, "content/site.yaml:", ("report_error", "不是允许的网址")),
    "base_url with port 99999": Case(edit_yaml("site.yaml", lambda site: site.update(base_url="https://example.org:99999/")),
                                     1, "content/site.yaml:", ("base_url", "端口")),
    "repository file:": Case(edit_yaml("site.yaml", lambda site: site.update(repository="file:///etc/")),
                             1, "content/site.yaml:", ("repository", "不是允许的网址")),
    # Tracebacks as "internal error": a malformed corrections list is a content error with its line.
    "corrections alias bomb": Case(corrections(text="- &a {task: 1-1}\n- *a\n"), 1, "content/source/corrections.yaml:1",
                                   ("锚点或别名",)),
    "corrections missing key": Case(corrections({k: v for k, v in VALID_CORRECTION.items() if k != "why"}),
                                    1, "content/source/corrections.yaml:1: [1].why", ("缺少必填字段",)),
    "corrections python tag": Case(corrections(text="- !!python/object/apply:os.system [id]\n"), 1,
                                   "content/source/corrections.yaml:1", ("标签",)),
    "corrections not a list": Case(corrections(text="task: 1-1\n"), 1, "content/source/corrections.yaml:1", ("列表",)),
    "corrections entry is text": Case(corrections(text="- 改字\n"), 1, "content/source/corrections.yaml:1: [1]", ("映射",)),
    "corrections unknown field": Case(corrections({**VALID_CORRECTION, "evidense": "inference"}), 1,
                                      "content/source/corrections.yaml:7: [1].evidense", ("未知字段", "evidence")),
    "corrections 10 MB": Case(corrections(text="# " + "很" * 3_500_000 + "\n"), 1, "content/source/corrections.yaml\n",
                              ("文件过大",)),
    "corrections passage not in the task": Case(then_build(corrections({**VALID_CORRECTION, "corrected": "长江"})), 1,
                                                "content/source/corrections.yaml:1: [1]", ("没有这段文字",)),
    "corrections linked to a file outside": Case(source_file(lambda path, root: path.with_name("corrections.yaml").symlink_to(
        outside_secret(root))), 1, "content/source/corrections.yaml\n", ("符号链接",)),
    # A system file published: the source text goes through the same door.
    "source text linked outside": Case(source_file(lambda path, root: path.symlink_to(outside_secret(root)),
                                                   ("build", "--content", "content", "--out", "site")),
                                       1, "content/source/document.txt\n", ("符号链接",)),
    "source folder linked outside": Case(link_source_folder, 1, "content/source\n", ("符号链接",)),
    "source text a FIFO": Case(source_file(lambda path, root: os.mkfifo(path)), 1, "content/source/document.txt\n",
                               ("不是普通文件",)),
    "source text of 100 MB": Case(source_file(sparse(100 * 1024 * 1024)), 1, "content/source/document.txt\n", ("文件过大",)),
    "source text of 3 GB": Case(source_file(sparse(3 * 1024 ** 3)), 1, "content/source/document.txt\n", ("文件过大",)),
    "source text not UTF-8": Case(source_file(lambda path, root: path.write_bytes("一\n二\n".encode("gbk"))), 1,
                                  "content/source/document.txt:2", ("UTF-8",)),
}

def remove_tasks_folder(root: Path, content: Path) -> list[str]:
    for path in (content / "tasks").iterdir():
        path.unlink()
    (content / "tasks").rmdir()
    return ["check", "--content", "content"]


def file_for_tasks_folder(root: Path, content: Path) -> list[str]:
    remove_tasks_folder(root, content)
    (content / "tasks").write_text("id: 1-1\n", encoding="utf-8")
    return ["check", "--content", "content"]


def plan_folder(tasks: dict[str, str]):
    """A case step adding the plan content/plans/p2/ whose task 1-1 continues tasks["p2/1-1"]; a
    "2021/1-1" key makes the first plan's task 1-1 continue its value."""
    def make(root: Path, content: Path) -> list[str]:
        add_plan(content, continues=tasks.get("p2/1-1"))
        if "2021/1-1" in tasks:
            path = content / "tasks" / "1-01.yaml"
            path.write_text(path.read_text(encoding="utf-8") + f"continues: {tasks['2021/1-1']}\n", encoding="utf-8")
        return ["check", "--content", "content"]
    return make


def unit_named(name: str, *, aliases=(), task_uses: str | None = None):
    """A case step adding a unit to units.yaml (and naming it as a lead unit of task 1-2)."""
    def make(root: Path, content: Path) -> list[str]:
        edit_yaml("units.yaml", lambda units: units.append(
            {"name": name, "slug": "added", "kind": "provincial_department", **({"aliases": list(aliases)} if aliases else {})}))(
            root, content)
        if task_uses:
            edit_yaml("tasks/1-02.yaml", lambda task: task.update(lead_units=[task_uses]))(root, content)
        return ["check", "--content", "content"]
    return make


def two_units(first: str, second: str):
    def make(root: Path, content: Path) -> list[str]:
        edit_yaml("units.yaml", lambda units: units.extend(
            [{"name": first, "slug": "first", "kind": "provincial_department"},
             {"name": second, "slug": "second", "kind": "provincial_department"}]))(root, content)
        return ["check", "--content", "content"]
    return make


CONTENT_CASES.update({
    # Accepted silently: continues forming a loop, self included.
    "a task that continues itself": Case(plan_folder({"p2/1-1": "p2/1-1"}), 1,
                                         "content/plans/p2/tasks/1-01.yaml:14: continues", ("循环", "p2/1-1 → p2/1-1")),
    "two plans continuing each other": Case(plan_folder({"p2/1-1": "2021/1-1", "2021/1-1": "p2/1-1"}), 1,
                                            "content/plans/p2/tasks/1-01.yaml:14: continues",
                                            ("循环", "2021/1-1 → p2/1-1 → 2021/1-1")),
    # Names that look the same: invisible characters refused by code point; NFKC-equal names are one or an error.
    "a right-to-left override in a unit's name": Case(unit_named("省发展改革委\u202e"), 1, "content/units.yaml:18: [5].name",
                                                     ("U+202E", "RIGHT-TO-LEFT OVERRIDE")),
    "a zero-width space in a leader's name": Case(edit_yaml("leaders.yaml", lambda leaders: leaders.append(
        {"name": "罗\u200b小云", "slug": "luo-2"})), 1, "content/leaders.yaml:5: [3].name", ("U+200B", "ZERO WIDTH SPACE")),
    "a zero-width joiner in an alias": Case(unit_named("省发展改革委", aliases=["省发改\u200d委"]), 1,
                                            "content/units.yaml:22: [5].aliases[1]", ("U+200D",)),
    "two units equal after NFKC": Case(two_units("VR产业基地", "ＶＲ产业基地"), 1, "content/units.yaml:21: [6].name",
                                       ("只是字符写法不同", "第 18 行的“VR产业基地”")),
    "a task naming a unit in full-width letters": Case(unit_named("VR产业基地", task_uses="ＶＲ产业基地"), 1,
                                                       "content/tasks/1-02.yaml:10: lead_units[1]",
                                                       ("未登记的单位", "与登记的“VR产业基地”只是字符写法不同")),
    # Vague: a missing tasks/ is named as such, not as a problem in sections.yaml.
    "no tasks folder": Case(remove_tasks_folder, 1, "content/tasks\n", ("缺少任务文件夹",)),
    "a file in place of the tasks folder": Case(file_for_tasks_folder, 1, "content/tasks\n", ("是一个文件",)),
})


COMMAND_LINE_CASES = {
    # Usage errors: exit 2, nothing touched.
    "an unknown positional argument": Case(lambda root, content: ["build", "typo.yaml", "--content", "content",
                                                                  "--out", "site"], 2, "usage:", ("typo.yaml",)),
    "a base URL with port 99999": Case(lambda root, content: ["--base-url", "https://example.org:99999/",
                                                              "--content", "content", "--out", "site"],
                                       2, "usage:", ("--base-url", "65535")),
    "a javascript: repository": Case(lambda root, content: ["--repository", "javascript:alert(1)", "--content", "content",
                                                            "--out", "site"], 2, "usage:", ("--repository",)),
    "a table that is not one": Case(lambda root, content: ["import", "notes.txt", "--plan", "x"], 2, "usage:",
                                    ("notes.txt", ".xlsx")),
    "import options to a build": Case(lambda root, content: ["build", "--plan", "x", "--content", "content",
                                                             "--out", "site"], 2, "usage:", ("--plan", "import")),
}


HEADER = "序号,工作任务,牵头单位\n"
TASK_ROW = "{n},落实支持鄱阳湖国家自主创新示范区建设“10条”。,省科技厅\n"


def table(name: str, make_file: Callable[[Path], None], *extra: str):
    """A case step: the table `name` beside content/, made by make_file, imported as plan x."""
    def make(root: Path, content: Path) -> list[str]:
        make_file(root / name)
        return ["import", name, "--plan", "x", "--content", "content", *extra]
    return make


def csv_text(text: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(text, encoding="utf-8")


def valid_csv(path: Path) -> None:
    path.write_text(HEADER + "一、推动创新（1项）,,\n" + TASK_ROW.format(n=1), encoding="utf-8")


def workbook(rows: list[list], transform: Callable[[bytes, str], bytes] | None = None) -> Callable[[Path], None]:
    """An XLSX of `rows`; `transform(data, part)` may rewrite each part of the zip."""
    def make(path: Path) -> None:
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
        if transform:
            with zipfile.ZipFile(path) as source:
                parts = [(info, transform(source.read(info), info.filename)) for info in source.infolist()]
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
                for info, data in parts:
                    target.writestr(info, data)
    return make


def entity_in_sheet(data: bytes, part: str) -> bytes:
    if part != "xl/worksheets/sheet1.xml":
        return data
    return (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
            + data.replace(b"<v>", b"<v>&secret;", 1))


def zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(200):
                part.write(b"\0" * (1 << 20))


def far_cell(data: bytes, part: str) -> bytes:
    """One cell moved to the sheet's last row and column: a used range of 17 billion cells."""
    return data.replace(b'r="A1"', b'r="XFD1048576"').replace(b'<row r="1"', b'<row r="1048576"') \
        .replace(b'ref="A1:C1"', b'ref="A1:XFD1048576"') if part == "xl/worksheets/sheet1.xml" else data


def link_plans_outside(root: Path, content: Path) -> list[str]:
    (root / "elsewhere").mkdir()
    (content / "plans").symlink_to(root / "elsewhere")
    valid_csv(root / "table.csv")
    return ["import", "table.csv", "--plan", "x", "--content", "content"]


def hostile_registry(name: str, text: str):
    def make(root: Path, content: Path) -> list[str]:
        (content / name).write_text(text, encoding="utf-8")
        valid_csv(root / "table.csv")
        return ["import", "table.csv", "--plan", "x", "--content", "content"]
    return make


def link_registry_outside(root: Path, content: Path) -> list[str]:
    (content / "leaders.yaml").unlink()
    (content / "leaders.yaml").symlink_to(outside_secret(root))
    valid_csv(root / "table.csv")
    return ["import", "table.csv", "--plan", "x", "--content", "content"]


IMPORT_CASES = {
    "an XLSX that is not a zip": Case(table("table.xlsx", lambda path: path.write_bytes(b"PK\x03\x04 not a zip")), 1,
                                      "table.xlsx\n", ("不是 .xlsx 工作簿",)),
    "an old .xls renamed": Case(table("table.xlsx", lambda path: path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)), 1,
                                "table.xlsx\n", ("不是 .xlsx 工作簿",)),
    "a zip bomb": Case(table("table.xlsx", zip_bomb), 1, "table.xlsx\n", ("解压后超过",)),
    "an XLSX with an external entity": Case(table("table.xlsx", workbook([["序号", "工作任务"], [1, "x"]], entity_in_sheet)),
                                            1, "table.xlsx\n", ("实体或 DTD",)),
    "an XLSX of 17 billion cells": Case(table("table.xlsx", workbook([["序号", "工作任务", "牵头单位"]], far_cell)), 1,
                                        "table.xlsx\n", ("200,000 个单元格",)),
    "an XLSX of 300,000 cells": Case(table("table.xlsx", workbook([list(range(10))] * 30_000)), 1, "table.xlsx\n",
                                     ("200,000 个单元格",)),
    "a sheet the workbook does not have": Case(table("table.xlsx", workbook([["序号", "工作任务"]]), "--sheet", "分工"), 1,
                                               "table.xlsx\n", ("没有工作表“分工”",)),
    "a CSV cell over csv's field limit": Case(table("table.csv", csv_text(HEADER + "一、推动创新（1项）,,\n1,\"" + "很" * 200_000
                                                                      + "\",省科技厅\n")),
                                              1, "table.csv:3: B", ("单元格超过 32,767 个字符",)),
    "a 50 MB table": Case(table("table.csv", lambda path: open(path, "wb").truncate(50 * 1024 * 1024)), 1, "table.csv\n",
                          ("文件过大",)),
    "a table that is a FIFO": Case(table("table.csv", lambda path: os.mkfifo(path)), 1, "table.csv\n", ("不是普通文件",)),
    "neither UTF-8 nor GB18030": Case(table("table.csv", lambda path: path.write_bytes(b"\x81\x30\xff\xff" * 10)), 1,
                                      "table.csv\n", ("GB18030",)),
    "a section of 1,000 rows": Case(table("table.csv", csv_text(HEADER + "一、推动创新,,\n"
                                                                 + "".join(TASK_ROW.format(n=n) for n in range(1, 1001)))),
                                    1, "table.csv:2", ("1000 项任务", "最多 999 项")),
    "two sections numbered 一": Case(table("table.csv", csv_text(HEADER + "一、推动创新,,\n" + TASK_ROW.format(n=1)
                                                                 + "一、扩大内需,,\n" + TASK_ROW.format(n=1))),
                                     1, "table.csv:4", ("重复",)),
    "content/plans a link out of the project": Case(link_plans_outside, 2, "refused:", ("符号链接",)),
    "an alias bomb in units.yaml": Case(hostile_registry("units.yaml", "- &a {name: x}\n- *a\n"), 1,
                                        "content/units.yaml:1", ("锚点或别名",)),
    "a tag in statuses.yaml": Case(hostile_registry("statuses.yaml", "- !!python/name:os.system\n"), 1,
                                   "content/statuses.yaml:1", ("标签",)),
    "statuses.yaml with no status": Case(hostile_registry("statuses.yaml", "- 1\n- [x]\n"), 1, "content/statuses.yaml\n",
                                         ("没有状态",)),
    "leaders.yaml linked outside": Case(link_registry_outside, 1, "content/leaders.yaml\n", ("符号链接",)),
}


def run_case(case: Case, root: Path) -> None:
    content = write_tiny_content(root)
    args = case.make(root, content)
    before = snapshot(root)
    result = run_cli(*args, cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode == case.status, output
    assert "Traceback" not in output and "internal error" not in output, output
    assert SECRET not in output
    assert result.stderr.startswith(case.where) or f"\n{case.where}" in result.stderr, result.stderr
    block = result.stderr[result.stderr.find(case.where):].split("\n\n")[0]
    for word in case.words:
        assert word in block, (word, block)
    if args[0] == "import" and case.status == 1:
        assert "nothing was written" in result.stderr and "没有写入任何文件" in result.stderr
    assert snapshot(root) == before, "a refused command touches nothing"
    assert not (root / "site").exists()


@pytest.mark.parametrize("name", sorted(CONTENT_CASES))
def test_hostile_content_is_refused_with_its_file_and_line(name, tmp_path):
    run_case(CONTENT_CASES[name], tmp_path)


@pytest.mark.parametrize("name", sorted(IMPORT_CASES))
def test_a_hostile_table_or_import_is_refused_and_writes_nothing(name, tmp_path):
    run_case(IMPORT_CASES[name], tmp_path)


@pytest.mark.parametrize("name", sorted(COMMAND_LINE_CASES))
def test_wrong_usage_is_refused_by_argparse(name, tmp_path):
    run_case(COMMAND_LINE_CASES[name], tmp_path)


def test_a_valid_correction_with_an_outside_source_builds_and_links_it(tmp_path):
    content = write_tiny_content(tmp_path)
    add_source(content)
    result = run_cli("--content", "content", "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "tasks" / "1-1" / "index.html").read_text(encoding="utf-8")
    assert f'href="{CORRECTIONS[0]["evidence_url"]}"' in page
    assert (tmp_path / "site" / "source" / "document.txt").read_bytes() == (content / "source" / "document.txt").read_bytes()


def test_an_error_report_may_go_to_a_mailbox_but_nowhere_else_unreviewed(tmp_path):
    from catalogue.urls import REPORT_CHANNEL, url_problem

    assert url_problem("mailto:jiucuo@jiangxi.gov.cn", REPORT_CHANNEL) is None
    assert url_problem("mailto:jiucuo@jiangxi.gov.cn") is not None, "only the report channel takes mailto:"
    assert url_problem("mailto:javascript:alert(1)", REPORT_CHANNEL) is not None
    for bad in ("javascript:alert(1)", " https://x.org/", "https://x.org/\n", "https:/x.org", "//x.org/",
                "https://x.org:0/", "https://x.org:65536/", "https://[::1/", "vbscript:msgbox", "file:///etc/passwd"):
        assert url_problem(bad, REPORT_CHANNEL) is not None, bad
    for good in ("https://www.jiangxi.gov.cn/", "http://m.fyrmtzx.cn/p/147269.html", "https://x.org:8443/a?b=c#d"):
        assert url_problem(good) is None, good


# All or nothing, by name: the writer -----------------------------------------------------------

def import_in_process(root: Path, table_name: str = "table.csv") -> tuple[int, str]:
    import contextlib
    import io

    import build

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = build.main(["import", str(root / table_name), "--plan", "x", "--content", str(root / "content")])
    return status, out.getvalue()


@pytest.mark.parametrize("failure, status", [(OSError(28, "No space left on device"), 3), (KeyboardInterrupt(), 130)])
def test_an_import_that_fails_half_way_leaves_no_half_written_plan(tmp_path, monkeypatch, failure, status):
    """800 task files, the 500th refused: nothing of the plan remains, and the import runs again."""
    content = write_tiny_content(tmp_path)
    csv_text(HEADER + "一、推动创新,,\n" + "".join(TASK_ROW.format(n=n) for n in range(1, 801)))(tmp_path / "table.csv")
    before = snapshot(tmp_path)
    from catalogue import write
    original = write.write_file
    calls = {"n": 0}

    def write_file(path, data):
        calls["n"] += 1
        if calls["n"] == 500:
            raise failure
        return original(path, data)

    monkeypatch.setattr(write, "write_file", write_file)
    assert import_in_process(tmp_path)[0] == status
    assert calls["n"] == 500
    assert snapshot(tmp_path) == before
    assert not (content / "plans").exists(), "the folder the import made is removed again, by its name"
    monkeypatch.setattr(write, "write_file", original)
    assert import_in_process(tmp_path)[0] == 0
    assert len(list((content / "plans" / "x" / "tasks").iterdir())) == 800
    assert sorted(p.name for p in (content / "plans").iterdir()) == ["x"], "no staging folder is left"


def test_an_import_into_an_empty_plan_folder_keeps_what_was_beside_it(tmp_path):
    content = write_tiny_content(tmp_path)
    (content / "plans" / "x").mkdir(parents=True)
    (content / "plans" / ".x.new-mine").mkdir()  # named like the writer's staging folder, not this run's
    (content / "plans" / ".x.new-mine" / "notes.txt").write_text("mine", encoding="utf-8")
    valid_csv(tmp_path / "table.csv")
    assert import_in_process(tmp_path)[0] == 0
    assert sorted(p.name for p in (content / "plans").iterdir()) == [".x.new-mine", "x"]
    assert (content / "plans" / ".x.new-mine" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (content / "plans" / "x").iterdir()) == ["plan.yaml", "sections.yaml", "tasks"]


def test_the_preview_never_writes_through_a_folder_swapped_for_a_link(tmp_path):
    from catalogue.errors import MachineError
    from catalogue.write import write_changed

    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    (site / "tasks").mkdir(parents=True)
    elsewhere.mkdir()
    digests: dict = {}
    assert write_changed({"tasks/a.html": b"a"}, site, digests) == 1
    (site / "tasks" / "a.html").unlink()
    (site / "tasks").rmdir()
    (site / "tasks").symlink_to(elsewhere)
    with pytest.raises(MachineError):
        write_changed({"tasks/a.html": b"changed"}, site, digests)
    with pytest.raises(MachineError):
        write_changed({}, site, digests, remove=["tasks/a.html"])
    assert list(elsewhere.iterdir()) == []
    (site / "page.html").symlink_to(outside_secret(tmp_path))
    write_changed({"page.html": b"new"}, site, digests)
    assert (site / "page.html").read_bytes() == b"new" and not (site / "page.html").is_symlink()
    assert SECRET in (tmp_path / "private" / "secret.txt").read_text(encoding="utf-8")


# Names, tables, the XML parser -------------------------------------------------------------------

def test_the_import_writes_a_name_in_another_form_as_registered_and_says_so(tmp_path):
    content = write_tiny_content(tmp_path)
    units = yaml.safe_load((content / "units.yaml").read_text(encoding="utf-8"))
    units.append({"name": "VR产业基地", "slug": "vr", "kind": "provincial_department", "aliases": ["ＶＲ基地"]})
    (content / "units.yaml").write_text(dump(units), encoding="utf-8")
    csv_text(HEADER + "一、推动创新,,\n1,建设虚拟现实产业基地。,ＶＲ产业基地\n2,建设基地。,VR基地\n")(tmp_path / "table.csv")
    status, report = import_in_process(tmp_path)
    assert status == 0, report
    assert "第 3 行：“ＶＲ产业基地”与登记的“VR产业基地”只是字符写法不同" in report
    assert "第 4 行：“VR基地”与登记的“ＶＲ基地”只是字符写法不同" in report
    assert "未登记的单位：无" in report
    task = yaml.safe_load((content / "plans" / "x" / "tasks" / "1-01.yaml").read_text(encoding="utf-8"))
    assert task["lead_units"] == ["VR产业基地"]
    assert run_cli("check", "--content", str(content)).stderr.count("未登记的单位") == 0


def test_an_alias_that_folds_to_its_own_units_name_is_one_name(tmp_path):
    content = write_tiny_content(tmp_path)
    unit_named("ＶＲ产业基地", aliases=["VR产业基地"], task_uses="VR产业基地")(tmp_path, content)
    result = run_cli("check", "--content", str(content))
    assert result.returncode == 0, result.stderr


def test_a_table_is_read_with_the_place_of_every_cell(tmp_path):
    from catalogue.reader import read_table

    workbook([["序号", "工作任务", None, "完成时限"], [], [1, " 推进 ", 2.5, dt.datetime(2023, 6, 30)]])(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx")
    assert table.sheet == "Sheet" and table.file == (tmp_path / "t.xlsx").as_posix()
    assert table.rows[0] == ["序号", "工作任务", None, "完成时限"]
    assert all(value is None for value in table.rows[1])
    assert table.rows[2] == [1, " 推进 ", 2.5, dt.datetime(2023, 6, 30)]
    assert table.place(3, 4) == ("工作表“Sheet” 第 3 行 D 列", "sheet 'Sheet', row 3, column D")
    error = table.error(3, 28, "错", "wrong")
    assert error.format().startswith(f"{table.file}:3: Sheet AB\n")
    csv_text("a,,\"b\nc\"\n,x\n")(tmp_path / "t.csv")
    assert read_table(tmp_path / "t.csv").rows == [["a", None, "b\nc"], [None, "x"]]
    assert read_table(tmp_path / "t.csv").sheet is None


def test_openpyxl_parses_through_defusedxml_even_where_the_scan_would_miss_a_dtd(tmp_path, monkeypatch):
    """The scan of every part refuses a DTD before parsing; were it to miss one, defusedxml,
    through which openpyxl parses, refuses the entity all the same."""
    import re

    from openpyxl.xml import functions

    from catalogue import reader

    assert functions.iterparse.__module__.startswith("defusedxml")
    assert functions.fromstring.__module__.startswith("defusedxml")
    workbook([["序号", "工作任务"], [1, "x"]], entity_in_sheet)(tmp_path / "t.xlsx")
    monkeypatch.setattr(reader, "_DECLARATION", re.compile(rb"(?!)"))
    with pytest.raises(reader.Refused) as refused:
        reader.read_table(tmp_path / "t.xlsx")
    assert "实体或 DTD" in refused.value.error.zh


def test_the_limits_table_in_the_maintainers_guide_states_the_limits_in_force():
    """docs/maintainers.md lists every limit in one table; each row's figure is the constant it
    names, and every limit of the reader is in it."""
    import importlib
    import re

    from catalogue.pipeline import PROJECT_ROOT

    guide = (PROJECT_ROOT / "docs" / "maintainers.md").read_text(encoding="utf-8")
    table = guide[guide.index("### Limits"):].split("\n\n")[2]
    rows = [line for line in table.splitlines()[2:] if line.startswith("|")]
    named = set()
    for row in rows:
        what, limit, constant = [cell.strip() for cell in row.strip("|").split("|")]
        found = re.fullmatch(r"`(\w+)\.(\w+)(?:\[\"(\w+)\"\])?`", constant)
        assert found, row
        value = getattr(importlib.import_module(f"catalogue.{found.group(1)}"), found.group(2))
        if found.group(3):
            value = value[found.group(3)]
        stated = float(re.match(r"[\d,]+", limit).group().replace(",", ""))
        assert stated == value, f"{what}: the guide says {limit}, the code {value}"
        named.add(f"{found.group(1)}.{found.group(2)}")
    from catalogue import reader

    assert {f"reader.{name}" for name in dir(reader) if name.startswith("MAX_")} <= named


def test_setup_builds_the_site_on_a_machine_without_node_and_says_what_the_tests_need(tmp_path):
    """setup.sh on a machine with Python but no Node.js: it installs, builds the site and says
    that the tests need Node.js, instead of stopping at npm ci (exit 127). The Python steps are
    played by a stand-in that records what it is asked to do."""
    import shutil
    import subprocess

    from catalogue.pipeline import PROJECT_ROOT

    project, tools = tmp_path / "project", tmp_path / "bin"
    project.mkdir()
    tools.mkdir()
    shutil.copy(PROJECT_ROOT / "setup.sh", project / "setup.sh")
    shutil.copy(PROJECT_ROOT / "package-lock.json", project / "package-lock.json")
    for tool in ("dirname", "basename", "mkdir", "chmod", "cat"):
        (tools / tool).symlink_to(shutil.which(tool))
    log = tmp_path / "steps.log"
    stand_in = tmp_path / "stand-in"
    stand_in.write_text(f'#!/bin/bash\necho "$(basename "$0") $*" >> {log}\n', encoding="utf-8")
    (tools / "python3").write_text(stand_in.read_text(encoding="utf-8") + "mkdir -p .venv/bin\n"
                                   f"for t in pip python; do cat {stand_in} > .venv/bin/$t; chmod +x .venv/bin/$t; done\n",
                                   encoding="utf-8")
    (tools / "python3").chmod(0o755)
    result = subprocess.run(["/bin/bash", "setup.sh"], cwd=project, capture_output=True, text=True, timeout=60,
                            env={"PATH": str(tools), "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    steps = log.read_text(encoding="utf-8").splitlines()
    assert steps[0] == "python3 -m venv .venv" and steps[-1] == "python build.py", steps
    assert "Node.js (npm) is not installed" in result.stderr and "the tests need it" in result.stderr
    assert "setup.sh --with-browser" in result.stderr


def test_an_address_from_the_ci_environment_passes_the_same_policy():
    from catalogue.publish import environment_defaults

    assert environment_defaults({"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r"}) == {
        "repository": "https://github.com/o/r"}
    assert environment_defaults({"GITHUB_SERVER_URL": "javascript:alert(1)//", "GITHUB_REPOSITORY": "o/r"}) == {}


def test_every_sheet_is_read_with_each_cells_kind_and_formulas_as_text_when_asked(tmp_path):
    """What a returned progress table needs: every sheet, formulas as their text (never
    evaluated), error values told from text; the cell limit counts all the sheets."""
    openpyxl = pytest.importorskip("openpyxl")
    from catalogue import reader

    book = openpyxl.Workbook()
    book.active.title = "牵头任务"
    book.active.append(["状态", 3, "=A1&\"x\"", "#N/A"])
    book.active["D1"].data_type = "e"
    book.create_sheet("说明").append(["填写说明"])
    book.save(tmp_path / "t.xlsx")
    first, notes = reader.read_workbook(tmp_path / "t.xlsx", formulas=True)
    assert (first.sheet, notes.sheet) == ("牵头任务", "说明")
    assert first.rows == [["状态", 3, "=A1&\"x\"", "#N/A"]]
    assert first.kinds == [["s", "n", "f", "e"]]
    assert notes.rows == [["填写说明"]]
    assert reader.read_table(tmp_path / "t.xlsx").rows == [["状态", 3, None, "#N/A"]], "no cached result: empty"
    assert reader.read_table(tmp_path / "t.xlsx", sheet="说明").rows == [["填写说明"]]
    with pytest.raises(reader.Refused):
        reader.read_workbook(tmp_path / "t.csv")
    big = openpyxl.Workbook()
    for sheet in (big.active, big.create_sheet("二")):
        for _ in range(11_000):
            sheet.append(list(range(10)))
    big.save(tmp_path / "big.xlsx")
    assert len(reader.read_table(tmp_path / "big.xlsx").rows) == 11_000, "one sheet of 110,000 cells is read"
    with pytest.raises(reader.Refused) as refused:
        reader.read_workbook(tmp_path / "big.xlsx")
    assert "200,000 个单元格" in refused.value.error.zh
