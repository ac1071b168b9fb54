"""Every claim a reader sees is true and sourced: no placeholder address, no invented deadline,
corrections shown where they occur, honest empty views, who stands behind the site, leaders in
rank order. Expectations come from the content files and the scan, not from the code under test."""
from __future__ import annotations

import re
import subprocess
import sys

import yaml

from catalogue.pipeline import PROJECT_ROOT
from html_dom import parse_file

CONTENT = PROJECT_ROOT / "content"
ENTRIES = yaml.safe_load((CONTENT / "source" / "corrections.yaml").read_text(encoding="utf-8"))


def html_pages(site):
    """The public pages: not the editor form (admin/), which no reader is sent to."""
    return sorted(path for path in site.rglob("*.html") if not path.is_relative_to(site / "admin"))


def test_no_file_of_the_site_names_a_placeholder_address(built_site):
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".txt", ".json", ".csv"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "example.org" not in text and "OWNER/REPO" not in text, path


def test_reader_text_has_no_english_sentence(built_site):
    """Commit subjects and file paths once leaked into task pages in English."""
    english = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){2,}")
    for path in sorted((built_site / "tasks").rglob("index.html")):
        main = parse_file(path).one("main")
        text = main.text()
        # A cited source keeps its own title, in whatever language it was published.
        for cited in main.find_all(cls="source-line") + main.find_all("li", cls="history-update"):
            text = text.replace(cited.text(), "")
        assert not english.search(text), (path, english.search(text)[0])
        assert ".yaml" not in text and "代码仓库" not in text, path


def test_every_correction_and_doubt_is_on_its_task_page_with_its_original(built_site):
    listing = parse_file(built_site / "corrections" / "index.html").one("main").text()
    for entry in ENTRIES:
        page = parse_file(built_site / "tasks" / entry["task"] / "index.html").one("main")
        notes = page.find_all("details", cls="correction-note")
        text = " ".join(n.text() for n in notes)
        assert entry["why"][:20] in text and entry["why"][:20] in listing, entry
        if entry.get("kind") == "doubt":
            assert f"“{entry['passage']}”：存疑，原文未改" in text
            assert page.find("mark", cls="doubt") is not None
        else:
            assert f"“{entry['original']}”" in text, entry
    assert len(parse_file(built_site / "corrections" / "index.html").find_all("details")) == len(ENTRIES)


def test_the_unchanged_source_text_is_published(built_site):
    [scan] = (CONTENT / "source").glob("*.txt")
    assert (built_site / "source" / "document.txt").read_bytes() == scan.read_bytes()


def test_an_empty_status_page_counts_the_tasks_with_no_information(built_site):
    tasks = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (CONTENT / "tasks").glob("*.yaml")]
    without = sum(1 for t in tasks if not t["updates"])
    statuses = yaml.safe_load((CONTENT / "statuses.yaml").read_text(encoding="utf-8"))
    empty = [s for s in statuses if not any(t["status"] == s["code"] for t in tasks)]
    assert empty, "the content has a status no task is in"
    for status in empty:
        text = parse_file(built_site / "status" / status["code"] / "index.html").one("main").text()
        assert "暂无任务" not in text
        assert f"有 {without} 项本站尚无任何进展信息" in text, status["code"]


# The kinds of source as a reader reads them; only a lead unit's own submission is 报送.
SOURCE_KIND_WORDS = {"official_report": "官方报告", "statistical_bulletin": "统计公报", "news": "新闻报道",
                     "research_report": "研究报告", "regulation": "法规文件", "lead_unit_submission": "牵头单位报送"}


def cited_kinds() -> set[str]:
    """Every kind of source some task file cites, read from the files."""
    found = set()
    for path in (CONTENT / "tasks").glob("*.yaml"):
        task = yaml.safe_load(path.read_text(encoding="utf-8"))
        cited = [u.get("source") for u in task["updates"]] + [t.get("source") for t in task["targets"]]
        found |= {c["kind"] for c in cited if isinstance(c, dict)}
    return found


