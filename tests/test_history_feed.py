"""Task history and the Atom feed: a status change made in a git repository shows on the task's
page, with the commit that made it, and in site/feed.xml."""
from __future__ import annotations

import datetime as dt
import re
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.feed import MAX_ENTRIES
from catalogue.history import Commit, attach_history, git_commits, status_changes, task_history
from catalogue.model import COMMIT, UPDATE, HistoryEntry, Status, Update
from catalogue.pipeline import PROJECT_ROOT, Paths, Settings, build, check

ATOM = "{http://www.w3.org/2005/Atom}"
TASK_FILE = "tasks/1-05.yaml"
TASK_PAGE = "tasks/1-5/index.html"
UPDATE_TEXT = """updates:
  - date: 2021-04-15
    status: on_track
    note: 一季度研发投入攻坚行动按计划推进。
    source: https://example.org/news/q1
  - date: 2021-06-30
    status: on_track
    note: 上半年进展仍符合序时要求。
  - date: 2021-09-30
    status: lagging
    note: 三季度部分项目进度滞后。
    source: https://example.org/news/q3
"""


def git(repo: Path, *args: str, date: str = "2021-10-08T09:30:00+08:00", author_date: str | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "督查室编辑", "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "督查室编辑", "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_AUTHOR_DATE": author_date or date, "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def change_status(content: Path) -> None:
    """Move task 1-5 from 暂无进展信息 through 序时推进 to 进度滞后, as an editor would."""
    path = content / TASK_FILE
    text = path.read_text(encoding="utf-8")
    assert "status: no_information" in text and "updates: []" in text
    text = text.replace("status: no_information", "status: lagging").replace("updates: []\n", UPDATE_TEXT)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory) -> tuple[Path, Path]:
    """A git repository holding content/, with an import commit and a status-change commit,
    built once: (repository, site)."""
    if shutil.which("git") is None:
        pytest.fail("git is needed for the history tests")
    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(PROJECT_ROOT / "content", repo / "content")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "content")
    git(repo, "commit", "-q", "-m", "导入 166 项任务", date="2021-02-10T10:00:00+08:00")
    change_status(repo / "content")
    git(repo, "commit", "-q", "-a", "-m", "1-5：状态改为进度滞后（三季度督查通报）")
    site = tmp_path_factory.mktemp("built") / "site"
    build(Paths(content=repo / "content", out=site), Settings(base_url=BASE_URL))
    return repo, site


# An address of our own making: a feed needs absolute links, and content/site.yaml sets none.
BASE_URL = "https://gzbg.jx.test/2021/"


