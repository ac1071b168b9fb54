"""The home and index pages of a site of several plans, from pages.py directly on a small tree: the
first plan's leader and unit indexes are the whole site's, the others are the plan's own."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import yaml

from catalogue.pipeline import Paths, build, check
from catalogue.pages import (data_page, home_page, paginate, status_pages, subject_taxonomy_page, task_pages,
                             taxonomy_pages, unit_page)
from catalogue.strings import Strings
from html_dom import parse_file
from tiny_content import add_plan, edit_task, plans_beside_tiny, write_tiny_content, write_yaml

SAY = Strings.read(Paths().templates)


def trail(page) -> list[str]:
    return [crumb.label for crumb in page.crumbs]


def test_the_first_plans_leader_and_unit_indexes_hang_from_home_the_others_from_their_plan(tmp_path):
    catalogue = check(Paths(content=plans_beside_tiny(tmp_path)))
    first, bare, _ = catalogue.plans
    pages = {page.path: page for page in taxonomy_pages(catalogue, SAY, first)}
    assert trail(pages["sections/index.html"]) == ["首页", "2021年重点工作分工", "篇章"]
    assert pages["sections/index.html"].intro == "赣府厅字〔2021〕8号把重点工作分为以下篇章，每个篇章下再分小节。"
    assert trail(pages["leaders/index.html"]) == ["首页", "牵头领导"]
    assert trail(pages["agencies/index.html"]) == ["首页", "责任单位"]
    assert trail(pages["status/index.html"]) == ["首页", "2021年重点工作分工", "进展状态"]
    assert [group.key for group in pages["status/index.html"].groups] == ["statuses"]
    assert pages["agencies/index.html"].intro == "每项任务有牵头单位，多数还有配合的责任单位。单位按类别排列。"
    others = {page.path: page for page in taxonomy_pages(catalogue, SAY, bare)}
    assert trail(others["plans/bare/leaders/index.html"]) == ["首页", "2023年分工方案", "牵头领导"]
    assert trail(others["plans/bare/agencies/index.html"]) == ["首页", "2023年分工方案", "责任单位"]


def test_the_home_page_bears_the_sites_title_and_a_plans_overview_the_plans(tmp_path):
    catalogue = check(Paths(content=plans_beside_tiny(tmp_path)))
    first, _, full = catalogue.plans
    assert home_page(catalogue, SAY).title == "2021年江西省《政府工作报告》重点工作落实情况"
    assert home_page(catalogue, SAY, first, first.path).title == "2021年重点工作分工"
    assert home_page(catalogue, SAY, full, full.path).title == "2023年重点工作分工方案"


def test_the_unit_index_counts_what_each_unit_leads_shares_and_holds_through_a_collective(tmp_path):
    content = write_tiny_content(tmp_path)
    edit_task(content, "1-01.yaml", lambda task: task.update(lead_units=["南昌市政府"]))
    catalogue = check(Paths(content=content))
    (agencies,) = [page for page in taxonomy_pages(catalogue, SAY, catalogue.plans[0]) if page.path == "agencies/index.html"]
    notes = {entry.name: entry.note for group in agencies.groups for entry in group.terms}
    # 南昌 leads 1-1 and shares 1-2; 九江 is in 1-1 only as one of 各设区市政府.
    assert notes == {"省科技厅": "牵头 1 项", "南昌市政府": "牵头 1 项，参与 1 项",
                     "九江市政府": "作为“各设区市政府”之一 1 项", "各设区市政府": "参与 1 项"}


def test_a_unit_holds_every_plans_task_though_their_ids_are_the_same(tmp_path):
    """Task 1-1 of the first plan and 1-1 of two further plans are three tasks on the unit's page."""
    import yaml

    content = plans_beside_tiny(tmp_path)
    named = set()  # (plan folder, task id) of each task naming 省科技厅, read from the files
    for path in content.rglob("tasks/*.yaml"):
        task = yaml.safe_load(path.read_text(encoding="utf-8"))
        if {"省科技厅", "省科学技术厅"} & set(task["lead_units"] + (task["responsible_units"] or [])):  # name, alias
            named.add((path.parent.parent.name, task["id"]))
    assert len({task_id for _, task_id in named}) < len(named), "the same id in several plans"
    catalogue = check(Paths(content=content))
    unit = catalogue.unit("省科技厅")
    assert sorted((task.plan.id, task.id) for task in unit.all_tasks) == sorted(
        ("jx" if folder == "content" else folder, task_id) for folder, task_id in named)
    page = unit_page(catalogue, SAY, unit)
    assert f"承担 {len(named)} 项重点工作" in page.intro
    assert sum(len(group.tasks) for group in page.groups) == len(named)


