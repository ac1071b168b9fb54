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
from tiny_content import dump, write_tiny_content

VALID_CORRECTION = {"task": "1-1", "field": "text", "original": "鄱阳胡", "corrected": "鄱阳湖",
                    "why": "扫描件误读。", "evidence": "inference"}


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
    assert snapshot(root) == before, "a refused command touches nothing"
    assert not (root / "site").exists()


@pytest.mark.parametrize("name", sorted(CONTENT_CASES))
def test_hostile_content_is_refused_with_its_file_and_line(name, tmp_path):
    run_case(CONTENT_CASES[name], tmp_path)


@pytest.mark.parametrize("name", sorted(COMMAND_LINE_CASES))
def test_wrong_usage_is_refused_by_argparse(name, tmp_path):
    run_case(COMMAND_LINE_CASES[name], tmp_path)


def test_a_valid_correction_with_an_outside_source_builds_and_links_it(tmp_path):
    content = write_tiny_content(tmp_path)
    corrections({**VALID_CORRECTION, "evidence": "outside_source",
                 "evidence_url": "https://www.jiangxi.gov.cn/art/2021/2/10/a.html"})(tmp_path, content)
    (content / "source" / "document.txt").write_text("一、推动创新\n", encoding="utf-8")
    result = run_cli("--content", "content", "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "tasks" / "1-1" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.jiangxi.gov.cn/art/2021/2/10/a.html"' in page
    assert (tmp_path / "site" / "source" / "document.txt").read_text(encoding="utf-8") == "一、推动创新\n"


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
