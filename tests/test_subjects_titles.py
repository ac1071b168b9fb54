"""Subjects, short titles, the home page's 最近更新 and 订阅, from the real content.

What each page should show is read here straight from the YAML files, and the titles expected
are written out by hand, so a bug in the model cannot hide behind its own output.
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import pytest
import yaml

from catalogue.pipeline import PROJECT_ROOT, Settings
from html_dom import parse_file

CONTENT = PROJECT_ROOT / "content"
SUBJECTS = yaml.safe_load((CONTENT / "subjects.yaml").read_text(encoding="utf-8"))
TASKS = {d["id"]: d for d in (yaml.safe_load(p.read_text(encoding="utf-8"))
                             for p in sorted((CONTENT / "tasks").glob("*.yaml")))}
PLAN_ORDER = sorted(TASKS, key=lambda i: tuple(map(int, i.split("-"))))


def by_subject() -> dict[str, list[str]]:
    filed = defaultdict(list)
    for task_id in PLAN_ORDER:
        for slug in TASKS[task_id]["subjects"]:
            filed[slug].append(task_id)
    return filed


def listed(element) -> list[str]:
    return [li.get("data-task-id") for li in element.find_all("li", cls="task-item")]


def test_every_task_has_one_to_three_known_subjects_and_every_subject_has_tasks():
    slugs = [s["slug"] for s in SUBJECTS]
    assert 15 <= len(slugs) <= 25 and len(set(slugs)) == len(slugs)
    for task_id, task in TASKS.items():
        assert 1 <= len(task["subjects"]) <= 3, task_id
        assert set(task["subjects"]) <= set(slugs), task_id
    assert set(by_subject()) == set(slugs)


def test_the_tasks_about_old_people_are_under_elderly_care():
    assert {"8-7", "8-8", "8-9", "8-10", "8-12"} <= set(by_subject()["elderly-care"])
    assert "8-15" in by_subject()["preschool"]  # 学前教育行动计划


def test_subject_pages_list_exactly_their_tasks(built_site):
    expected = by_subject()
    for subject in SUBJECTS:
        document = parse_file(built_site / "subjects" / subject["slug"] / "index.html")
        main = document.one("main")
        assert main.one("h1").text() == subject["name"]
        assert listed(main) == expected[subject["slug"]]


def test_subject_index_links_every_subject_with_its_count(built_site):
    main = parse_file(built_site / "subjects/index.html").one("main")
    terms = main.find_all("li", cls="term")
    assert [t.one("a", cls="term-name").text() for t in terms] == [s["name"] for s in SUBJECTS]
    counts = [t.one("span", cls="term-count").text() for t in terms]
    assert counts == [f"{len(by_subject()[s['slug']])} 项" for s in SUBJECTS]


def test_nav_home_and_task_pages_link_subjects(built_site):
    home = parse_file(built_site / "index.html")
    assert "subjects/index.html" in [a.get("href") for a in home.one("nav", cls="site-nav").find_all("a")]
    pills = home.one("ul", cls="subject-pills").find_all("a")
    assert [a.get("href") for a in pills] == [f"subjects/{s['slug']}/index.html" for s in SUBJECTS]
    task = parse_file(built_site / "tasks/8-8/index.html")
    facts = {d.one("dt").text(): d.one("dd") for d in task.one("dl", cls="facts").find_all("div")}
    assert [a.get("href") for a in facts["主题"].find_all("a")] == [
        "../../subjects/elderly-care/index.html", "../../subjects/health/index.html"]


# Written by hand from the task files: the editor's titles, never a cut of the text.
TITLES = {
    "6-7": "耕地保护、高标准农田和粮食生产",
    "3-2": "重点城镇以上地区5G网络连续覆盖",
    "1-1": "落实鄱阳湖国家自主创新示范区“10条”",
    "8-11": "完善社会保险和医疗保障制度",
    "4-4": "政务服务热线整入12345热线",
}


@pytest.mark.parametrize("task_id", TITLES)
def test_task_titles_in_h1_title_og_title_and_lists(built_site, task_id):
    title = TITLES[task_id]
    document = parse_file(built_site / "tasks" / task_id / "index.html")
    assert document.one("h1").text().split() == ["任务", task_id, title]
    assert document.one("title").text().startswith(f"任务 {task_id} · {title} — ")
    assert document.one("meta", property="og:title").get("content") == f"任务 {task_id} · {title}"
    section = parse_file(built_site / "sections" / task_id.split("-")[0] / "index.html")
    item = next(li for li in section.find_all("li", cls="task-item") if li.get("data-task-id") == task_id)
    assert item.one("span", cls="task-title").text() == title


LIST_MARKS = "、，和及与等或"


def test_every_task_has_a_title_that_is_no_cut_of_its_text():
    titles = {}
    for task_id, task in TASKS.items():
        title, text = task.get("title"), task["text"]
        assert title, f"{task_id} has no editor's title"
        assert title[-1] not in LIST_MARKS + "。；：", (task_id, title)
        # A title that is where the text starts may leave out what follows (工作, a figure, a
        # clause), never the rest of a list it stopped inside (…社会救助体系|和兜底保障长效机制).
        if text.startswith(title) and title != text.rstrip("。"):
            rest = text[len(title):]
            assert rest[0] not in "、和及与等或" and not rest.startswith("以及"), (task_id, title)
        titles[title] = titles.get(title, []) + [task_id]
    assert all(len(ids) == 1 for ids in titles.values()), [ids for ids in titles.values() if len(ids) > 1]


def test_a_task_without_a_title_is_shown_by_its_whole_text(tmp_path):
    from catalogue.pipeline import Paths, build
    from tiny_content import write_tiny_content

    content = write_tiny_content(tmp_path)
    task = yaml.safe_load((content / "tasks" / "1-02.yaml").read_text(encoding="utf-8"))
    assert "title" not in task
    build(Paths(content=content, out=tmp_path / "site"))
    document = parse_file(tmp_path / "site" / "tasks" / "1-2" / "index.html")
    assert document.one("h1").text().split() == ["任务", "1-2", task["text"].rstrip("。")]


def test_open_data_carries_titles_and_subjects(built_site):
    names = {s["slug"]: s["name"] for s in SUBJECTS}
    records = {r["id"]: r for r in json.loads((built_site / "data/tasks.json").read_text(encoding="utf-8"))}
    assert records["8-8"]["subjects"] == [names[s] for s in TASKS["8-8"]["subjects"]] == ["养老", "医疗卫生"]
    assert records["4-4"]["title"] == TITLES["4-4"]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((built_site / "data/tasks.csv").read_text(encoding="utf-8-sig")))}
    assert rows["8-12"]["subjects"] == "养老；社会保障；学前教育"
    data = parse_file(built_site / "data/index.html").one("main")
    assert data.find("tr", id="field-subjects") is not None


def newest_updates(limit: int = 8) -> list[tuple[str, str]]:
    dated = [(u["date"], task_id) for task_id in PLAN_ORDER for u in TASKS[task_id]["updates"]]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [(d.isoformat(), task_id) for d, task_id in dated[:limit]]


def test_home_lists_the_newest_updates_with_dates_and_sources(built_site):
    section = parse_file(built_site / "index.html").one("section", cls="recent")
    items = section.one("ol", cls="recent-list").find_all("li")
    expected = newest_updates()
    assert expected, "the content has dated updates"
    assert [(li.one("time").get("datetime"), li.one("a").get("href").split("/")[1]) for li in items] == expected
    assert all(li.one("span", cls="recent-source").text() for li in items)


def test_a_local_build_offers_no_feed_and_an_addressed_one_shows_subscribe(built_site, tmp_path):
    from catalogue.pipeline import Paths, build

    local = parse_file(built_site / "index.html")
    assert not (built_site / "feed.xml").exists()
    assert local.find("a", cls="subscribe-link") is None and local.find("p", cls="subscribe") is None
    out = tmp_path / "site"
    build(Paths(out=out), Settings(base_url="https://gzbg.jx.test/2021/"))
    addressed = parse_file(out / "index.html")
    assert addressed.one("a", cls="subscribe-link").get("href") == "feed.xml"
    assert (out / "feed.xml").exists()
    assert "订阅" in addressed.one("p", cls="subscribe").text()