def test_a_tasks_list_item_links_to_its_own_task_from_pages_at_every_depth(tmp_path):
    """Each task's list item is rendered once and its link filled in per page (task_items): from
    a page two folders deep and one four deep, every item's link must lead to that item's task,
    and a text holding the very characters that stand for the link keeps them."""
    import posixpath

    from catalogue.pipeline import Paths
    from catalogue.pages import all_pages
    from catalogue.render import Renderer
    from catalogue.templating import LINK_SLOT
    from html_dom import parse

    content = plans_beside_tiny(tmp_path)
    catalogue = check(Paths(content=content))
    odd = catalogue.plans[-1].tasks[0]
    odd.text = f"文中有{LINK_SLOT}这几个字"
    templates = Paths().templates
    pages = all_pages(catalogue, SAY, templates)
    render = Renderer(catalogue, SAY, templates)
    tasks_by_path = {task.path: task for task in catalogue.tasks}
    depths, checked, odd_items = set(), 0, 0
    for page in pages:
        if "task-item" not in (html := render(page)[0].decode("utf-8")):
            continue
        for item in parse(html).find_all("li", cls="task-item"):
            href = item.one("a", cls="task-link").get("href")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), href))
            task = tasks_by_path[target]  # a link to no task page fails here
            assert item.get("data-task-id") == task.id
            assert item.one("p", cls="task-text-line").text() == task.text
            checked += 1
            odd_items += task is odd
        depths.add(page.path.count("/"))
    assert checked and {2, 4} <= depths, (checked, depths)
    assert odd_items, "the task whose text holds the slot is listed somewhere"


def test_a_status_page_says_its_date_and_count_and_hangs_from_the_status_index(tmp_path):
    catalogue = check(Paths(content=write_tiny_content(tmp_path)))
    on_track = {page.path: page for page in status_pages(catalogue, SAY)}["status/on_track/index.html"]
    # Task 1-2 alone is 序时推进; its update of 10 July 2021 is the tiny plan's newest date.
    assert on_track.description == "截至2021年7月10日状态为“序时推进”的1项重点工作。"
    assert [(crumb.label, crumb.path) for crumb in on_track.crumbs] == [
        ("首页", "index.html"), ("进展状态", "status/index.html"), ("序时推进", None)]


def test_a_unit_page_hangs_from_the_unit_index(tmp_path):
    catalogue = check(Paths(content=write_tiny_content(tmp_path)))
    science = {page.path: page for page in (unit_page(catalogue, SAY, unit) for unit in catalogue.units)}[
        "agencies/science/index.html"]
    assert [(crumb.label, crumb.path) for crumb in science.crumbs] == [
        ("首页", "index.html"), ("责任单位", "agencies/index.html"), ("省科技厅", None)]


def test_a_task_pages_description_is_its_text_cut_to_110_characters(tmp_path):
    content = write_tiny_content(tmp_path)
    long_text = "推动" + "创新平台" * 27 + "建设。"  # 2 + 108 + 3 = 113 characters
    edit_task(content, "1-01.yaml", lambda task: task.update(text=long_text))
    edit_task(content, "1-02.yaml", lambda task: task.update(text="推动" + "创新平台" * 27))  # 110: kept whole
    pages = {page.path: page for page in task_pages(check(Paths(content=content)), SAY)}
    assert pages["tasks/1-1/index.html"].description == "推动" + "创新平台" * 26 + "创新平…"
    assert pages["tasks/1-2/index.html"].description == "推动" + "创新平台" * 27


def test_without_a_task_of_targets_units_and_subjects_the_data_page_shows_the_first_task(tmp_path):
    """The tiny tasks have no subjects: the field examples are those of task 1-1, the first."""
    examples = data_page(check(Paths(content=write_tiny_content(tmp_path))), SAY).examples
    assert (examples["id"], examples["text"]) == ("1-1", "落实支持鄱阳湖国家自主创新示范区建设“10条”。")


