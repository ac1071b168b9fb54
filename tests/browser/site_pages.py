"""One page of each kind of the built site, for the browser and accessibility tests."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from catalogue.pipeline import PROJECT_ROOT, Paths, build


def task_with(site: Path, content: Path, key: str) -> str:
    """The first task whose file has a non-empty `key` (targets or updates)."""
    for path in sorted((content / "tasks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get(key):
            return f"tasks/{data['id']}/index.html"
    raise LookupError(f"no task with {key} in {content}")


def city_and_department(content: Path) -> tuple[str, str]:
    units = yaml.safe_load((content / "units.yaml").read_text(encoding="utf-8"))
    city = next(u for u in units if u["kind"] == "city_government")
    department = next(u for u in units if u["kind"] == "provincial_department")
    return f"agencies/{city['slug']}/index.html", f"agencies/{department['slug']}/index.html"


def kinds_of_page(site: Path, content: Path = PROJECT_ROOT / "content") -> dict[str, str]:
    """Name of each kind of page -> its path in the site."""
    leaders = yaml.safe_load((content / "leaders.yaml").read_text(encoding="utf-8"))
    statuses = yaml.safe_load((content / "statuses.yaml").read_text(encoding="utf-8"))
    city, department = city_and_department(content)
    return {
        "home": "index.html",
        "sections": "sections/index.html",
        "section": "sections/1/index.html",
        "leaders": "leaders/index.html",
        "leader": f"leaders/{leaders[0]['slug']}/index.html",
        "units": "agencies/index.html",
        "unit-city": city,
        "unit-department": department,
        "statuses": "status/index.html",
        "status": f"status/{statuses[0]['code']}/index.html",
        "task-targets": task_with(site, content, "targets"),
        "search": "search/index.html",
        "data": "data/index.html",
        "404": "404.html",
    }


def add_updates(content: Path) -> str:
    """Give one task with targets dated updates in markdown and an actual value; return its path."""
    path = next(p for p in sorted((content / "tasks").glob("*.yaml"))
                if yaml.safe_load(p.read_text(encoding="utf-8")).get("targets"))
    task = yaml.safe_load(path.read_text(encoding="utf-8"))
    statuses = [s["code"] for s in yaml.safe_load((content / "statuses.yaml").read_text(encoding="utf-8"))]
    on_track = "on_track" if "on_track" in statuses else statuses[-1]
    deadline = dt.date(2021, 12, 31)  # only to date the sample updates within the year
    task["updates"] = [
        {"date": deadline.replace(month=3, day=31), "status": on_track,
         "note": "一季度**按计划推进**，已完成：\n\n- 制定工作方案\n- 召开调度会\n\n详见[通报](https://example.org/news/1)。"},
        {"date": deadline.replace(month=6, day=30), "status": on_track,
         "note": "上半年完成年度目标的一半。", "source": "https://example.org/news/2"},
    ]
    task["status"] = on_track
    task["targets"][0].pop("searched", None)  # a value found: no longer searched for in vain
    task["targets"][0]["actual"] = task["targets"][0]["target"] / 2
    task["targets"][0]["actual_date"] = deadline.replace(month=6, day=30)
    path.write_text(yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f"tasks/{task['id']}/index.html"


def build_with_updates(folder: Path) -> tuple[Path, str]:
    """A copy of content/ with a task that has updates, built; (site, that task's path)."""
    content = folder / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    task_path = add_updates(content)
    site = folder / "site"
    build(Paths(content=content, out=site))
    return site, task_path


def build_with_a_round(folder: Path) -> tuple[Path, dict[str, str]]:
    """A copy of content/ with a closed reporting round that asked two units, one of which
    reported one task (as `report import` writes it), built; (site, the pages it adds to)."""
    content = folder / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    (content / "rounds.yaml").write_text(
        "- as_of: 2021-12-31\n  sent: 2022-01-04\n  due: 2022-01-15\n  closed: 2022-01-20\n"
        "  units: [省国资委, 省教育厅]\n", encoding="utf-8")
    path = content / "tasks" / "8-16.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: no_information\n", "status: on_track\n").replace(
        "updates: []\n",
        "updates:\n  - date: 2021-12-31\n    status: on_track\n    note: 10所学校建设任务全部启动。\n    source:\n"
        "      title: 截至2021年12月31日的进展报送\n      date: 2021-12-31\n      kind: lead_unit_submission\n"
        "      publisher: 省教育厅\n      round: 2021-12-31\n"
        "      cites: {title: 全省职业教育工作会议, url: 'https://jyt.jiangxi.gov.cn/'}\n"), encoding="utf-8")
    site = folder / "site"
    build(Paths(content=content, out=site))
    return site, {"round": "rounds/2021-12-31/index.html", "task-submitted": "tasks/8-16/index.html",
                  "task-asked": "tasks/4-14/index.html", "status-counted": "status/on_track/index.html",
                  "statuses-with-rounds": "status/index.html"}
