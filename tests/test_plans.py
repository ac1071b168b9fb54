"""Many plans in one catalogue: a city's plan imported from a table builds beside the 2021
plan, every 2021 address still resolves, leader and unit pages gather both plans, search and
open data carry the plan; the city alone shows none of the 2021 document's wording."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

import build as cli
from catalogue.pipeline import PROJECT_ROOT, Paths, Settings, build, check
from catalogue.pages import home_page
from catalogue.strings import Strings
from tests.html_dom import parse
from tests.plans_content import GOVERNMENT, PLAN_ID, PLAN_TITLE, TABLE, beside_2021, city_alone, run_import

BASE_URL = "https://example.test/gzbg/"  # the address tests/data/site_2021_paths.txt was built with
OLD_PATHS = (PROJECT_ROOT / "tests" / "data" / "site_2021_paths.txt").read_text(encoding="utf-8").split()


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("plans")
    content = beside_2021(root)
    (content / "plans" / PLAN_ID / "tasks" / "2-01.yaml").write_text(
        (content / "plans" / PLAN_ID / "tasks" / "2-01.yaml").read_text(encoding="utf-8")
        + "continues: 2021/3-1\n", encoding="utf-8")
    out = root / "site"
    build(Paths(content=content, out=out), Settings(base_url=BASE_URL))
    return out


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("city")
    out = root / "site"
    build(Paths(content=city_alone(root), out=out))
    return out


def html(site: Path, path: str):
    return parse((site / path).read_text(encoding="utf-8"))


def text_of(site: Path, path: str) -> str:
    return html(site, path).text()


# --- the import ------------------------------------------------------------------------------

def test_import_reports_what_it_read_and_what_it_could_not(tmp_path):
    """The walk-through's command: the city is a government the content has never seen."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    status, report = run_import(content, government=GOVERNMENT)
    assert status == 0
    assert "读到 12 个篇章、16 项任务" in report
    assert "“市政府牵头领导”→leaders" in report and "“完成时限”→deadline_text" in report
    # The note under the table is no task: it is named by its row, not imported.
    assert "第 33 行：没有任务内容" in report
    assert "政府“yunxi”（云溪市人民政府）是新的" in report
    # The city's registries are its own, made from the table and marked for review; the first
    # government's are untouched, and no city unit is compared with a province's.
    for name in ("leaders.yaml", "units.yaml", "site.yaml"):
        assert (content / name).read_bytes() == (PROJECT_ROOT / "content" / name).read_bytes()
    folder = content / "governments" / GOVERNMENT
    leaders = yaml.safe_load((folder / "leaders.yaml").read_text(encoding="utf-8"))
    assert {"name": "周明远", "slug": "zhou-mingyuan", "reviewed": False} in leaders
    units = [u["name"] for u in yaml.safe_load((folder / "units.yaml").read_text(encoding="utf-8"))]
    assert "省交通厅" in units and "省交通运输厅" not in units
    assert "省交通运输厅" not in report
    task = yaml.safe_load((content / "plans" / PLAN_ID / "tasks" / "5-02.yaml").read_text(encoding="utf-8"))
    assert task["text"] == "推进城市生活垃圾分类，实现中心城区全覆盖。"
    assert task["subsection"] == 2 and task["deadline_text"] == "2023年12月底前"
    assert task["responsible_units"] == ["云溪区政府", "青湖区政府"]
    assert task["status"] == "no_information" and task["updates"] == [] and "deadline" not in task
    plan = yaml.safe_load((content / "plans" / PLAN_ID / "plan.yaml").read_text(encoding="utf-8"))
    assert plan["leader_label"] == "市政府牵头领导" and str(plan["source_date"]) == "2023-02-20"
    assert plan["government"] == GOVERNMENT and "as_of" not in plan


