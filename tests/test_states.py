"""The generator on content in states the real content never reaches (tests/state_content.py):
every status, changed statuses, a truncated feed, targets overshot and missed, and markup-like
text in every registry field. Expectations come from the fixture's plain data."""
from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

import pytest

from catalogue.feed import MAX_ENTRIES
from catalogue.pipeline import Paths, build
from html_dom import parse_file
from state_content import (MARK, SECTIONS, STATUS_CODES, TARGET_CASES, TASKS_PER_SECTION, registries, status_changes, tasks,
                           write_state_content)

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="session")
def states_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("states")
    content = write_state_content(root)
    build(Paths(content=content, out=root / "site"))
    return root / "site"


def task_ids_on(page: Path) -> list[str]:
    return [item.get("data-task-id") for item in parse_file(page).find_all("li", "task-item")]


def test_each_status_page_lists_exactly_the_tasks_now_in_that_status(states_site):
    expected = defaultdict(set)
    for task in tasks():
        expected[task["status"]].add(task["id"])
    assert len(expected) == len(STATUS_CODES), "the fixture reaches every status"
    for code in expected:
        listed = task_ids_on(states_site / "status" / code / "index.html")
        assert len(listed) == len(set(listed))
        assert set(listed) == expected[code], code


def test_a_task_whose_status_changed_is_not_listed_under_its_first_status(states_site):
    moved = [t for t in tasks() if t["updates"] and t["updates"][0]["status"] != t["status"]]
    assert moved
    first_page = set(task_ids_on(states_site / "status" / "on_track" / "index.html"))
    assert not first_page & {t["id"] for t in moved}


def _bar_width(page: Path) -> float | None:
    svg = parse_file(page).find("svg", "progress")
    if svg is None:
        return None
    filled = [rect for rect in svg.find_all("rect") if rect.get("fill") == "#1d4ed8"]
    return float(filled[0].get("width")) if filled else None


def test_progress_bars_and_shares_are_clamped_between_none_and_all(states_site):
    seen = set()
    for index, task in enumerate(tasks()):
        case = TARGET_CASES[index % len(TARGET_CASES)]
        page = states_site / "tasks" / task["id"] / "index.html"
        width = _bar_width(page)
        if case.share is None:
            # No figure, no bar: an empty bar would read as nothing done.
            assert width is None and parse_file(page).find("span", "target-share") is None
            continue
        share_text = parse_file(page).one("span", "target-share").text()
        expected = 200 * case.share
        assert (width or 0.0) == pytest.approx(expected, abs=0.01), (task["id"], case)
        assert re.search(rf"\b{math.floor(case.share * 100)}%", share_text), (share_text, case)
        seen.add(case.share)
    assert {0.0, 0.4, 0.5, 1.0} <= seen


def test_the_feed_holds_the_newest_changes_up_to_its_limit(states_site):
    changes = status_changes(tasks())
    assert len(changes) > MAX_ENTRIES, "the fixture overflows the feed"
    feed = ElementTree.parse(states_site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    found = []
    for entry in entries:
        match = re.search(r"/tasks/([0-9]+-[0-9]+)/(\d{4}-\d\d-\d\d)/([a-z_]+)$", entry.find(f"{ATOM}id").text)
        found.append((match.group(1), match.group(2), match.group(3)))
    expected = [(task_id, day.isoformat(), status) for task_id, day, status in changes[:MAX_ENTRIES]]
    assert found == expected
    assert feed.find(f"{ATOM}updated").text.startswith(changes[0][1].isoformat())


def test_open_data_names_each_tasks_own_section_and_subsection(states_site):
    sections = {s["number"]: s for s in registries()["sections"]}
    records = json.loads((states_site / "data" / "tasks.json").read_text(encoding="utf-8"))
    assert len(records) == SECTIONS * TASKS_PER_SECTION
    for record in records:
        section = sections[record["section"]]
        subsection = {s["number"]: s["title"] for s in section["subsections"]}[record["subsection"]]
        assert record["section_title"] == section["title"]
        assert record["subsection_title"] == subsection
        assert record["section_title"] != record["subsection_title"]


def test_registry_text_is_never_markup_on_any_page(states_site):
    injected = []
    for page in states_site.rglob("*.html"):
        for element in parse_file(page).iter():
            if element.tag.startswith("q-"):
                injected.append((page.relative_to(states_site).as_posix(), element.tag))
    assert not injected, injected[:10]


def test_registry_text_is_shown_as_text_where_it_belongs(states_site):
    home = parse_file(states_site / "index.html")
    chart_text = " ".join(a.text() for a in home.one("ol", cls="stack-chart").find_all("a"))
    for number in range(1, SECTIONS + 1):
        assert f"<q-s{number}>推动创新" in chart_text, "the section chart labels each section, escaped"
    page = parse_file(states_site / "tasks" / "1-2" / "index.html").text()
    for text in (MARK["leader"].format(n=2), MARK["unit"].format(n=2), MARK["section"].format(n=1)):
        assert text in page, text
    status_page = parse_file(states_site / "status" / "lagging" / "index.html")
    assert status_page.one("h1").text().strip() == MARK["status"].format(n=3)


def test_scripts_and_data_files_carry_registry_text_inertly(states_site):
    index = (states_site / "search" / "index.js").read_text(encoding="utf-8")
    assert "</script" not in index.lower() and "<q-" not in index
    assert "\\u003cq-s1>" in index, "section titles reach the index, their < escaped"
    feed = (states_site / "feed.xml").read_text(encoding="utf-8")
    assert "<q-" not in feed and "&lt;q-" in feed
