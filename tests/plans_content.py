"""A second plan from a table: tests/data/yunxi-2023.csv, the division table of a (fictional)
city government, imported with `python build.py import` as docs/new-plan.md walks through it:
as a government the content has never seen, whose registries the import makes and a maintainer
then reviews. Used beside the 2021 plan and on its own."""
from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import yaml

import build
from catalogue.pipeline import PROJECT_ROOT

TABLE = PROJECT_ROOT / "tests" / "data" / "yunxi-2023.csv"
PLAN_ID = "yunxi-2023"
PLAN_TITLE = "云溪市2023年《政府工作报告》重点工作"
PLAN_ARGS = ["--title", PLAN_TITLE, "--short-title", "云溪市2023年", "--issuer", "云溪市人民政府办公室",
             "--number", "云府办字〔2023〕5号", "--date", "2023-02-20",
             "--source-title", "云溪市人民政府办公室关于印发2023年市《政府工作报告》重点工作责任分工方案的通知"]

# The city's kinds of units: none of them is one of the 2021 plan's.
CITY_KINDS = {"municipal_department": "市直部门", "district_government": "县（区）政府",
              "development_zone": "开发区", "state_enterprise": "市属国有企业", "city_collective": "统称（市）"}


def city_kind(name: str) -> str:
    if name in ("各县（区）政府", "市直有关部门"):
        return "city_collective"
    if name.endswith("区政府"):
        return "district_government"
    if "高新区" in name:
        return "development_zone"
    if name.endswith("集团"):
        return "state_enterprise"
    return "municipal_department"


GOVERNMENT = "yunxi"


def run_import(content: Path, table: Path = TABLE, plan_id: str = PLAN_ID, government: str | None = None) -> tuple[int, str]:
    """`python build.py import`: its exit status and what it printed. Without `government`, the
    plan is the first government's."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = build.main(["import", str(table), "--plan", plan_id, "--content", str(content), *PLAN_ARGS,
                             *(["--government", government] if government else [])])
    return status, out.getvalue()


def review(content: Path, government: str = GOVERNMENT) -> None:
    """What the maintainer does with the registries the import made (docs/new-plan.md, 四): the
    city's own kinds of units, each unit's kind, the members of its collective, every entry
    marked reviewed; the site's title made general now that it holds two governments' plans."""
    folder = content / "governments" / government
    settings = yaml.safe_load((folder / "government.yaml").read_text(encoding="utf-8"))
    settings.update(short_name="云溪市", unit_kinds={**CITY_KINDS, "upper_unit": "上级单位"})
    units = yaml.safe_load((folder / "units.yaml").read_text(encoding="utf-8"))
    for unit in units:
        unit.pop("reviewed"), unit.pop("resembles", None)
        unit["kind"] = "upper_unit" if unit["name"] == "省交通厅" else city_kind(unit["name"])
    next(u for u in units if u["name"] == "各县（区）政府")["members"] = ["云溪区政府", "青湖区政府"]
    leaders = [{k: v for k, v in leader.items() if k not in ("reviewed", "resembles")}
               for leader in yaml.safe_load((folder / "leaders.yaml").read_text(encoding="utf-8"))]
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    site.update(plan_title=site["title"], plan_short_title="江西省2021年", title="政府工作报告重点工作落实情况")
    for path, data in ((folder / "government.yaml", settings), (folder / "units.yaml", units),
                       (folder / "leaders.yaml", leaders), (content / "site.yaml", site)):
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def beside_2021(root: Path) -> Path:
    """content/ with the city's plan imported as its own government's, and reviewed."""
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    status, report = run_import(content, government=GOVERNMENT)
    assert status == 0, report
    review(content)
    return content


def city_alone(root: Path) -> Path:
    """A content tree of the city alone: its plan moved to the top of content/, site.yaml in
    the city's words, the statuses (the supervision vocabulary) the only file shared."""
    content = root / "content"
    content.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "content" / "statuses.yaml", content / "statuses.yaml")
    (content / "leaders.yaml").write_text("[]\n", encoding="utf-8")
    (content / "units.yaml").write_text("[]\n", encoding="utf-8")
    (content / "site.yaml").write_text(yaml.safe_dump({"title": "云溪市重点工作落实情况"}, allow_unicode=True),
                                       encoding="utf-8")
    status, report = run_import(content)
    assert status == 0, report
    leaders = yaml.safe_load((content / "plans" / PLAN_ID / "registry-proposals.yaml").read_text(encoding="utf-8"))
    units = []
    for proposal in leaders["units"]:
        units.append({"name": proposal["name"], "slug": proposal["slug"] or f"unit-{len(units)}",
                      "kind": city_kind(proposal["name"])})
    next(u for u in units if u["name"] == "各县（区）政府")["members"] = ["云溪区政府", "青湖区政府"]
    plan = yaml.safe_load((content / "plans" / PLAN_ID / "plan.yaml").read_text(encoding="utf-8"))
    site = {"title": "云溪市重点工作落实情况", "short_title": "重点工作落实情况",
            "source_title": plan["source_title"], "source_number": plan["source_number"],
            "source_date": plan["source_date"], "plan_id": PLAN_ID, "plan_title": plan["title"],
            "issuer": plan["issuer"], "leader_label": plan["leader_label"],
            "unit_kinds": {**CITY_KINDS, "upper_unit": "上级单位"}}
    for unit in units:
        if unit["name"] == "省交通厅":
            unit["kind"] = "upper_unit"
    files = {"site": site, "units": units,
             "leaders": [{"name": p["name"], "slug": p["slug"]} for p in leaders["leaders"]]}
    for name, data in files.items():
        (content / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")
    plan_dir = content / "plans" / PLAN_ID
    shutil.move(plan_dir / "sections.yaml", content / "sections.yaml")
    shutil.move(plan_dir / "tasks", content / "tasks")
    shutil.rmtree(content / "plans")
    return content
