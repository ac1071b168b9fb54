"""Several governments in one catalogue: the plan of a government the content has never seen,
imported from its real table with no hand edit, checks and builds beside the 2021 plan; its
leaders and units are its own, never merged with the first government's whatever their names;
the first government's pages, counts and addresses are as they were; pages, search and open data
name the government."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from catalogue.errors import ContentErrors
from catalogue.pipeline import PROJECT_ROOT, Paths, Settings, build, check
from catalogue.validate import validate
from catalogue.load import read_content
from tests.html_dom import parse
from tests.search_node import search_cli
from tests.test_table_layouts import DATA, run

BASE_URL = "https://example.test/gzbg/"
OLD_PATHS = (PROJECT_ROOT / "tests" / "data" / "site_2021_paths.txt").read_text(encoding="utf-8").split()
# The command the issue gives, as a new user runs it, with what the copy read says of the
# document (its year, not its day; no number): no renaming, no hand edit after.
COMMAND = ["--plan", "ah-2022", "--government", "ah", "--title", "2022年安徽省重点工作及责任分解",
           "--date", "2022", "--issuer", "安徽省人民政府"]


def with_anhui(folder: Path) -> Path:
    """A copy of the content in folder/content, with the Anhui plan imported from its real table."""
    content = folder / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    status, report = run("import", str(DATA / "anhui-2022-items.csv"), "--content", str(content), *COMMAND)
    assert status == 0, report
    return content


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The 2021 content built alone, and with the other government's plan imported: (alone, both, content)."""
    root = tmp_path_factory.mktemp("governments")
    content = with_anhui(root)
    assert run("check", "--content", str(content))[0] == 0
    build(Paths(content=PROJECT_ROOT / "content", out=root / "alone"), Settings(base_url=BASE_URL))
    build(Paths(content=content, out=root / "both"), Settings(base_url=BASE_URL))
    return root / "alone", root / "both", content


def page(site: Path, path: str):
    return parse((site / path).read_text(encoding="utf-8"))


def task_ids(site: Path, path: str) -> list[str]:
    return [item.attrs["href"] for item in page(site, path).find_all("a", cls="task-link")]


def test_the_first_governments_pages_counts_and_addresses_are_unchanged(sites):
    alone, both, _ = sites
    assert [path for path in OLD_PATHS if not (both / path).is_file()] == []
    units = yaml.safe_load((PROJECT_ROOT / "content" / "units.yaml").read_text(encoding="utf-8"))
    leaders = yaml.safe_load((PROJECT_ROOT / "content" / "leaders.yaml").read_text(encoding="utf-8"))
    paths = [f"agencies/{u['slug']}/index.html" for u in units] + [f"leaders/{l['slug']}/index.html" for l in leaders]
    for path in paths:
        assert task_ids(both, path) == task_ids(alone, path), path
    intro = page(both, "agencies/development-reform/index.html").find("p", cls="intro-text").text()
    assert intro == page(alone, "agencies/development-reform/index.html").find("p", cls="intro-text").text()
    # The indexes of the first government list its units alone.
    names = [a.text() for a in page(both, "agencies/index.html").find_all("a", cls="term-name")]
    assert names == [a.text() for a in page(alone, "agencies/index.html").find_all("a", cls="term-name")]


def test_two_governments_units_never_merge_whatever_their_names(sites):
    _, both, content = sites
    theirs = page(both, "governments/ah/agencies/sheng-fa-zhan-gai-ge-wei/index.html")
    # 省发展改革委 leads items 1 and 2 of the other government's plan and shares 3, 4 and 5.
    assert [a.attrs["href"].split("tasks/")[1] for a in theirs.find_all("a", cls="task-link")] == [
        "1-1/index.html", "1-2/index.html", "1-3/index.html", "1-4/index.html", "1-5/index.html"]
    assert all("/plans/ah-2022/" in "/" + a.attrs["href"] for a in theirs.find_all("a", cls="task-link"))
    ours = page(both, "agencies/development-reform/index.html")
    assert not any("ah-2022" in a.attrs["href"] for a in ours.find_all("a", cls="task-link"))
    # Each names its government, in the government's own words for its kinds.
    assert theirs.find("p", cls="kicker").text() == "安徽省人民政府 · 单位"
    assert ours.find("p", cls="kicker").text() == "江西省人民政府 · 省直部门"
    customs = page(both, "governments/ah/agencies/he-fei-hai-guan/index.html")
    assert "驻赣" not in customs.text() and customs.find("p", cls="kicker").text() == "安徽省人民政府 · 单位"
    catalogue = check(Paths(content=content))
    first, other = catalogue.governments
    assert catalogue.unit("省发展改革委", first) is not catalogue.unit("省发展改革委", other)


