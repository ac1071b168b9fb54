"""The browsable site, built from the real content: every taxonomy page lists exactly the tasks
it should, every task page says what a reader needs, and every page has the shared frame.

What each page should list is computed here straight from the YAML files, independently of
catalogue/model_builder.py, so a filing bug there cannot hide behind its own output.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.charts import badge_colors, contrast
from catalogue.exports import COLUMNS
from catalogue.pipeline import PROJECT_ROOT, Settings
from catalogue.model import zh_date
from catalogue.templating import _plain_paragraph, markdown_parser
from html_dom import Element, parse_file

CONTENT = PROJECT_ROOT / "content"


# --- what the content says each page should list ------------------------------------------

@dataclass
class Expected:
    site: dict
    tasks: dict[str, dict]                                  # id -> task data, in plan order
    sections: dict[int, dict]                               # number -> registry record
    by_subsection: dict[tuple[int, int], list[str]] = field(default_factory=lambda: defaultdict(list))
    by_leader: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))   # slug -> ids
    led: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))         # unit slug -> ids
    shared: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    via: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))  # (unit, collective)
    by_status: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    leaders: list[dict] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)
    statuses: list[dict] = field(default_factory=list)


def _read(name: str):
    return yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected() -> Expected:
    tasks = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((CONTENT / "tasks").glob("*.yaml"))]
    tasks.sort(key=lambda t: (t["section"], t["number"]))
    files = {t["id"]: p.name for p in (CONTENT / "tasks").glob("*.yaml")
             for t in [yaml.safe_load(p.read_text(encoding="utf-8"))]}
    for task in tasks:
        task["file"] = files[task["id"]]
    units = _read("units.yaml")
    slug_of = {name: u["slug"] for u in units for name in [u["name"], *(u.get("aliases") or [])]}
    members = {u["slug"]: [slug_of[m] for m in u.get("members") or []] for u in units}
    leader_slug = {l["name"]: l["slug"] for l in _read("leaders.yaml")}
    result = Expected(site=_read("site.yaml"), tasks={t["id"]: t for t in tasks},
                      sections={s["number"]: s for s in _read("sections.yaml")},
                      leaders=_read("leaders.yaml"), units=units, statuses=_read("statuses.yaml"))
    for task in tasks:
        tid = task["id"]
        result.by_subsection[(task["section"], task["subsection"])].append(tid)
        result.by_status[task["status"]].append(tid)
        for name in task["leaders"]:
            result.by_leader[leader_slug[name]].append(tid)
        lead = [slug_of[n] for n in task["lead_units"]]
        responsible = [slug_of[n] for n in task["responsible_units"]]
        for slug in lead:
            result.led[slug].append(tid)
        for slug in responsible:
            if slug not in lead:
                result.shared[slug].append(tid)
        for collective in dict.fromkeys(lead + responsible):
            for member in members[collective]:
                if member not in lead + responsible:
                    result.via[(member, collective)].append(tid)
    return result


# --- reading the built pages ----------------------------------------------------------------

def page(site: Path, path: str) -> Element:
    return parse_file(site / path)


def main(document: Element) -> Element:
    return document.one("main")


def listed(container: Element) -> list[str]:
    """Task ids of the task lists inside an element, in order."""
    return [li.get("data-task-id") for li in container.find_all("li", cls="task-item")]


def groups(document: Element) -> dict[str, list[str]]:
    """data-group -> the task ids listed in that group, for a term page."""
    return {section.get("data-group"): listed(section)
            for section in main(document).find_all("section", cls="task-group")}


def heading_count(section: Element) -> int:
    text = section.find("h2").find("span", cls="count").text()
    return int(re.search(r"\d+", text).group())


def all_html(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def public_html(site: Path) -> list[Path]:
    """Every page but the editor form (admin/), which no page links to (tests/test_editor_form_site.py)."""
    return [path for path in all_html(site) if not path.is_relative_to(site / "admin")]


# --- the pages exist at the documented addresses ---------------------------------------------

def test_every_page_ends_with_its_closing_tag_and_one_line_break(built_site):
    # A file whose last line has no line break is not a text file to diff, cat or wc.
    pages = all_html(built_site)
    assert pages and [p for p in pages if not p.read_bytes().endswith(b"</html>\n")] == []


def test_a_corrected_passage_and_a_doubtful_one_are_marked_apart(built_site):
    # content/source/corrections.yaml: 6-4's 市 corrected to 省; 7-15's passage only doubted.
    corrected = main(page(built_site, "tasks/6-4/index.html")).one("mark")
    doubted = main(page(built_site, "tasks/7-15/index.html")).one("mark")
    assert (corrected.classes, corrected.get("title"), corrected.text()) == (["correction"], "已更正", "赣州省域副中心城市")
    assert (doubted.classes, doubted.get("title"), doubted.text()) == (["doubt"], "存疑", "国家综合补偿试点省")


def test_a_section_page_leads_back_through_the_section_index(built_site):
    trail = page(built_site, "sections/1/index.html").one("nav", cls="breadcrumb")
    assert [a.get("href") for a in trail.find_all("a")] == ["../../index.html", "../index.html"]
    assert trail.text().split() == ["首页", "篇章", "一、推动创新提速提效"]


def test_every_documented_address_exists(built_site, expected):
    paths = ["index.html", "leaders/index.html", "agencies/index.html", "search/index.html",
             "data/index.html", "404.html", "robots.txt", "data/tasks.json", "data/tasks.csv",
             "corrections/index.html", "source/document.txt"]
    paths += [f"tasks/{tid}/index.html" for tid in expected.tasks]
    paths += [f"sections/{n}/index.html" for n in expected.sections]
    paths += [f"leaders/{l['slug']}/index.html" for l in expected.leaders]
    paths += [f"agencies/{u['slug']}/index.html" for u in expected.units]
    paths += [f"status/{s['code']}/index.html" for s in expected.statuses]
    missing = [p for p in paths if not (built_site / p).is_file()]
    assert not missing


# --- taxonomy term pages list exactly their tasks -------------------------------------------

def test_section_pages_list_their_tasks_by_subsection(built_site, expected):
    for number, section in expected.sections.items():
        document = page(built_site, f"sections/{number}/index.html")
        found = groups(document)
        wanted = {f"sub-{s['number']}": expected.by_subsection[(number, s["number"])]
                  for s in section["subsections"]}
        assert found == wanted, f"section {number}"
        for group in main(document).find_all("section", cls="task-group"):
            assert heading_count(group) == len(wanted[group.get("data-group")])
        assert section["title"] in document.one("h1").text()


def test_leader_pages_list_exactly_their_tasks(built_site, expected):
    for leader in expected.leaders:
        document = page(built_site, f"leaders/{leader['slug']}/index.html")
        assert listed(main(document)) == expected.by_leader[leader["slug"]], leader["name"]
        assert document.one("h1").text() == leader["name"]


def test_unit_pages_separate_led_shared_and_collective_tasks(built_site, expected):
    for unit in expected.units:
        slug = unit["slug"]
        document = page(built_site, f"agencies/{slug}/index.html")
        wanted = {"led": expected.led[slug], "co": expected.shared[slug]}
        for (member, collective), ids in expected.via.items():
            if member == slug:
                wanted[f"via-{collective}"] = ids
        wanted = {key: ids for key, ids in wanted.items() if ids}
        assert groups(document) == wanted, unit["name"]
        for group in main(document).find_all("section", cls="task-group"):
            assert heading_count(group) == len(wanted[group.get("data-group")])


def test_a_unit_page_says_the_short_names_readers_use(built_site, expected):
    shown = 0
    for unit in expected.units:
        said = main(page(built_site, f"agencies/{unit['slug']}/index.html")).find_all("p", cls="also-called")
        if unit.get("short_names"):
            assert [p.text() for p in said] == ["又称" + "、".join(unit["short_names"]) + "。"], unit["name"]
            shown += 1
        else:
            assert not said, unit["name"]
    assert shown >= 5


def test_a_city_page_includes_the_tasks_of_all_city_governments(built_site, expected):
    collective = next(u for u in expected.units if u["name"] == "各设区市政府")
    for_all_cities = expected.led[collective["slug"]] + expected.shared[collective["slug"]]
    assert for_all_cities, "the content has tasks for 各设区市政府"
    cities = [u for u in expected.units if u["kind"] == "city_government" and u["name"] in collective["members"]]
    assert len(cities) >= 11
    for city in cities:
        found = groups(page(built_site, f"agencies/{city['slug']}/index.html"))
        own = set(found.get("led", [])) | set(found.get("co", []))
        via = set(found.get(f"via-{collective['slug']}", []))
        assert set(for_all_cities) <= own | via, city["name"]
        assert not own & via, "a task is listed once per unit page"


def test_status_pages_list_exactly_their_tasks(built_site, expected):
    for status in expected.statuses:
        document = page(built_site, f"status/{status['code']}/index.html")
        assert listed(main(document)) == expected.by_status.get(status["code"], []), status["code"]
        assert status["meaning"] in main(document).text()


def test_every_task_in_a_list_shows_its_status(built_site, expected):
    labels = {s["code"]: s["label"] for s in expected.statuses}
    pages = ["index.html", "status/index.html"] + [p.relative_to(built_site).as_posix()
                                                  for p in all_html(built_site)
                                                  if p.parts[-3] in ("sections", "leaders", "agencies", "status")]
    checked = 0
    for path in pages:
        for item in page(built_site, path).find_all("li", cls="task-item"):
            badge = item.one(cls="badge")
            assert badge.text() == labels[expected.tasks[item.get("data-task-id")]["status"]]
            checked += 1
    assert checked >= len(expected.tasks) * 3


# --- taxonomy indexes: every term with its count ----------------------------------------------

def terms(document: Element) -> list[tuple[str, str, int]]:
    """(group, href, count) for each term listed on a taxonomy page."""
    found = []
    for group in main(document).find_all("section", cls="term-group"):
        for term in group.find_all("li", cls="term"):
            link = term.one("a", cls="term-name")
            count = int(re.search(r"\d+", term.one(cls="term-count").text()).group())
            found.append((group.get("data-group"), link.get("href"), count))
    return found


def test_leaders_index_lists_every_leader_with_count(built_site, expected):
    found = terms(page(built_site, "leaders/index.html"))
    assert [(href, n) for _, href, n in found] == [
        (f"{l['slug']}/index.html", len(expected.by_leader[l["slug"]])) for l in expected.leaders]


def test_units_index_groups_units_by_kind_in_documented_order(built_site, expected):
    found = terms(page(built_site, "agencies/index.html"))
    unit_kinds = expected.site["unit_kinds"]  # site.yaml: the kinds and their order
    kinds_in_order = [k for k in unit_kinds if any(u["kind"] == k for u in expected.units)]
    assert list(dict.fromkeys(group for group, _, _ in found)) == kinds_in_order
    wanted = []
    for kind in kinds_in_order:
        for unit in (u for u in expected.units if u["kind"] == kind):
            slug = unit["slug"]
            ids = set(expected.led[slug]) | set(expected.shared[slug])
            ids |= {t for (member, _), tids in expected.via.items() if member == slug for t in tids}
            wanted.append((kind, f"{slug}/index.html", len(ids)))
    assert found == wanted
    headings = [h.text() for h in main(page(built_site, "agencies/index.html")).find_all("h2")]
    assert [h.split()[0] for h in headings] == [unit_kinds[k] for k in kinds_in_order]


def test_status_and_section_indexes_list_every_term(built_site, expected):
    statuses = terms(page(built_site, "status/index.html"))
    assert [(href, n) for _, href, n in statuses] == [
        (f"{s['code']}/index.html", len(expected.by_status.get(s["code"], []))) for s in expected.statuses]
    sections = terms(page(built_site, "sections/index.html"))
    assert [(href, n) for _, href, n in sections] == [
        (f"{number}/index.html", sum(len(expected.by_subsection[(number, s["number"])]) for s in record["subsections"]))
        for number, record in sorted(expected.sections.items())]


# --- task pages -------------------------------------------------------------------------------

def test_task_pages_show_text_place_people_status_deadline_and_edit_link(built_site, expected):
    ids = list(expected.tasks)
    labels = {s["code"]: s["label"] for s in expected.statuses}
    leader_slug = {l["name"]: l["slug"] for l in expected.leaders}
    unit_slug = {name: u["slug"] for u in expected.units for name in [u["name"], *(u.get("aliases") or [])]}
    site = expected.site
    for index, (tid, task) in enumerate(expected.tasks.items()):
        document = page(built_site, f"tasks/{tid}/index.html")
        body = main(document)
        assert tid in document.one("h1").text()
        assert body.one(cls="task-text").find_all("p")[0].text() == task["text"].strip()
        crumbs = [a.get("href") for a in document.one("nav", cls="breadcrumb").find_all("a")]
        assert crumbs == ["../../index.html", f"../../sections/{task['section']}/index.html",
                          f"../../sections/{task['section']}/index.html#sub-{task['subsection']}"]
        facts = {div.one("dt").text(): div.one("dd") for div in body.one("dl", cls="facts").find_all("div")}
        assert [a.get("href") for a in facts["省政府牵头领导"].find_all("a")] == [
            f"../../leaders/{leader_slug[n]}/index.html" for n in task["leaders"]]
        assert [a.get("href") for a in facts["牵头单位"].find_all("a")] == [
            f"../../agencies/{unit_slug[n]}/index.html" for n in task["lead_units"]]
        assert [a.get("href") for a in facts["责任单位"].find_all("a")] == [
            f"../../agencies/{unit_slug[n]}/index.html" for n in task["responsible_units"]]
        # The document sets no deadline: the page says so, and names a multi-year or ongoing task.
        assert "未规定各项任务的完成时限" in facts["完成时限"].text()
        assert ("timeframe" in task) == bool(facts["完成时限"].find("p", cls="timeframe-note"))
        status = body.one(cls="task-status")
        assert status.one("a", cls="badge").text() == labels[task["status"]]
        newest = max([site["as_of"]] + [u["date"] for t in expected.tasks.values() for u in t["updates"]])
        reported = task["updates"][-1]["date"] if task["updates"] else newest
        assert status.one("time").get("datetime") == reported.isoformat()
        # No repository is configured, so no editor link, and never a file name for a reader.
        assert body.find("p", cls="edit-link") is None and ".yaml" not in body.text()
        pager = body.one("nav", cls="pager")
        prev_link, next_link = pager.find("a", rel="prev"), pager.find("a", rel="next")
        assert (prev_link.get("href") if prev_link else None) == (f"../{ids[index - 1]}/index.html" if index else None)
        assert (next_link.get("href") if next_link else None) == (
            f"../{ids[index + 1]}/index.html" if index + 1 < len(ids) else None)


def test_targets_are_drawn_as_progress_bars(built_site, expected):
    with_targets = [t for t in expected.tasks.values() if t["targets"]]
    assert with_targets, "the content has tasks with targets"
    for task in with_targets:
        body = main(page(built_site, f"tasks/{task['id']}/index.html"))
        cards = body.find_all("li", cls="target")
        assert [c.one("h3").text() for c in cards] == [t["label"] for t in task["targets"]]
        for card, target in zip(cards, task["targets"], strict=True):
            text = card.text()
            unfound = "未找到" if target.get("searched") else "本站尚无有出处的信息"
            if target.get("kind") == "milestone":
                assert "节点目标" in text
                if target["achieved"] is None:
                    assert "是否达成" in text and unfound in text
                else:
                    assert ("已达成" if target["achieved"] else "未达成") in text
                continue
            if target.get("actual") is None:
                # No figure, no bar: an empty bar would read as nothing done.
                assert card.find("svg", cls="progress") is None
                if target.get("achieved") is None:
                    assert "实际完成值" in text and unfound in text
                else:
                    assert ("已达到目标" if target["achieved"] else "未达到目标") in text and "未给出具体数值" in text
                continue
            assert card.one("svg", cls="progress").get("aria-hidden") == "true"
            share = card.one(cls="target-share").text()
            # Rounded down: 5658.2 of 5658.6 is short, and must not read as 100%.
            assert f"{math.floor(100 * min(1, max(0, target['actual'] / target['target'])))}%" in share
            assert ("年内数据" in text) == (target["actual_date"] < dt.date(2021, 12, 31)), target["label"]


def test_task_without_updates_says_so(built_site, expected):
    task = next(t for t in expected.tasks.values() if not t["updates"])
    body = main(page(built_site, f"tasks/{task['id']}/index.html"))
    assert body.one("section", cls="updates").find("p", cls="empty") is not None


# --- home ---------------------------------------------------------------------------------------

def test_home_says_whose_plan_and_as_of_when(built_site, expected):
    document = page(built_site, "index.html")
    text = main(document).text()
    assert expected.site["source_number"] in text
    assert zh_date(expected.site["as_of"]) in text
    assert f"{len(expected.tasks)}" in text


def test_home_charts_state_every_figure_in_text(built_site, expected):
    """The charts are HTML: each status's label (a link to its page), count and share, each
    section's label (a link) and total as text, its bar described in words; bar widths are
    shares of the longest."""
    body = main(page(built_site, "index.html"))
    total = len(expected.tasks)
    counts = [len(expected.by_status.get(s["code"], [])) for s in expected.statuses]
    rows = body.one("ol", cls="bar-chart").find_all("li")
    assert len(rows) == len(expected.statuses)
    for row, status, count in zip(rows, expected.statuses, counts, strict=True):
        label = row.one("a", cls="bar-label")
        assert label.text() == status["label"] and label.get("href") == f"status/{status['code']}/index.html"
        assert row.one("span", cls="bar-figure").text() == f"{count}\u00a0项 {round(100 * count / total)}%"
        width = row.one("span", cls="bar-fill").get("style").split(";")[0]
        assert width == f"width: {100 * count / max(counts):.1f}%"
    sections = body.one("ol", cls="stack-chart").find_all("li")
    assert len(sections) == len(expected.sections)
    sizes = {number: sum(len(expected.by_subsection[(number, sub["number"])]) for sub in record["subsections"])
             for number, record in expected.sections.items()}
    for row, number in zip(sections, sorted(expected.sections), strict=True):
        assert row.one("a").get("href") == f"sections/{number}/index.html"
        assert row.one("span", cls="bar-figure").text() == f"{sizes[number]}\u00a0项"
        stack = row.one("span", cls="stack")
        assert stack.get("role") == "img" and stack.get("aria-label").startswith(f"共 {sizes[number]} 项：")
        assert stack.get("style") == f"--share: {sizes[number] / max(sizes.values()):.3f}"
    table = body.one("details", cls="data-table").one("table")
    rows = table.one("tbody").find_all("tr")
    assert len(rows) == len(expected.sections)
    for row, (number, record) in zip(rows, sorted(expected.sections.items()), strict=True):
        cells = [int(td.text()) for td in row.find_all("td")]
        ids = [tid for s in record["subsections"] for tid in expected.by_subsection[(number, s["number"])]]
        assert cells[-1] == len(ids)
        assert cells[:-1] == [sum(1 for t in ids if expected.tasks[t]["status"] == s["code"])
                              for s in expected.statuses]


def test_home_offers_every_way_in(built_site, expected):
    hrefs = {a.get("href") for a in main(page(built_site, "index.html")).find_all("a")}
    assert {"sections/index.html", "leaders/index.html", "agencies/index.html", "status/index.html",
            "search/index.html", "data/index.html"} <= hrefs
    assert {f"sections/{n}/index.html" for n in expected.sections} <= hrefs
    assert {f"status/{s['code']}/index.html" for s in expected.statuses} <= hrefs


# --- the frame every page shares ------------------------------------------------------------------

def header_search_box_is_there(document, path, built_site, where):
    form = document.one("form", cls="site-search")
    assert form.get("role") == "search" and form.get("method") == "get"
    assert (path.parent / form.get("action")).resolve() == (built_site / "search/index.html").resolve(), where
    field = form.one("input", id="site-search-q")
    assert field.get("name") == "q" and field.get("type") == "search"
    assert document.one("label", **{"for": "site-search-q"}) is not None


def test_every_page_has_the_shared_frame(built_site, expected):
    site = expected.site
    for path in public_html(built_site):
        where = path.relative_to(built_site).as_posix()
        document = parse_file(path)
        html = document.one("html")
        assert html.get("lang") == "zh-CN", where
        skip = document.find_all("a", cls="skip-link")
        assert len(skip) == 1 and skip[0].get("href") == "#main", where
        assert document.one("main").get("id") == "main", where
        if where == "search/index.html":
            # One search box: the page's own, not the header's beside it.
            assert not document.find_all("form", cls="site-search")
            assert len(document.find_all("input", type="search")) == 1
            assert document.one("form", id="search-form").get("role") == "search"
        else:
            assert len(document.find_all("input", type="search")) == 1, where
            header_search_box_is_there(document, path, built_site, where)
        toggle = document.one("button", cls="care-toggle")
        assert toggle.get("aria-pressed") == "false" and "关怀版" in toggle.text()
        assert document.one("nav", cls="site-nav").find_all("a")
        footer = document.one("footer").text()
        assert site["source_number"] in footer and zh_date(site["as_of"]) in footer, where
        head = document.one("head")
        assert head.one("meta", charset="utf-8")
        assert head.one("link", rel="icon").get("href").endswith("assets/favicon.svg")
        # site.yaml sets no address: a local build names none rather than a made-up one.
        assert head.find("link", rel="canonical") is None and head.find("meta", property="og:url") is None
        if where != "404.html":
            assert head.one("meta", property="og:title").get("content")


def test_titles_are_distinct(built_site):
    titles = {}
    for path in all_html(built_site):
        title = parse_file(path).one("head").one("title").text()
        assert title not in titles, f"{path} and {titles.get(title)} share the title {title}"
        titles[title] = path


# --- sitemap, robots, data, search, 404 -------------------------------------------------------------

BASE_URL = "https://gzbg.jx.test/2021/"  # ours, for the builds that need an address


@pytest.fixture(scope="module")
def addressed_site(tmp_path_factory):
    from catalogue.pipeline import Paths, build
    out = tmp_path_factory.mktemp("addressed") / "site"
    build(Paths(out=out), Settings(base_url=BASE_URL))
    return out


def test_sitemap_lists_every_page_but_404(addressed_site, built_site):
    assert not (built_site / "sitemap.xml").exists(), "no address, no sitemap"
    built_site = addressed_site
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(built_site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)]
    base = BASE_URL
    pages = {base + re.sub(r"index\.html$", "", p.relative_to(built_site).as_posix())
             for p in public_html(built_site)} - {base + "404.html"}
    assert sorted(locs) == locs and set(locs) == pages


def test_robots_points_at_the_sitemap(addressed_site, built_site):
    text = (addressed_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in text and f"Sitemap: {BASE_URL}sitemap.xml" in text
    assert "Sitemap" not in (built_site / "robots.txt").read_text(encoding="utf-8")


def test_canonical_links_and_data_page_use_the_configured_address(addressed_site):
    head = page(addressed_site, "tasks/1-5/index.html").one("head")
    assert head.one("link", rel="canonical").get("href") == BASE_URL + "tasks/1-5/"
    data = main(page(addressed_site, "data/index.html"))
    # The examples are one real task's values: its url is its id's page at the configured address.
    task_id = data.one("tr", id="field-id").one("td", cls="example").text()
    assert re.fullmatch(r"\d+-\d+", task_id)
    assert data.one("tr", id="field-url").one("td", cls="example").text() == BASE_URL + f"tasks/{task_id}/"


def test_data_page_explains_every_field_and_links_the_files(built_site):
    body = main(page(built_site, "data/index.html"))
    rows = body.one("table", cls="fields").one("tbody").find_all("tr")
    assert [r.one("code").text() for r in rows] == [f.name for f in COLUMNS]
    for row, field_ in zip(rows, COLUMNS, strict=True):
        assert field_.zh in row.text() and field_.en not in row.text()
    # Fully in Chinese: no English column, nothing marked as English.
    headers = [th.text().strip() for th in body.one("table", cls="fields").one("thead").find_all("th")]
    assert headers == ["字段", "含义", "示例"]
    assert not body.find_all(lang="en")
    hrefs = {a.get("href") for a in body.find_all("a")}
    assert {"tasks.json", "tasks.csv"} <= hrefs
    facts = {div.one("dt").text(): div.one("dd").text() for div in body.one("dl", cls="data-facts").find_all("div")}
    assert "2021年2月10日" in facts["数据日期"] and "赣府厅字〔2021〕8号" in facts["数据日期"]
    assert "MIT" in facts["使用条件"] and "没有为这些数据另行规定许可协议" in facts["使用条件"]


def test_search_page_is_rendered_from_its_template(built_site):
    document = page(built_site, "search/index.html")
    assert document.one("main").find("input", name="q") is not None
    assert document.one("html").get("lang") == "zh-CN"


def test_404_page_finds_the_site_root_from_any_depth(built_site):
    document = page(built_site, "404.html")
    head = document.one("head")
    order = [e for e in head.iter() if e.tag in ("script", "link")]
    assert order[0].tag == "script", "the base is set before any stylesheet or icon loads"
    assert 'createElement("base")' in order[0].text()
    assert head.one("meta", name="robots").get("content") == "noindex"
    assert head.one("meta", name="description").get("content") == "页面不存在。"


# --- nothing from another host, nothing live from content -------------------------------------------

def test_nothing_is_loaded_from_another_host(built_site):
    for path in all_html(built_site):
        document = parse_file(path)
        for element in document.iter():
            source = element.get("src") or (element.get("href") if element.tag == "link"
                                             and element.get("rel") not in ("canonical",) else None)
            if source:
                assert not re.match(r"^(https?:)?//", source), f"{path}: {source}"
    for css in built_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert "@font-face" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert "@import" not in text


def test_markdown_keeps_raw_html_as_text_and_only_safe_links():
    md = markdown_parser()
    html = md.render("<script>alert(1)</script>\n\n<b onclick=x>bold</b> "
                     "[ok](https://example.org/a) [rel](../1-2/index.html) [bad](javascript:alert(1)) "
                     "[data](data:text/html,x) [mail](mailto:a@b.c) ![img](https://evil.example/x.png)")
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<b" not in html
    assert 'href="https://example.org/a"' in html and 'href="../1-2/index.html"' in html
    assert 'href="javascript' not in html and 'href="data' not in html and 'href="mailto' not in html
    assert "<img" not in html


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("完成年度目标的。，％（）\u3000 \t\n0123456789abcXYZ%.+-*_#>&<`[]!:;=~|\\\"'")),
               max_size=24))
def test_a_note_written_without_the_parser_is_what_the_parser_makes_of_it(note):
    """The notes taken as plain text (templating._plain_paragraph) are rendered as markdown-it
    renders them: any ASCII punctuation, space or line break around them is left to the parser."""
    plain = _plain_paragraph(note)
    if plain is not None:
        assert plain == markdown_parser().render(note)


def test_a_note_of_words_numbers_and_percentages_is_written_without_the_parser():
    for note in ("完成年度目标的51%。", "已完成 2021 年度目标", "进度 100%"):
        assert _plain_paragraph(note) == markdown_parser().render(note) == f"<p>{note}</p>\n"
    for note in ("2021.", "1. 已完成", "**已**完成", "a_b", "5% ", "完成\n目标", "x&amp;"):
        assert _plain_paragraph(note) is None


def test_a_block_tag_alone_on_its_line_leaves_nothing_in_the_page_and_an_empty_note_no_paragraph(tmp_path):
    """The pages' environment: a line holding only {% for %} or {% endfor %} leaves neither its
    indentation nor its line break, and the template's last line break is kept. Markdown of a note
    of nothing is nothing, not an empty paragraph. (from_string: no compiled template is reused.)"""
    from catalogue.pipeline import Paths, check
    from catalogue.strings import Strings
    from catalogue.templating import make_environment
    from tiny_content import write_tiny_content

    paths = Paths(content=write_tiny_content(tmp_path))
    env = make_environment(paths.templates, check(paths), Strings.read(paths.templates))
    template = env.from_string("<ul>\n  {% for x in items %}\n  <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n")
    assert template.render(items=["a", "<b>"]) == "<ul>\n  <li>a</li>\n  <li>&lt;b&gt;</li>\n</ul>\n"
    markdown = env.filters["markdown"]
    assert (markdown(""), markdown(None)) == ("", "")
    assert (markdown("已完成。"), markdown("**已**完成")) == ("<p>已完成。</p>\n", "<p><strong>已</strong>完成</p>\n")


def test_what_a_template_writes_is_escaped_as_markupsafe_escapes_it_whatever_it_is(tmp_path):
    """The pages' environment writes {{ value }} through its own escaping: the same text as
    markupsafe's for text, numbers, Markup and anything with __html__, in a page, a macro and a
    captured block; an undefined value still stops the page."""
    import jinja2
    import markupsafe
    from catalogue.pipeline import Paths, check
    from catalogue.strings import Strings
    from catalogue.templating import make_environment
    from tiny_content import write_tiny_content

    class Html:
        def __html__(self):
            return "<em>已</em>"

    paths = Paths(content=write_tiny_content(tmp_path))
    env = make_environment(paths.templates, check(paths), Strings.read(paths.templates))
    class Text:
        def __str__(self):
            return "<b>&"

    values = ["a<b>&'\"c", "", "中文<script>", 12, 2.5, None, markupsafe.Markup("<i>x</i>"), Html(), Text()]
    expected = ["a&lt;b&gt;&amp;&#39;&#34;c", "", "中文&lt;script&gt;", "12", "2.5", "None", "<i>x</i>", "<em>已</em>",
                "&lt;b&gt;&amp;"]
    assert [str(markupsafe.escape(value)) for value in values] == expected  # the oracle agrees
    template = env.from_string(
        "{% macro m(v) %}[{{ v }}]{% endmacro %}{% set held %}({{ v }}){% endset %}{{ v }}|{{ m(v) }}|{{ held }}")
    for value, text in zip(values, expected):
        assert template.render(v=value) == f"{text}|[{text}]|({text})"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ nothing }}").render()
    # Where a template turns escaping off, a value is written as it is.
    assert env.from_string("{% autoescape false %}{{ v }}{% endautoescape %}").render(v="<b>") == "<b>"


def test_a_list_of_task_items_links_each_from_the_page_and_keeps_what_its_items_read(tmp_path):
    """task_items: each item made once, its link to the task filled in from the page being
    rendered (escaped, as a link in a page is), the items joined by `between`, and what making
    an item read from the task files counted again for every page that lists it."""
    from types import SimpleNamespace

    from catalogue.pipeline import Paths, check
    from catalogue.strings import Strings
    from catalogue.templating import make_environment
    from tiny_content import write_tiny_content

    paths = Paths(content=write_tiny_content(tmp_path))
    catalogue = check(paths)
    env = make_environment(paths.templates, catalogue, Strings.read(paths.templates))
    macro = env.from_string('{% macro item(t) %}<a href="{{ t|rel }}">{{ t.label }}</a>{% endmacro %}').module.item
    odd = [SimpleNamespace(path="tasks/a&b/index.html", label="甲"), SimpleNamespace(path="tasks/c/index.html", label="乙")]
    task_items = env.globals["task_items"]
    env.page_path = "agencies/x/index.html"
    assert task_items(macro, odd, ", ") == ('<a href="../../tasks/a&amp;b/index.html">甲</a>, '
                                            '<a href="../../tasks/c/index.html">乙</a>')
    env.page_path = "tasks/c/index.html"
    assert task_items(macro, odd, "|") == '<a href="../a&amp;b/index.html">甲</a>|<a href="index.html">乙</a>'

    reading = env.from_string('{% macro item(t) %}{{ t.continues }}<a href="{{ t|rel }}"></a>{% endmacro %}').module.item
    task = catalogue.tasks[0]
    env.reads = set()
    task_items(reading, [task], "")
    env.reads = set()  # another page listing the same task: its item is not made again
    task_items(reading, [task], "")
    assert (task, "continues") in env.reads


def test_rendering_a_page_leaves_nothing_for_the_cycle_collector(tmp_path):
    """Every page of a site rendered a second time frees all it made as it goes: a macro module
    made per page (imported with the page's context) was a cycle of objects that only Python's
    collector of cycles frees, a sixth of a build at 10,000 tasks. Links stay the page's own."""
    import gc

    from catalogue.pages import all_pages
    from catalogue.pipeline import Paths, check
    from catalogue.render import Renderer
    from catalogue.strings import Strings
    from tiny_content import write_tiny_content

    paths = Paths(content=write_tiny_content(tmp_path))
    catalogue = check(paths)
    say = Strings.read(paths.templates)
    pages = all_pages(catalogue, say, paths.templates)
    render = Renderer(catalogue, say, paths.templates)
    for page in pages:  # the first time, Jinja compiles and keeps the templates and macros
        render(page)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        pages_html = {page.path: render(page)[0] for page in pages}
        gc.collect()
        left = [type(thing).__name__ for thing in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []
    assert len({template for template in (page.template for page in pages)}) >= 5
    task_page = next(path for path in pages_html if path.startswith("tasks/"))
    assert b'href="../../assets/css/site.css"' in pages_html[task_page]


# --- colours ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("color", ["#6b7280", "#f59e0b", "#facc15", "#16a34a", "#1d4ed8", "#ffffff",
                                   "#000000", "#b91c1c", "#22d3ee", "#a3a3a3"])
def test_status_badges_keep_text_contrast_aa_whatever_the_colour(color):
    background, text = badge_colors(color)
    assert contrast(background, text) >= 4.5


def test_registry_badges_pass_aa(expected):
    for status in expected.statuses:
        background, text = badge_colors(status["color"])
        assert contrast(background, text) >= 4.5, status["code"]


def test_charts_are_well_formed_svg(built_site):
    path = "agencies/development-reform/index.html"
    body = main(page(built_site, path))
    raw = (built_site / path).read_text(encoding="utf-8")
    charts = re.findall(r"<svg class=\"chart.*?</svg>", raw, re.S)
    assert len(charts) == len(body.find_all("svg", cls="chart")) >= 1, "the page's charts are all checked"
    for chart in charts:
        ET.fromstring(chart)


def test_zh_date():
    assert zh_date(dt.date(2021, 2, 10)) == "2021年2月10日"