def test_a_subject_index_cut_into_pages_has_no_heading_on_any(tmp_path):
    """The subjects are one list under the page's own title: cut across pages, it goes on
    with no heading, not with a heading of its own marked （续）."""
    catalogue = check(Paths())
    pages = paginate(subject_taxonomy_page(catalogue, SAY), SAY, limit=5)
    assert len(pages) == -(-len(catalogue.subjects) // 5) > 1
    assert [group.heading for page in pages for group in page.groups] == [""] * len(pages)


def test_an_empty_status_page_says_how_many_tasks_the_site_knows_nothing_of(tmp_path):
    """No task is 已完成, and task 1-1 of the two has no update: the page says both, in that order."""
    catalogue = check(Paths(content=write_tiny_content(tmp_path)))
    pages = {page.path: page for page in status_pages(catalogue, SAY)}
    assert pages["status/completed/index.html"].empty_note == (
        "截至2021年7月10日，本站没有状态为“已完成”的任务。"
        "这不表示没有任务处于这一状态：全部 2 项任务中，有 1 项本站尚无任何进展信息。")
    assert pages["status/on_track/index.html"].empty_note == ""


def test_a_leader_page_of_one_plan_names_the_leaders_post_beside_the_plans_label(tmp_path):
    from catalogue.pages import leader_page

    content = write_tiny_content(tmp_path)
    write_yaml(content / "leaders.yaml", [{"name": "罗小云", "slug": "luo-xiaoyun", "post": "副省长"},
                                          {"name": "殷美根", "slug": "yin-meigen"}])
    catalogue = check(Paths(content=content))
    kinds = {page.title: page.kind for page in (leader_page(catalogue, SAY, leader) for leader in catalogue.leaders)}
    # leader_label of the real site.yaml; a leader without a post is named by it alone.
    assert kinds == {"罗小云": "省政府牵头领导 · 时任副省长", "殷美根": "省政府牵头领导"}


def test_a_plans_overview_without_a_description_says_what_the_plan_holds_not_the_sites_description(tmp_path):
    """Plan `bare` sets no description; site.yaml has one, which speaks of the 2021 document."""
    catalogue = check(Paths(content=plans_beside_tiny(tmp_path)))
    _, bare, full = catalogue.plans
    # Its one task's update of 2 April 2023 is the plan's newest date.
    assert home_page(catalogue, SAY, bare, bare.path).description == (
        "赣府厅字〔2023〕1号确定的1项重点工作，按篇章、牵头领导、责任单位和进展状态查阅，状态截至2023年4月2日。")
    assert home_page(catalogue, SAY, full, full.path).description == "2023年的分工。"


def twelve_tasks(content, first_section: int) -> None:
    """The tiny tree's two tasks and ten more, the first `first_section` of the twelve in section 1
    and the rest in a section 2, every one with no information yet."""
    import yaml

    sections = yaml.safe_load((content / "sections.yaml").read_text(encoding="utf-8"))
    sections[0]["declared_count"] = first_section
    sections.append({"number": 2, "title": "扩大有效投资，稳定增长。", "declared_count": 12 - first_section,
                     "subsections": [{"number": 1, "title": "抓好重大项目。"}]})
    write_yaml(content / "sections.yaml", sections)
    for name in ("1-01.yaml", "1-02.yaml"):
        (content / "tasks" / name).unlink()
    for index in range(12):
        section, number = (1, index + 1) if index < first_section else (2, index - first_section + 1)
        write_yaml(content / "tasks" / f"{section}-{number:02d}.yaml", {
            "id": f"{section}-{number}", "section": section, "subsection": 1, "number": number,
            "text": f"第{index + 1}项测试任务。", "leaders": ["罗小云"], "lead_units": ["省科技厅"],
            "responsible_units": [], "status": "no_information", "targets": [], "updates": []})


def test_a_term_page_of_twelve_tasks_filters_by_section_named_without_the_plan_of_a_site_of_one(tmp_path):
    """Twelve tasks, 7 in section 1 and 5 in section 2, all of one status: a section filter, labelled
    by numeral and first clause, and no status filter (it would have one value); eleven, no filter."""
    from catalogue.pages import TaskGroup
    from catalogue.templating import filter_choices

    content = write_tiny_content(tmp_path)
    twelve_tasks(content, 7)
    catalogue = check(Paths(content=content))
    tasks = catalogue.plans[0].tasks
    assert len(tasks) == 12
    assert filter_choices([TaskGroup("led", "", tasks)], catalogue) == {
        "section": [("1", "一、推动创新提速提效", 7), ("2", "二、扩大有效投资", 5)]}
    # A task in two groups counts once.
    assert filter_choices([TaskGroup("a", "", tasks[:6]), TaskGroup("b", "", tasks[3:])], catalogue) == {
        "section": [("1", "一、推动创新提速提效", 7), ("2", "二、扩大有效投资", 5)]}
    assert filter_choices([TaskGroup("led", "", tasks[:11])], catalogue) == {}


def test_a_task_in_two_groups_counts_once_in_the_status_filter_too(tmp_path):
    from catalogue.pages import TaskGroup
    from catalogue.templating import filter_choices

    content = write_tiny_content(tmp_path)
    twelve_tasks(content, 7)
    catalogue = check(Paths(content=content))
    tasks = catalogue.plans[0].tasks
    first, other = catalogue.statuses[0], next(s for s in catalogue.statuses if s is not tasks[0].status)
    for task in tasks:
        task.status = first if task in tasks[2:5] else other
    expected = sorted([(first.code, first.label, 3), (other.code, other.label, 9)],
                      key=lambda choice: [s.code for s in catalogue.statuses].index(choice[0]))
    assert filter_choices([TaskGroup("a", "", tasks[:6]), TaskGroup("b", "", tasks[3:])], catalogue)["status"] == expected


def test_the_plans_of_some_tasks_come_in_the_catalogue_s_order_whatever_the_tasks_order(tmp_path):
    from catalogue.pages import plans_of, tasks_by_plan

    content = write_tiny_content(tmp_path)
    add_plan(content, "p2")
    add_plan(content, "p3")
    catalogue = check(Paths(content=content))
    first, second, third = catalogue.plans
    tasks = [third.tasks[0], first.tasks[1], second.tasks[0], first.tasks[0]]
    assert plans_of(tasks) == [first, second, third]
    assert tasks_by_plan(tasks) == [(first, [first.tasks[1], first.tasks[0]]), (second, second.tasks), (third, third.tasks)]


def _entries(page_file) -> dict[str, tuple[str, dict[str, int] | None, str | None]]:
    """Each entry of an index page: its count as shown, its status summary (label → count; None
    without one) and the colour of its dot (None without one)."""
    entries = {}
    for item in parse_file(page_file).find_all("li", cls="term"):
        summary = item.find("ul", cls="status-summary")
        dot = item.one("p", cls="term-head").find("span", cls="dot")
        slices = None if summary is None else {
            li.text().rsplit(" ", 1)[0]: int(li.one("strong").text()) for li in summary.find_all("li")}
        entries[item.one("a", cls="term-name").text()] = (
            item.one("span", cls="term-count").text(), slices, dot.get("style") if dot is not None else None)
    return entries


def test_the_leader_and_status_indexes_count_each_entrys_tasks_as_the_task_files_give_them(built_site, project_root):
    """A leader's entry: how many tasks name the leader and, of the statuses they hold, how many
    each; a status's entry: its colour, how many tasks hold it, and no summary of statuses.
    Counted here from the files."""
    content = project_root / "content"
    statuses = yaml.safe_load((content / "statuses.yaml").read_text(encoding="utf-8"))
    label = {status["code"]: status["label"] for status in statuses}
    tasks = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((content / "tasks").glob("*.yaml"))]
    by_leader: dict[str, Counter] = {}
    for task in tasks:
        for name in task["leaders"]:
            by_leader.setdefault(name, Counter())[label[task["status"]]] += 1
    assert len({status for counts in by_leader.values() for status in counts}) > 1
    leaders = _entries(built_site / "leaders" / "index.html")
    assert leaders == {name: (f"{sum(counts.values())} 项", dict(counts), None) for name, counts in by_leader.items()}
    held = Counter(task["status"] for task in tasks)
    assert _entries(built_site / "status" / "index.html") == {
        status["label"]: (f"{held[status['code']]} 项", None, f"--dot: {status['color']}") for status in statuses}


