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

from catalogue.pipeline import PROJECT_ROOT
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


TITLES = {
    "6-7": "坚决遏制耕地“非农化”、防止“非粮化”",          # the first clause, whole
    "3-2": "实施5G网络覆盖提升工程等项目",                  # the clause announcing a list is skipped
    "2-2": "建成中林华中智能家居、晟邦科技水钻等",          # a long list ends at a 、 with 等
    "1-1": "落实支持鄱阳湖国家自主创新示范区建设“10条”",   # the quote stays whole
    "2-16": "做实“开发区+主题产业园”“管委会+平台公司”…",  # no list mark: cut, with quotes closed
    "4-4": "政务服务热线整入12345热线",                     # the editor's title
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
    build(Paths(out=out), base_url="https://gzbg.jx.test/2021/")
    addressed = parse_file(out / "index.html")
    assert addressed.one("a", cls="subscribe-link").get("href") == "feed.xml"
    assert (out / "feed.xml").exists()
    assert "订阅" in addressed.one("p", cls="subscribe").text()


def test_a_hard_cut_steps_back_before_an_open_quote():
    from catalogue.model import short_title

    assert short_title("推进“甲乙丙丁戊己庚辛”建设", limit=8) == "推进…"
    assert short_title("甲乙丙丁戊，己庚辛", limit=8) == "甲乙丙丁戊"