def test_for_a_known_government_the_import_only_proposes(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    status, report = run_import(content)
    assert status == 0
    # A near spelling of a registered unit is shown, not merged; new names are proposed.
    assert re.search(r"“省交通厅”（第 8 行）：与已登记的“省交通运输厅”相近", report)
    assert "“周明远”（第 10、21、26、30、32 行）：没有相近的登记项" in report
    # No registry was touched: the proposals wait beside the plan.
    for name in ("leaders.yaml", "units.yaml", "site.yaml"):
        assert (content / name).read_bytes() == (PROJECT_ROOT / "content" / name).read_bytes()
    assert not (content / "governments").exists()
    proposals = yaml.safe_load((content / "plans" / PLAN_ID / "registry-proposals.yaml").read_text(encoding="utf-8"))
    assert {"name": "周明远", "slug": "zhou-mingyuan", "rows": [10, 21, 26, 30, 32]} in proposals["leaders"]


def test_import_never_overwrites(tmp_path):
    content = tmp_path / "content"
    folder = content / "plans" / PLAN_ID
    folder.mkdir(parents=True)
    (content / "site.yaml").write_text("title: x\n", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    status, report = run_import(content)
    assert status == 2 and "不是空文件夹" in report
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_import_reads_xlsx_like_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import shutil
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in csv.reader(TABLE.read_text(encoding="utf-8").splitlines()):
        sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
    sheet.merge_cells("A3:F3")  # a section row spanning the table, as offices draw them
    table = tmp_path / "yunxi.xlsx"
    workbook.save(table)
    results = []
    for name, source in (("csv", TABLE), ("xlsx", table)):
        content = tmp_path / name
        shutil.copytree(PROJECT_ROOT / "content", content)
        status, report = run_import(content, source)
        assert status == 0, report
        folder = content / "plans" / PLAN_ID
        results.append({p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8").replace(source.name, "T")
                        for p in folder.rglob("*.yaml")})
    assert results[0] == results[1]


def check_output(content: Path) -> str:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert cli.main(["check", "--content", str(content)]) == 1
    return err.getvalue()


def test_a_plan_with_an_unregistered_name_is_refused_with_file_and_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    run_import(content)
    assert f"content/plans/{PLAN_ID}/tasks/1-01.yaml:9: leaders[1]\n  未登记的领导“林晓”" in check_output(content)


def test_what_the_import_could_not_know_is_asked_for_once_each(tmp_path):
    """Imported without the document's details, plan.yaml lacks them: each the check needs is
    reported once, as missing, never filled in with a guess (the source title defaults to the
    title, the as-of date to the document's own date)."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        assert cli.main(["import", str(TABLE), "--plan", PLAN_ID, "--content", str(content)]) == 0
    plan = yaml.safe_load((content / "plans" / PLAN_ID / "plan.yaml").read_text(encoding="utf-8")) or {}
    assert not {"title", "source_title", "source_number", "source_date", "as_of"} & set(plan)
    errors = check_output(content)
    for field in ("title", "source_date"):
        reported = re.findall(rf"content/plans/{PLAN_ID}/plan\.yaml:\d+: {field}\n", errors)
        assert len(reported) == 1, (field, errors[:2000])
    assert "不是有效日期" not in errors
    assert not re.search(r"plan\.yaml:\d+: (source_title|source_number|as_of)\n", errors)


# --- both plans in one site --------------------------------------------------------------------

def test_every_2021_address_still_resolves(both):
    missing = [path for path in OLD_PATHS if not (both / path).is_file()]
    assert not missing
    # The first plan keeps its pages where they were: the same task, the same section.
    assert html(both, "tasks/3-1/index.html").find("h1").text().startswith("任务 3-1")
    assert text_of(both, "sections/8/index.html").count("任务") > 0


def test_home_opens_on_the_plan_the_site_chooses_not_the_newest(both):
    """site.yaml sets no current_plan: the home opens on the first plan, though the city's is
    newer, and lists it first; the others follow newest first."""
    page = html(both, "index.html")
    plans = [li.attrs["data-plan"] for li in page.find_all("li") if "data-plan" in li.attrs]
    assert plans == ["2021", PLAN_ID]
    assert page.find("h1").text() == "2021年江西省《政府工作报告》重点工作落实情况"
    assert "16 项任务" in page.text() and "166 项任务" in page.text()
    assert html(both, f"plans/{PLAN_ID}/index.html").find("h1").text() == PLAN_TITLE
    # Subject pages gather every plan: the counts beside them say so.
    assert "主题页汇集全部 2 个计划的任务" in page.text()


def test_current_plan_in_site_yaml_chooses_the_home_plan(tmp_path):
    content = beside_2021(tmp_path)
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + f"current_plan: {PLAN_ID}\n", encoding="utf-8")
    catalogue = check(Paths(content=content))
    assert catalogue.current_plan.id == PLAN_ID
    assert [plan.id for plan in catalogue.plans_listed] == [PLAN_ID, "2021"]
    home = home_page(catalogue, Strings.read(PROJECT_ROOT / "templates"))
    assert home.plan.id == PLAN_ID and [plan.id for plan in home.plans] == [PLAN_ID, "2021"]


def test_the_city_plan_has_its_own_pages(both):
    task = html(both, f"plans/{PLAN_ID}/tasks/5-2/index.html")
    text = task.text()
    assert "推进城市生活垃圾分类" in text and "市政府牵头领导" in text
    assert "原文件写明：“2023年12月底前”" in text
    assert "未规定各项任务的完成时限" not in text
    sections = html(both, f"plans/{PLAN_ID}/sections/index.html")
    assert len(sections.find_all("a", cls="term-name")) == 12
    assert "十二个篇章" in sections.find("meta", name="description").attrs["content"]
    assert (both / f"plans/{PLAN_ID}/status/no_information/index.html").is_file()
    assert "16 项" in text_of(both, f"plans/{PLAN_ID}/status/no_information/index.html")


def test_the_citys_leaders_and_units_are_its_own(both):
    """The city's 省交通厅 is its own entry: the province's 省交通运输厅 counts no task of the city."""
    slug = next(u["slug"] for u in yaml.safe_load((PROJECT_ROOT / "content" / "units.yaml").read_text(encoding="utf-8"))
                if u["name"] == "省交通运输厅")
    unit = html(both, f"agencies/{slug}/index.html")
    groups = [s.attrs["data-group"] for s in unit.find_all("section") if "data-group" in s.attrs]
    assert groups and not any(g.startswith(PLAN_ID) for g in groups)
    city_unit = html(both, "governments/yunxi/agencies/sheng-jiao-tong-ting/index.html")
    assert city_unit.find("p", cls="kicker").text() == "云溪市人民政府 · 上级单位"
    leader = html(both, "governments/yunxi/leaders/zhou-mingyuan/index.html")
    assert leader.find("p", cls="kicker").text().startswith("云溪市人民政府 · ")
    # The city's own index of leaders lists its four, linking to its government's pages.
    index = html(both, f"plans/{PLAN_ID}/leaders/index.html")
    names = [a.text() for a in index.find_all("a", cls="term-name")]
    assert sorted(names) == sorted(["林晓", "陈立新", "周明远", "何建国"])
    assert index.find("a", cls="term-name").attrs["href"].startswith("../../../governments/yunxi/leaders/")
    government_index = html(both, "governments/yunxi/agencies/index.html")
    assert [h.text().split()[0] for h in government_index.find_all("h2")] == [
        "市直部门", "县（区）政府", "开发区", "市属国有企业", "统称（市）", "上级单位"]


def test_continued_task_is_shown_both_ways(both):
    later = html(both, f"plans/{PLAN_ID}/tasks/2-1/index.html")
    assert any(a.attrs.get("href") == "../../../../tasks/3-1/index.html" for a in later.find_all("a"))
    earlier = html(both, "tasks/3-1/index.html")
    assert any(a.attrs.get("href") == f"../../plans/{PLAN_ID}/tasks/2-1/index.html" for a in earlier.find_all("a"))
    assert "延续至" in earlier.text() and "延续自" in later.text()


def test_open_data_and_search_carry_the_plan(both):
    rows = list(csv.DictReader(io.StringIO((both / "data/tasks.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 166 + 16
    assert sum(r["plan"] == "2021" for r in rows) == 166 and sum(r["plan"] == PLAN_ID for r in rows) == 16
    city = next(r for r in rows if r["plan"] == PLAN_ID and r["id"] == "2-1")
    assert city["continues"] == "2021/3-1" and city["deadline_text"] == "2023年12月底前"
    records = json.loads((both / "data/tasks.json").read_text(encoding="utf-8"))
    assert records[-1]["plan_title"] == PLAN_TITLE
    script = (both / "search/index.js").read_text(encoding="utf-8")
    data = json.loads(script[script.index("=") + 1: script.rindex(";")])
    assert [p["id"] for p in data["plans"]] == ["2021", PLAN_ID]
    assert sum(t["plan"] == 1 for t in data["tasks"]) == 16


# --- the city alone ------------------------------------------------------------------------

# Words of the 2021 document and of Jiangxi's government: none may reach another's site.
LEAKS = ["江西", "赣", "2021", "省政府", "省直", "设区市", "八个篇章", "易炼红", "鄱阳湖", "省科技厅",
         "省《政府工作报告》", "驻赣", "省委"]


def test_no_2021_wording_leaks_into_another_governments_site(alone):
    pages = sorted(alone.rglob("*.html")) + [alone / "data/tasks.csv", alone / "search/index.js"]
    assert len(pages) > 40
    for path in pages:
        text = path.read_text(encoding="utf-8")
        found = [word for word in LEAKS if word in text]
        assert not found, f"{path.relative_to(alone)}: {found}"


def test_the_city_alone_has_twelve_sections_its_kinds_and_deadlines(alone):
    assert len(list((alone / "sections").glob("*/index.html"))) == 12
    kinds = [h.text().split()[0] for h in html(alone, "agencies/index.html").find_all("h2")]
    assert kinds == ["市直部门", "县（区）政府", "开发区", "市属国有企业", "统称（市）", "上级单位"]
    task = text_of(alone, "tasks/1-1/index.html")
    assert "原文件写明：“2023年12月底前”" in task and "市政府牵头领导" in task
    assert html(alone, "sections/12/index.html").find("h1").text() == "十二、狠抓工作落实"


def test_a_continued_task_that_does_not_exist_is_named_with_file_and_line(tmp_path):
    import contextlib
    import build as cli
    content = beside_2021(tmp_path)
    task = content / "plans" / PLAN_ID / "tasks" / "2-01.yaml"
    lines = task.read_text(encoding="utf-8").splitlines()
    task.write_text("\n".join(lines + ["continues: 2021/99-9"]) + "\n", encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert cli.main(["check", "--content", str(content)]) == 1
    assert f"content/plans/{PLAN_ID}/tasks/2-01.yaml:{len(lines) + 1}: continues" in err.getvalue()
    assert "计划“2021”中没有任务“99-9”" in err.getvalue()


def test_a_further_plans_indexes_list_its_leaders_and_units_in_their_registrys_order(tmp_path):
    """The city's indexes of leaders and of units: those its tasks name, with the members of a
    collective they name (青湖区政府, here named by no task itself), each in the order of its
    government's registry, by kind."""
    content = beside_2021(tmp_path)
    folder = content / "governments" / GOVERNMENT
    task_paths = sorted((content / "plans" / PLAN_ID / "tasks").glob("*.yaml"))
    for path in task_paths:
        task = yaml.safe_load(path.read_text(encoding="utf-8"))
        for field in ("lead_units", "responsible_units"):
            task[field] = [name for name in task[field] if name != "青湖区政府"] or task[field]
        path.write_text(yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(Paths(content=content, out=tmp_path / "site"))
    leaders = yaml.safe_load((folder / "leaders.yaml").read_text(encoding="utf-8"))
    units = yaml.safe_load((folder / "units.yaml").read_text(encoding="utf-8"))
    kinds = list(yaml.safe_load((folder / "government.yaml").read_text(encoding="utf-8"))["unit_kinds"])
    tasks = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in task_paths]
    by_name = {name: unit for unit in units for name in [unit["name"], *(unit.get("aliases") or [])]}
    named_units = {by_name[name]["name"] for task in tasks for name in task["lead_units"] + task["responsible_units"]}
    assert "青湖区政府" not in named_units
    with_members = named_units | {member for unit in units if unit["name"] in named_units
                                  for member in unit.get("members") or []}
    assert "青湖区政府" in with_members
    named_leaders = {name for task in tasks for name in task["leaders"]}
    expected_leaders = [leader["name"] for leader in leaders if leader["name"] in named_leaders]
    assert len(expected_leaders) > 1
    index = html(tmp_path / "site", f"plans/{PLAN_ID}/leaders/index.html")
    assert [a.text() for a in index.find_all("a", cls="term-name")] == expected_leaders
    expected_units = [unit["name"] for kind in kinds for unit in units
                      if unit["kind"] == kind and unit["name"] in with_members]
    index = html(tmp_path / "site", f"plans/{PLAN_ID}/agencies/index.html")
    assert [a.text() for a in index.find_all("a", cls="term-name")] == expected_units