def test_an_index_entry_without_tasks_shows_none_and_no_summary(tmp_path):
    content = write_tiny_content(tmp_path)
    units = yaml.safe_load((content / "units.yaml").read_text(encoding="utf-8"))
    write_yaml(content / "units.yaml", units + [{"name": "省商务厅", "slug": "commerce", "kind": "provincial_department"}])
    build(Paths(content=content, out=tmp_path / "site"))
    entries = _entries(tmp_path / "site" / "agencies" / "index.html")
    assert entries["省商务厅"] == ("0 项", None, None)
    labels = {status["code"]: status["label"] for status in yaml.safe_load(
        (content / "statuses.yaml").read_text(encoding="utf-8"))}
    assert entries["省科技厅"] == ("2 项", {labels["no_information"]: 1, labels["on_track"]: 1}, None)


def test_the_data_page_counts_the_tasks_of_every_plan(tmp_path):
    content = plans_beside_tiny(tmp_path)
    files = [*content.glob("tasks/*.yaml"), *content.glob("plans/*/tasks/*.yaml")]
    first = len(list(content.glob("tasks/*.yaml")))
    assert len(files) > first
    build(Paths(content=content, out=tmp_path / "site"))
    intro = parse_file(tmp_path / "site" / "data" / "index.html").one("p", cls="intro-text").text()
    assert intro.startswith(f"全部 {len(files)} 项任务"), intro