def test_the_new_governments_entries_say_they_are_not_yet_reviewed(sites):
    _, both, _ = sites
    intro = page(both, "governments/ah/agencies/sheng-nong-cun-nong-ye-ting/index.html").find("p", cls="intro-text").text()
    assert "尚未核对" in intro and "“省农业农村厅”写法相近" in intro
    assert "尚未核对" not in page(both, "agencies/development-reform/index.html").text()


def test_the_home_page_opens_on_the_sites_plan_and_names_the_governments(sites):
    _, both, _ = sites
    home = page(both, "index.html")
    assert home.find("h1").text() == "2021年江西省《政府工作报告》重点工作落实情况"
    listed = [li for li in home.find_all("li") if "data-plan" in li.attrs]
    assert [li.attrs["data-plan"] for li in listed] == ["2021", "ah-2022"]
    assert [li.find("span", cls="plan-government").text() for li in listed] == ["江西省人民政府", "安徽省人民政府"]
    # The other plan's document gives only its year: shown as such, never padded to a day.
    other = listed[1].text()
    assert "2022年印发" in other and "状态截至2022年" in other and "2022年1月1日" not in other
    plan_home = (both / "plans/ah-2022/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2022">2022年</time>' in plan_home


def test_task_pages_name_the_government_and_show_etc_after_the_list_that_ends_with_it(sites):
    _, both, _ = sites
    task = page(both, "plans/ah-2022/tasks/1-2/index.html")
    crumbs = [a.text() for a in task.find("nav", cls="breadcrumb").find_all("a")]
    assert crumbs[1] == "安徽省人民政府 · 2022年安徽省重点工作及责任分解", "the task's plan, named with its government"
    row = next(div for div in task.find_all("div") if div.find("dt") and div.find("dt").text() == "责任单位")
    assert row.find("dd").text().endswith("省林业局等")
    assert row.find("span", cls="and-others").text() == "等"
    first = page(both, "plans/ah-2022/tasks/1-1/index.html")
    row = next(div for div in first.find_all("div") if div.find("dt") and div.find("dt").text() == "责任单位")
    assert row.find("dd").text() == "省政府各部门、各直属机构" and not row.find("span", cls="and-others")


def test_open_data_and_search_carry_the_government(sites):
    _, both, _ = sites
    rows = list(csv.DictReader(io.StringIO((both / "data/tasks.csv").read_text(encoding="utf-8-sig"))))
    theirs = [row for row in rows if row["plan"] == "ah-2022"]
    assert len(theirs) == 5 and {row["government"] for row in theirs} == {"ah"}
    assert {row["government_name"] for row in theirs} == {"安徽省人民政府"}
    assert {row["government"] for row in rows if row["plan"] == "2021"} == {"jiangxi"}
    assert theirs[1]["and_others"] == "responsible_units" and theirs[0]["and_others"] == ""
    script = (both / "search/index.js").read_text(encoding="utf-8")
    data = json.loads(script[script.index("=") + 1: script.rindex(";")])
    assert [plan["label"] for plan in data["plans"]] == ["江西省 · 2021年江西省《政府工作报告》重点工作落实情况",
                                                        "安徽省人民政府 · 2022年安徽省重点工作及责任分解"]
    named = [unit for unit in data["units"] if unit["name"] == "省发展改革委"]
    assert len(named) == 2
    assert [unit.get("key", unit["slug"]) for unit in named] == ["development-reform", "ah/sheng-fa-zhan-gai-ge-wei"]
    assert named[1]["label"] == "省发展改革委（安徽省人民政府）"


def test_the_editor_form_offers_each_plan_its_own_governments_names(sites):
    _, both, content = sites
    config = yaml.safe_load((both / "admin/config.yml").read_text(encoding="utf-8"))
    fields = {collection["name"]: {field["name"]: field for field in collection["fields"]}
              for collection in config["collections"]}

    def registered(path: Path) -> tuple[set[str], set[str]]:
        units = yaml.safe_load(path.joinpath("units.yaml").read_text(encoding="utf-8"))
        leaders = yaml.safe_load(path.joinpath("leaders.yaml").read_text(encoding="utf-8")) or []
        return ({leader["name"] for leader in leaders},
                {name for unit in units for name in [unit["name"], *(unit.get("aliases") or [])]})

    for plan, folder in (("2021", content), ("ah-2022", content / "governments/ah")):
        leaders, units = registered(folder)
        assert set(fields[f"plan-{plan}"]["leaders"]["options"]) == leaders, plan
        for name in ("lead_units", "responsible_units"):
            assert set(fields[f"plan-{plan}"][name]["options"]) == units, (plan, name)
    # The other government's units are not the first's, though some names are the same.
    assert set(fields["plan-2021"]["lead_units"]["options"]) != set(fields["plan-ah-2022"]["lead_units"]["options"])


def test_a_slug_both_governments_use_makes_two_pages(tmp_path):
    content = with_anhui(tmp_path)
    units = content / "governments/ah/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("slug: sheng-fa-zhan-gai-ge-wei",
                                                               "slug: development-reform"), encoding="utf-8")
    out = tmp_path / "site"
    build(Paths(content=content, out=out))
    ours, theirs = page(out, "agencies/development-reform/index.html"), page(out, "governments/ah/agencies/development-reform/index.html")
    assert len(theirs.find_all("a", cls="task-link")) == 5 and len(ours.find_all("a", cls="task-link")) > 5