def parse_feed(site: Path) -> ET.Element:
    root = ET.fromstring((site / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed", "feed.xml must be an Atom feed"
    return root


def test_git_log_lists_the_commits_of_each_task_file(repo_site):
    repo, _ = repo_site
    commits = git_commits(repo / "content")
    assert [c.subject for c in commits[TASK_FILE]] == ["1-5：状态改为进度滞后（三季度督查通报）", "导入 166 项任务"]
    assert commits[TASK_FILE][0].date == dt.date(2021, 10, 8)
    assert [c.subject for c in commits["tasks/1-01.yaml"]] == ["导入 166 项任务"]


def test_outside_git_there_is_no_commit_history(tmp_path):
    assert git_commits(tmp_path) is None


@pytest.mark.parametrize("committed, day", [
    ("2021-10-08T20:30:00-05:00", dt.date(2021, 10, 9)),   # 09:30 on the 9th in Beijing
    ("2021-10-08T17:30:00+00:00", dt.date(2021, 10, 9)),
    ("2021-10-08T23:59:00+08:00", dt.date(2021, 10, 8)),
    ("2021-10-09T01:00:00+09:00", dt.date(2021, 10, 9)),   # 00:00 in Beijing
])
def test_a_commit_is_dated_by_its_committer_date_in_beijing_time(tmp_path, committed, day):
    """The author date (here a month older, in another zone) is not when the change was made
    public; the feed and the pages state Beijing days."""
    if shutil.which("git") is None:
        pytest.fail("git is needed for the history tests")
    (tmp_path / "content" / "tasks").mkdir(parents=True)
    (tmp_path / "content" / TASK_FILE).write_text("id: 1-5\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "导入", date=committed, author_date="2021-09-01T23:00:00-10:00")
    assert [c.date for c in git_commits(tmp_path / "content")[TASK_FILE]] == [day]


class ElementText(HTMLParser):
    """Text of every element carrying a class, by class: {"status-changed": ["状态最近变更：…"]}."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr"}

    def __init__(self, html: str):
        super().__init__()
        self.open: list[tuple[str, list[str], list[str]]] = []  # (tag, classes, text parts)
        self.texts: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "a":
            for _, open_classes, _ in self.open:
                for name in open_classes:
                    self.links.setdefault(name, []).append(attributes.get("href", ""))
        if tag not in self.VOID:
            self.open.append((tag, classes, []))

    def handle_endtag(self, tag):
        while self.open:
            open_tag, classes, parts = self.open.pop()
            text = " ".join("".join(parts).split())
            for name in classes:
                self.texts.setdefault(name, []).append(text)
            if self.open:
                self.open[-1][2].append("".join(parts))
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.open:
            self.open[-1][2].append(data)


def test_task_page_shows_last_change_and_history(repo_site):
    repo, site = repo_site
    page = ElementText((site / TASK_PAGE).read_text(encoding="utf-8"))
    assert page.texts["status-changed"] == ["状态最近变更：2021年9月30日"]
    history = page.texts["history-list"][0]

    updates = page.texts["history-update"]
    assert updates[0].startswith("2021年9月30日 状态变更：序时推进 → 进度滞后"), "newest first"
    assert updates[1].startswith("2021年6月30日 新增进展记录，状态仍为“序时推进”"), "a report that changed nothing"
    assert updates[2].startswith("2021年4月15日 状态变更：暂无进展信息 → 序时推进"), "from the initial status"
    # A reader's history: no commit subjects, no file names, no repository, nothing in English.
    assert "history-commit" not in page.texts
    assert "状态改为进度滞后（三季度督查通报）" not in history and "导入 166 项任务" not in history
    assert "yaml" not in history and "2021年10月8日" not in history
    assert page.texts["history-issued"][0].startswith("2021年2月10日 赣府厅字〔2021〕8号印发")
    assert history.index("2021年9月30日") < history.index("2021年2月10日")


def test_task_without_updates_has_no_status_change(repo_site):
    _, site = repo_site
    page = ElementText((site / "tasks/1-1/index.html").read_text(encoding="utf-8"))
    assert page.texts["status-changed"] == ["状态最近变更：尚无变更"]
    assert "history-update" not in page.texts
    assert "history-commit" not in page.texts
    assert page.texts["history-issued"][0].startswith("2021年2月10日 赣府厅字〔2021〕8号印发")


def test_feed_is_atom_with_status_changes_only_newest_first(repo_site):
    _, site = repo_site
    feed = parse_feed(site)
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, f"feed lacks <{name}>"
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href").endswith("/feed.xml")

    # The real content's own sourced updates are in the feed too; this test is about task 1-5.
    entries = [e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text.startswith("任务 1-5 · ")]
    # Three updates, two status changes; the commits are not entries.
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "任务 1-5 · 研发投入攻坚行动：序时推进 → 进度滞后",
        "任务 1-5 · 研发投入攻坚行动：暂无进展信息 → 序时推进"]
    for entry in entries:
        for name in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{name}") is not None, f"entry lacks <{name}>"
        assert entry.find(f"{ATOM}id").text.startswith("tag:")
        assert entry.find(f"{ATOM}link").get("href").endswith("/tasks/1-5/")
    updated = [dt.datetime.fromisoformat(e.find(f"{ATOM}updated").text) for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert entries[0].find(f"{ATOM}updated").text == "2021-09-30T00:00:00+08:00"
    every = [e.find(f"{ATOM}updated").text for e in feed.findall(f"{ATOM}entry")]
    assert feed.find(f"{ATOM}updated").text == max(every), "the feed is as new as its newest entry"
    newest = entries[0]
    assert newest.find(f"{ATOM}category").get("term") == "lagging"
    summary = newest.find(f"{ATOM}summary").text
    assert "三季度部分项目进度滞后。" in summary and "https://example.org/news/q3" in summary
    # A source in one line: its kind, its title, its date, its address, as clauses.
    lines = [line for entry in feed.findall(f"{ATOM}entry") for line in entry.find(f"{ATOM}summary").text.splitlines()
             if line.startswith("来源：")]
    assert any(re.fullmatch(r"来源：新闻报道，《[^》]+》，\d{4}-\d\d-\d\d，https?://\S+", line) for line in lines), lines
    site_yaml = yaml.safe_load((repo_site[0] / "content" / "site.yaml").read_text(encoding="utf-8"))
    assert feed.find(f"{ATOM}subtitle").text == f"{site_yaml['source_number']}确定的重点工作，进展状态每有变更即在此发布。"
    assert len({e.find(f"{ATOM}id").text for e in entries}) == len(entries)


def test_feed_and_pages_are_the_same_on_every_build(repo_site, tmp_path):
    repo, site = repo_site
    again = tmp_path / "site"
    build(Paths(content=repo / "content", out=again), Settings(base_url=BASE_URL))
    for path in ("feed.xml", TASK_PAGE):
        assert (again / path).read_bytes() == (site / path).read_bytes(), path


def test_real_feed_is_dated_by_content_not_by_the_clock(tmp_path):
    """Its `updated` is the newest change, or the as-of date while nothing has changed."""
    catalogue = check(Paths(content=PROJECT_ROOT / "content"))
    attach_history(catalogue, PROJECT_ROOT / "content")
    build(Paths(out=tmp_path / "site"), Settings(base_url=BASE_URL))
    feed = parse_feed(tmp_path / "site")
    changes = status_changes(catalogue)
    newest = changes[0].entry.date if changes else catalogue.site.as_of
    assert feed.find(f"{ATOM}updated").text == f"{newest.isoformat()}T00:00:00+08:00"
    assert len(feed.findall(f"{ATOM}entry")) == min(len(changes), MAX_ENTRIES)


def test_history_entries_know_their_kind(repo_site):
    repo, _ = repo_site
    catalogue = check(Paths(content=repo / "content"))
    assert attach_history(catalogue, repo / "content") == 2
    task = catalogue.task("1-5")
    assert [e.kind for e in task.history] == [COMMIT, UPDATE, UPDATE, UPDATE, COMMIT]
    assert [e.changed for e in task.history] == [False, True, False, True, False]
    assert task.status_changed == dt.date(2021, 9, 30)


def test_the_feed_takes_its_changes_from_the_history_attached_to_each_task(repo_site):
    repo, _ = repo_site
    catalogue = check(Paths(content=repo / "content"))
    attach_history(catalogue, repo / "content")
    task = catalogue.task("1-5")
    changed = [entry for entry in task.history if entry.changed]
    task.updates = []  # the history already holds them: status_changes does not read them again
    changes = [change for change in status_changes(catalogue) if change.task is task]
    assert [(change.task, change.entry) for change in changes] == [(task, entry) for entry in changed]
    assert [change.entry.date for change in changes] == [dt.date(2021, 9, 30), dt.date(2021, 4, 15)]


def test_feed_changes_are_newest_first_then_in_catalogue_order(repo_site):
    repo, _ = repo_site
    catalogue = check(Paths(content=repo / "content"))
    no_information, on_track, lagging = (catalogue.status(code) for code in ("no_information", "on_track", "lagging"))

    def change(day, before, after):
        return HistoryEntry(UPDATE, day, "说明", status=after, previous=before)

    def report(day, status):
        return HistoryEntry(UPDATE, day, "说明", status=status, previous=status)

    june, september = dt.date(2021, 6, 30), dt.date(2021, 9, 30)
    catalogue.task("2-1").history = [change(september, on_track, lagging), report(june, on_track)]
    catalogue.task("1-3").history = [change(june, no_information, on_track)]
    catalogue.task("1-1").history = [change(june, no_information, lagging)]
    changes = status_changes(catalogue)
    assert [(c.task.id, c.entry.date) for c in changes] == [
        ("2-1", september), ("1-1", june), ("1-3", june)]


def test_feed_changes_of_one_day_follow_the_plans_order_before_the_sections(tmp_path):
    """A further plan's task 1-1 changed on the day the first plan's 3-2 did: the first plan's
    comes first, though its section's number is the higher."""
    from tiny_content import add_plan
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    add_plan(content, "p2")
    catalogue = check(Paths(content=content))
    no_information, lagging = catalogue.status("no_information"), catalogue.status("lagging")
    day = dt.date(2021, 6, 30)
    later, earlier = (next(task for task in catalogue.tasks if task.key == key) for key in ("p2/1-1", "2021/3-2"))
    for task in (later, earlier):
        task.history = [HistoryEntry(UPDATE, day, "说明", status=lagging, previous=no_information)]
    assert [(change.task.key, change.entry.date) for change in status_changes(catalogue)] == [
        ("2021/3-2", day), ("p2/1-1", day)]


@settings(max_examples=150, deadline=None)
@given(update_days=st.lists(st.integers(1, 4), max_size=5), commit_days=st.lists(st.integers(1, 4), max_size=4))
def test_a_task_s_history_is_newest_first_its_updates_before_its_commits_of_the_same_day(update_days, commit_days):
    """Whatever order the file and git give them in: dates descending; on one day the updates,
    the file's last first, then the commits in git's order (newest first)."""
    statuses = [Status(code=code, label=code, color="#000", meaning="", order=order)
                for order, code in enumerate(("no_information", "on_track", "lagging"))]
    day = lambda number: dt.date(2021, 5, number)
    updates = [Update(day(number), statuses[1 + index % 2], f"进展{index}") for index, number in enumerate(update_days)]
    commits = [Commit(f"sha{index}", day(number), f"提交{index}") for index, number in enumerate(commit_days)]
    task = SimpleNamespace(updates=updates)
    history = task_history(task, statuses[0], commits, "https://example.org/repo/")
    expected = sorted([("update", number, f"进展{index}", -index) for index, number in enumerate(update_days)]
                      + [("update~commit", number, f"提交{index}", index) for index, number in enumerate(commit_days)],
                      key=lambda line: (-line[1], line[0], line[3]))
    assert [(entry.date.day, entry.text) for entry in history] == [(number, text) for _, number, text, _ in expected]
    by_text = {entry.text: entry for entry in history}
    in_file_order = [by_text[f"进展{index}"] for index in range(len(updates))]
    previous = [statuses[0], *(update.status for update in updates)][:len(updates)]
    assert [entry.previous for entry in in_file_order] == previous
    assert all(entry.link == f"https://example.org/repo/commit/{entry.link.rsplit('/', 1)[-1]}"
               for entry in history if entry.kind == COMMIT)