def test_footer_says_who_stands_behind_the_site_and_where_progress_comes_from(built_site):
    site = yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))
    kinds = cited_kinds()
    assert "news" in kinds and "lead_unit_submission" not in kinds, "the content as it stands"
    for path in html_pages(built_site):
        footer = parse_file(path).one("footer").text()
        if site.get("publisher"):
            assert f"主办单位：{site['publisher']}" in footer, path
        else:
            assert "不是政府官方网站" in footer and "公开文件整理" not in footer, path
        assert "纠错" in footer, path
        # The footer names the kinds of source the site cites, and no other: nothing was submitted.
        for kind, word in SOURCE_KIND_WORDS.items():
            assert (word in footer) == (kind in kinds), (path, word)
        assert "报送" not in footer and "督查部门" not in footer, path
    header = parse_file(built_site / "index.html").one("header").text()
    assert "赣" not in header.replace(site["title"], ""), "no emblem imitating an official one"


def test_the_data_page_states_the_documents_public_status_as_the_scan_shows_it(built_site):
    [scan] = (CONTENT / "source").glob("*.txt")
    assert "此件不予公开" in scan.read_text(encoding="utf-8")
    text = parse_file(built_site / "data" / "index.html").one("main").text()
    assert "此件不予公开" in text and "扫描件" in text
    assert "政府公开发布" not in text and "属于政府信息公开内容" not in text
    assert "本次生成" not in text and "未设置网址" not in text, "no build message on a reader's page"


def test_leaders_are_listed_governor_first_with_their_posts(built_site):
    leaders = yaml.safe_load((CONTENT / "leaders.yaml").read_text(encoding="utf-8"))
    assert leaders[0]["name"] == "易炼红" and leaders[0]["post"] == "省长"
    text = parse_file(built_site / "leaders" / "index.html").one("main").text()
    assert text.index("易炼红") < text.index("殷美根") < text.index("吴浩")
    assert "省长" in text


ACCORDING_TO = {"official_report": "据官方报告", "statistical_bulletin": "据统计公报", "news": "据新闻报道",
                "research_report": "据研究报告", "regulation": "据法规文件"}


def test_every_status_says_where_it_came_from_in_the_kind_of_its_evidence(built_site):
    for path in (CONTENT / "tasks").glob("*.yaml"):
        task = yaml.safe_load(path.read_text(encoding="utf-8"))
        page = parse_file(built_site / "tasks" / task["id"] / "index.html").one("main")
        head = page.one("header").text()
        status_line = page.one("p", cls="task-status").text()
        newest = task["updates"][-1] if task["updates"] else None
        assert "报送于" not in head and "没有官方报告提及" not in page.text(), task["id"]
        if newest and isinstance(newest.get("source"), dict):
            assert "状态依据：" in head and newest["source"]["title"] in head, task["id"]
            day = newest["date"]
            # A page that gives no date is cited with the day it was read, and says so.
            read = "" if "date" in newest["source"] else "网页未注明日期，本站查阅于"
            assert f"{ACCORDING_TO[newest['source']['kind']]}（{read}{day.year}年{day.month}月{day.day}日）" in status_line
        elif not newest:
            # Nothing known: said of the site, never of the unit.
            assert "本站尚未收集到本项任务有出处的进展信息" in head and "不表示" in head, task["id"]
            assert "暂无进展信息" in status_line, task["id"]


def test_no_task_without_information_carries_a_word_of_non_submission(built_site):
    for path in (CONTENT / "tasks").glob("*.yaml"):
        task = yaml.safe_load(path.read_text(encoding="utf-8"))
        if task["updates"]:
            continue
        badge = parse_file(built_site / "tasks" / task["id"] / "index.html").one("p", cls="task-status").one("a")
        assert "报送" not in badge.text(), task["id"]


def test_a_publishing_build_refuses_placeholders_and_says_what_to_set(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--out",
                               str(tmp_path / "site"), *args], capture_output=True, text=True,
                              env={"PATH": "/usr/bin:/bin"})
    result = run("--publish")
    assert result.returncode == 1 and "base_url" in result.stderr and "report_error" in result.stderr
    result = run("--publish", "--base-url", "https://example.org/gzbg2021/", "--repository",
                 "https://github.com/jx/gzbg")
    assert result.returncode == 1 and "placeholder" in result.stderr
    assert not (tmp_path / "site").exists()