def test_each_government_gives_its_units_short_names_and_search_names_each(tmp_path):
    """安徽's registry gives its 省发展改革委 the short names 江西's gives its own: 发改委 finds the
    tasks of both, and the page is told it names two units of one name; a short name of another
    government's registry is no name here (省发改委 is no Anhui unit's name)."""
    content = with_anhui(tmp_path)
    units = content / "governments/ah/units.yaml"
    text = units.read_text(encoding="utf-8")
    entry = "- name: 省发展改革委\n"
    assert entry in text
    units.write_text(text.replace(entry, entry + "  short_names: [省发改委, 发改委]\n", 1), encoding="utf-8")
    out = tmp_path / "site"
    build(Paths(content=content, out=out))
    found = search_cli("search", out / "search/index.js", stdin=[{"q": "发改委"}])[0]
    ids = {match["id"] for match in found["matches"]}
    assert {"ah-2022/1-1", "ah-2022/1-2", "ah-2022/1-3"} <= ids
    catalogue = check(Paths(content=content))
    ours = catalogue.unit("省发展改革委")
    assert {task.id for task in ours.led_tasks + ours.co_tasks} <= ids
    assert found["shortNamed"] == [{"word": "发改委", "units": ["省发展改革委", "省发展改革委"]}]


def errors_of(content: Path) -> str:
    return ContentErrors(validate(read_content(content))).report()


def test_a_plan_naming_an_unknown_government_or_a_bad_date_is_refused_with_file_and_line(tmp_path):
    content = with_anhui(tmp_path)
    plan = content / "plans/ah-2022/plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("government: ah", "government: anhwei").replace("source_date: '2022'",
                                                                                "source_date: 2022-13"), encoding="utf-8")
    found = errors_of(content)
    line = next(n for n, row in enumerate(plan.read_text(encoding="utf-8").splitlines(), start=1) if row.startswith("government"))
    assert f"content/plans/ah-2022/plan.yaml:{line}: government" in found and "未知的政府“anhwei”" in found
    assert "“2022-13”不是有效日期" in found
    # A government folder named like the first government is refused too.
    shutil.move(content / "governments/ah", content / "governments/jiangxi")
    assert "已是第一个政府（site.yaml 的 government_id）的编号" in errors_of(content)


def test_a_task_may_mark_only_a_list_it_has_as_ending_with_etc(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    path = content / "tasks/1-01.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "and_others: [targets]\n", encoding="utf-8")
    assert "未知的名单“targets”" in errors_of(content)


def test_a_leaders_post_holds_for_a_year_only_when_it_covers_the_whole_year(tmp_path):
    content = with_anhui(tmp_path)
    leaders = content / "governments/ah/leaders.yaml"
    records = yaml.safe_load(leaders.read_text(encoding="utf-8"))
    records[0]["posts"] = [{"post": "副省长", "from": "2021-01-20", "until": "2022-06-30"}]
    records[1]["posts"] = [{"post": "副省长", "from": "2021-01-20"}]
    leaders.write_text(re.sub(r"'(\d{4}-\d\d-\d\d)'", r"\1", yaml.safe_dump(records, allow_unicode=True)), encoding="utf-8")
    catalogue = check(Paths(content=content))
    plan = catalogue.plans[1]
    liu, zhou = catalogue.governments[1].leaders
    assert liu.post_for(plan) == "", "a post that ended in June does not cover all of 2022"
    assert zhou.post_for(plan) == "副省长"


def test_a_mistake_in_a_further_governments_leaders_is_named_with_its_file(tmp_path):
    content = with_anhui(tmp_path)
    leaders = content / "governments/ah/leaders.yaml"
    records = yaml.safe_load(leaders.read_text(encoding="utf-8"))
    records[0]["posts"] = [{"post": "副省长", "from": "2021年"}]
    leaders.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    found = [(e.file, e.field, e.zh) for e in validate(read_content(content))]
    assert [(file, field) for file, field, _ in found] == [("content/governments/ah/leaders.yaml", "[1].posts[1].from")]
    assert "“2021年”不是有效日期" in found[0][2]


# Every provincial-level division's name, and the one-character names of the two in this issue.
PLACES = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
          "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西",
          "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾", "赣", "皖"]


def test_no_place_name_in_the_code():
    found = [(path.name, place) for path in sorted((PROJECT_ROOT / "catalogue").glob("*.py"))
             for place in PLACES if place in path.read_text(encoding="utf-8")]
    assert found == []