def test_the_shared_macros_are_made_once_for_every_page_of_a_build(tmp_path, monkeypatch):
    """Imported without the page's context, the macros are made once and shared by every page; a
    template whose globals differ from the page's would be made again for each page, a cycle of
    objects per page that only the collector of cycles frees."""
    import jinja2

    from catalogue.pages import all_pages
    from catalogue.render import Renderer

    made = Counter()
    make_module = jinja2.Template.make_module
    monkeypatch.setattr(jinja2.Template, "make_module", lambda self, *args, **kwargs: (
        made.update([self.name]), make_module(self, *args, **kwargs))[1])
    catalogue = check(Paths(content=plans_beside_tiny(tmp_path)))
    templates = Paths().templates
    pages = all_pages(catalogue, SAY, templates)
    render = Renderer(catalogue, SAY, templates)
    for page in pages:
        render(page)
    assert len(pages) > 20 and made["_partials/macros.html"] == 1, made


def test_what_a_task_s_list_item_reads_from_the_task_files_counts_for_every_page_that_lists_it(tmp_path):
    """An item is rendered once and pasted into every page that lists the task (task_items): what
    its template read of the task files must be noted for each of those pages, the first and the
    later ones alike, or an edit that changes it would leave them as they were. The shipped item
    reads nothing of the kind; this one reads its section's list of tasks."""
    import posixpath
    import shutil

    from catalogue.fingerprint import read_pairs
    from catalogue.pages import all_pages
    from catalogue.render import Renderer
    from html_dom import parse

    templates = tmp_path / "templates"
    shutil.copytree(Paths().templates, templates)
    macros = templates / "_partials" / "macros.html"
    text = macros.read_text(encoding="utf-8")
    reading = text.replace('<p class="task-text-line">', '<p class="section-size">{{ task.section.tasks|length }}</p>\n'
                           '    <p class="task-text-line">', 1)
    assert reading != text
    macros.write_text(reading, encoding="utf-8")
    catalogue = check(Paths(content=plans_beside_tiny(tmp_path)))
    tasks_by_path = {task.path: task for task in catalogue.tasks}
    render = Renderer(catalogue, SAY, templates)
    listing = 0
    for page in all_pages(catalogue, SAY, templates):
        html, reads = render(page)
        items = parse(html.decode("utf-8")).find_all("li", cls="task-item")
        noted = set(read_pairs(reads))
        for item in items:
            href = item.one("a", cls="task-link").get("href")
            section = tasks_by_path[posixpath.normpath(posixpath.join(posixpath.dirname(page.path), href))].section
            assert item.one("p", cls="section-size").text() == str(len(section.tasks))
            assert (section.identity, "tasks") in noted, (page.path, section.identity)
        listing += bool(items)
    assert listing > 10, "several pages list the same tasks"


@pytest.mark.parametrize("plans", [2, 3])
def test_with_several_plans_a_section_filter_names_each_section_with_its_plan(tmp_path, monkeypatch, plans):
    """Sections of two plans share numerals (一、…): beside another plan, each is named with its
    plan's short title, in the catalogue's order of plans and sections."""
    import shutil

    from catalogue import templating
    from catalogue.charts import short_label
    from catalogue.pages import TaskGroup
    from catalogue.templating import filter_choices

    content = plans_beside_tiny(tmp_path)
    for folder in sorted((content / "plans").iterdir())[plans - 1:]:
        shutil.rmtree(folder)
    catalogue = check(Paths(content=content))
    assert len(catalogue.plans) == plans
    first, later = catalogue.plans[0], catalogue.plans[-1]
    tasks = first.tasks + later.tasks
    monkeypatch.setattr(templating, "FILTER_FROM_TASKS", len(tasks))  # the tiny plans hold fewer than a page's
    assert first.short_title and later.short_title != first.short_title
    sections = list(dict.fromkeys(task.section for task in tasks))
    choices = filter_choices([TaskGroup("all", "", list(reversed(tasks)))], catalogue)["section"]
    assert choices == [(section.key, f"{section.plan.short_title} {short_label(section)}",
                        sum(task.section is section for task in tasks)) for section in sections]


def test_a_template_s_calls_give_the_context_only_to_what_asks_for_it(tmp_path):
    """The environment's context calls a macro, a method written in C and the wording without
    Jinja's checks for the marks that ask for the context: what carries such a mark still gets
    it, in a loop too, and a call that raises StopIteration is undefined, as in Jinja."""
    import datetime as dt

    import jinja2

    from catalogue.templating import make_environment

    (tmp_path / "t.html").write_text(
        '{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}'
        '{% for n in [1, 2] %}[{{ twice(n) }}|{{ page_of() }}|{{ day.isoformat() }}|{{ say("term.empty") }}]{% endfor %}'
        '{% if empty is defined %}{{ next(empty) }}{% endif %}', encoding="utf-8")
    catalogue = check(Paths(content=write_tiny_content(tmp_path / "c")))
    env = make_environment(tmp_path, catalogue, SAY)
    env.globals.update(page_of=jinja2.pass_context(lambda context: context["page_path"]), next=next)
    template = env.get_template("t.html")
    day = dt.date(2021, 6, 30)
    assert template.render(page_path="a/index.html", day=day) == "".join(
        f"[{n}{n}|a/index.html|2021-06-30|{SAY('term.empty')}]" for n in (1, 2))
    with pytest.raises(jinja2.UndefinedError, match="StopIteration"):
        template.render(page_path="a/index.html", day=day, empty=iter([]))


def test_each_page_of_a_long_term_charts_and_sums_up_all_its_tasks_counted_once(tmp_path, monkeypatch):
    """A term whose list runs over several pages shows, on each, the strip and summary of every
    task of the term, not of the page's part of the list; its tasks are counted by status once
    for all its pages."""
    from catalogue import charts, pages
    from catalogue.pages import all_pages
    from catalogue.render import Renderer
    from html_dom import parse

    monkeypatch.setattr(pages, "TASKS_PER_PAGE", 1)
    content = write_tiny_content(tmp_path)
    # Statuses told apart: the counts of the whole term differ from those of any one page.
    def on_track(task):
        task["status"] = "on_track"
        task["updates"] = [{"date": dt.date(2021, 6, 30), "status": "on_track", "note": "按节点推进。",
                            "source": "https://example.org/news/1"}]

    for path in sorted((content / "tasks").glob("*.yaml"))[::2]:
        edit_task(content, path.name, on_track)
    catalogue = check(Paths(content=content))
    counted = Counter()
    status_tally = charts.status_tally
    monkeypatch.setattr(charts, "status_tally", lambda tasks, statuses: (
        counted.update([id(tasks)]), status_tally(tasks, statuses))[1])
    templates = Paths().templates
    render = Renderer(catalogue, SAY, templates)
    parts_seen, charted = Counter(), {}
    term_pages = [page for page in all_pages(catalogue, SAY, templates)
                  if page.template == "term.html" and page.chart is not None]
    charts_made = counted.copy()
    for page in term_pages:
        charted[id(page.chart)] = page
        summary = parse(render(page)[0].decode("utf-8")).one("ul", cls="status-summary")
        shown = {item.text().rsplit(" ", 1)[0].strip(): int(item.one("strong").text()) for item in summary.find_all("li")}
        expected = Counter(task.status.label for task in page.tasks)
        assert shown == dict(expected), page.path
        parts_seen[id(page.chart)] += 1
    assert max(parts_seen.values()) >= 2, "some term runs over two pages or more"
    # Made with the first page, the counts are the same object on every page of its list; no
    # page's rendering counts the term's tasks again.
    assert all(charts_made[id(page.tasks)] >= 1 for page in charted.values())
    assert counted == charts_made, "rendering counted a term's tasks again"
    assert {id(page.chart.tally) for page in term_pages} == {id(page.chart.tally) for page in charted.values()}
    # The list items are held until every page is made, then let go.
    assert render.env.task_items_made
    render.close()
    assert not render.env.task_items_made
