#!/usr/bin/env python3
"""Grow a content tree of N tasks from the real 166, to measure how the catalogue scales.

    .venv/bin/python benchmarks/synth.py --tasks 10000 --out benchmarks/out/content-10000

The first 166 tasks are content/ as it is. Each further 166 are the same plan as another
province would write it (after the thirty others, Jiangxi and the rest again, a year later),
in a folder of its own under plans/, as further plans are: the province's name and abbreviation, its own cities, lake and leaders, its own units (the
same units again in a later year), other numbers, some extra project names, and progress
updates for about half of the tasks. So the vocabulary grows with the size, as it would with
real plans, and every page kind, the history and the feed have something to show.

The folder is a git repository with two commits (the import, then a round of status
changes), so the history code runs as it does on the real repository. The same arguments
always give the same files and the same commits.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
REGISTRIES = ("site", "sections", "leaders", "units", "statuses", "subjects")

# (name, abbreviation, the plan folder's name); Jiangxi first, as the real content is its plan.
PROVINCES = [
    ("江西", "赣", "jiangxi"), ("湖南", "湘", "hunan"), ("湖北", "鄂", "hubei"), ("安徽", "皖", "anhui"),
    ("浙江", "浙", "zhejiang"), ("福建", "闽", "fujian"), ("广东", "粤", "guangdong"), ("广西", "桂", "guangxi"),
    ("贵州", "黔", "guizhou"), ("云南", "滇", "yunnan"), ("四川", "川", "sichuan"), ("陕西", "陕", "shaanxi"),
    ("山西", "晋", "shanxi"), ("河南", "豫", "henan"), ("河北", "冀", "hebei"), ("山东", "鲁", "shandong"),
    ("江苏", "苏", "jiangsu"), ("辽宁", "辽", "liaoning"), ("吉林", "吉", "jilin"), ("黑龙江", "黑", "heilongjiang"),
    ("甘肃", "甘", "gansu"), ("青海", "青", "qinghai"), ("海南", "琼", "hainan"), ("内蒙古", "蒙", "neimenggu"),
    ("宁夏", "宁", "ningxia"), ("新疆", "新", "xinjiang"), ("西藏", "藏", "xizang"), ("重庆", "渝", "chongqing"),
    ("天津", "津", "tianjin"), ("上海", "沪", "shanghai"), ("北京", "京", "beijing"),
]
JIANGXI_CITIES = ["南昌", "九江", "景德镇", "萍乡", "新余", "鹰潭", "赣州", "吉安", "宜春", "抚州", "上饶"]
PLACE_CHARS = ("安宁平阳江山泉源城州德兴华昌丰庆远清溪峰林河湖岭桥川田水云龙凤新乐宝金石玉"
               "长永嘉福康临沙白东南西北和顺通明光")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志文斌辉鹏宇浩凯晨林红玉兰海峰波宏亮云飞春梅雪松"
PROJECTS = ["智慧物流园", "新材料产业基地", "数字经济产业园", "现代农业示范区", "生态旅游度假区", "职业教育城",
            "医疗健康城", "综合保税区", "新能源汽车产业园", "电子信息产业集群", "航空产业园", "大数据中心",
            "高铁新城", "滨江公园", "文化创意街区", "冷链物流中心", "水利枢纽工程", "乡村振兴示范带",
            "森林康养基地", "半导体照明产业园", "锂电新能源基地", "陶瓷文化产业园", "中医药产业园",
            "光伏发电项目", "城市更新片区", "人工智能创新中心", "5G应用示范区", "R&D公共服务平台"]
STATUS_STEPS = [["on_track"], ["on_track", "completed"], ["not_started", "on_track"], ["lagging"],
                ["on_track", "lagging"], ["ongoing"], ["lagging", "on_track", "completed"]]
NOTES = ["{unit}报送：已制定实施方案，{city}等地按节点推进。",
         "{unit}报送：完成年度目标的{n}%。",
         "{unit}报送：受资金和用地因素影响，进度慢于计划，正在协调解决。",
         "{unit}报送：已通过验收，{city}项目投入使用。"]


def load_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def dump_yaml(data) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000)


def place_name(rng: random.Random, taken: set[str], length: int = 2) -> str:
    while True:
        name = "".join(rng.choice(PLACE_CHARS) for _ in range(length))
        if name not in taken:
            taken.add(name)
            return name


class Plan:
    """One province in one year: how its names and numbers differ from Jiangxi's 2021 plan."""

    def __init__(self, copy: int, places: dict[int, list[str]]):
        self.copy = copy
        self.province, self.abbreviation, folder = PROVINCES[copy % len(PROVINCES)]
        # Years cycle through 2021-2025: validation refuses a date after the day of the build.
        self.year = 2021 + (copy // len(PROVINCES)) % 5
        # The folder under content/plans/; past 2025 the provinces' plans start again, as a
        # second round of plans for the same years.
        round_number = copy // (len(PROVINCES) * 5)
        self.id = f"{folder}-{self.year}" + (f"-{round_number + 1}" if round_number else "")
        self.rng = random.Random(copy)
        # A province keeps its cities and lake from year to year; its leaders change.
        province = copy % len(PROVINCES)
        if province not in places:
            province_rng = random.Random(f"province-{province}")
            taken = set(JIANGXI_CITIES) | {"鄱阳"} | {n for known in places.values() for n in known}
            places[province] = ((JIANGXI_CITIES + ["鄱阳"]) if province == 0
                                else [place_name(province_rng, taken) for _ in range(len(JIANGXI_CITIES) + 1)])
        *cities, lake = places[province]
        self.cities = cities
        self.replacements = {"鄱阳": lake, "江西": self.province, "赣": self.abbreviation,
                             **dict(zip(JIANGXI_CITIES, cities))}
        self.pattern = re.compile("|".join(sorted(map(re.escape, self.replacements), key=len, reverse=True)))

    def places(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.replacements[m.group(0)], text) if self.copy else text

    def numbers(self, text: str) -> str:
        if not self.copy:
            return text

        def vary(match: re.Match) -> str:
            value = match.group(0)
            if re.fullmatch(r"20[12]\d", value):
                return str(int(value) + self.year - 2021)
            if "." in value:
                return f"{float(value) * self.rng.uniform(0.6, 1.6):.1f}"
            return str(max(1, round(int(value) * self.rng.uniform(0.6, 1.6))))
        return re.sub(r"\d+(?:\.\d+)?", vary, text)

    def unit_name(self, name: str) -> str:
        """The province's unit for one of Jiangxi's: 省科技厅 → 湖南省科技厅, 南昌海关 → 安平海关."""
        if self.copy % len(PROVINCES) == 0:
            return name
        changed = self.places(name)
        return changed if changed != name else self.province + name


def grow_units(plans: list[Plan], records: list[dict]) -> list[dict]:
    units: list[dict] = []
    for plan in plans:
        if plan.copy >= len(PROVINCES):
            continue  # the same province's units, already listed
        suffix = f"-{plan.copy}" if plan.copy else ""
        for record in records:
            grown = {"name": plan.unit_name(record["name"]), "slug": record["slug"] + suffix,
                     "kind": record["kind"]}
            if record.get("aliases"):
                grown["aliases"] = [plan.unit_name(alias) for alias in record["aliases"]]
            if record.get("short_names"):
                grown["short_names"] = [plan.unit_name(short) for short in record["short_names"]]
            if record.get("members"):
                grown["members"] = [plan.unit_name(member) for member in record["members"]]
            units.append(grown)
    return units


def grow_leaders(plan: Plan, records: list[dict], taken: set[str]) -> tuple[list[dict], dict[str, str]]:
    if not plan.copy:
        return records, {r["name"]: r["name"] for r in records}
    leaders, renamed = [], {}
    for index, record in enumerate(records):
        while True:
            name = plan.rng.choice(SURNAMES) + "".join(plan.rng.choice(GIVEN) for _ in range(plan.rng.randint(1, 2)))
            if name not in taken:
                break
        taken.add(name)
        renamed[record["name"]] = name
        leaders.append({"name": name, "slug": f"leader-{plan.copy}-{index + 1}"})
    return leaders, renamed


def later(value, years: int):
    """`value` with every date in it `years` later (29 February becomes the 28th)."""
    if isinstance(value, dt.date):
        try:
            return value.replace(year=value.year + years)
        except ValueError:
            return value.replace(year=value.year + years, day=28)
    if isinstance(value, dict):
        return {key: later(item, years) for key, item in value.items()}
    if isinstance(value, list):
        return [later(item, years) for item in value]
    return value


def grow_task(plan: Plan, task: dict, renamed: dict[str, str]) -> dict:
    if not plan.copy:
        return task
    rng = plan.rng
    # The real task's deadline, reported figures and updates, as dated in the plan's own year.
    task = later(task, plan.year - 2021)
    text = plan.numbers(plan.places(task["text"]))
    if rng.random() < 0.35:
        text += f"重点推进{rng.choice(plan.cities)}{rng.choice(PROJECTS)}建设。"
    grown = dict(task, text=text,
                 leaders=[renamed[name] for name in task["leaders"]],
                 lead_units=[plan.unit_name(u) for u in task["lead_units"]],
                 responsible_units=[plan.unit_name(u) for u in task["responsible_units"] or []])
    grown["targets"] = [dict(t, label=plan.places(t["label"]),
                             **({} if t.get("kind") == "milestone" else
                                {"target": round(t["target"] * rng.uniform(0.6, 1.6), 1)}))
                        for t in task["targets"] or []]
    # Outcomes read years later (a 2025 bulletin, the day a page was read) would fall after the
    # day of the build once moved into a later plan's year, or date a plan's statuses to today:
    # a copy keeps only what falls within its plan's year and the next.
    if _latest_date(task) > dt.date(plan.year + 1, 12, 31):
        grown["targets"] = [_without_outcome(t) for t in grown["targets"]]
        grown["updates"] = updates(plan, grown, rng.choice(STATUS_STEPS))
        grown["status"] = grown["updates"][-1]["status"]
    elif rng.random() < 0.5:
        grown["updates"] = updates(plan, grown, rng.choice(STATUS_STEPS))
        grown["status"] = grown["updates"][-1]["status"]
    return grown


def _latest_date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return max((_latest_date(item) for item in items), default=dt.date.min)


def _without_outcome(target: dict) -> dict:
    kept = {key: value for key, value in target.items() if key not in ("source", "searched")}
    if target.get("kind") == "milestone":
        return dict(kept, achieved=None, achieved_date=None)
    kept.pop("achieved", None)
    return dict(kept, actual=None, actual_date=None)


def updates(plan: Plan, task: dict, steps: list[str], start_month: int = 3) -> list[dict]:
    entries = []
    for step, status in enumerate(steps):
        note = plan.rng.choice(NOTES).format(unit=task["lead_units"][0], city=plan.rng.choice(plan.cities),
                                             n=plan.rng.randint(20, 95))
        entries.append({"date": dt.date(plan.year, start_month + 3 * step, plan.rng.randint(1, 28)),
                        "status": status, "note": note,
                        "source": {"title": f"{task['lead_units'][0]}第{step + 1}次报送（合成）",
                                   "date": dt.date(plan.year, start_month + 3 * step, 28),
                                   "kind": "lead_unit_submission"}})
    return entries


TASK_HEADER = "# 合成的测试数据（benchmarks/synth.py），不是真实的工作任务。\n"


def plan_record(plan: Plan, site: dict) -> dict:
    """plan.yaml of a further plan: the document as that province would have issued it."""
    def own(text: str) -> str:
        return plan.places(text).replace("2021", str(plan.year))
    return {"title": "（合成）" + own(site["title"]),
            "short_title": f"{plan.province}{plan.year}年（合成）",
            "issuer": own(site["issuer"]),
            "source_title": own(site["source_title"]),
            "source_number": f"{plan.abbreviation}府厅字〔{plan.year}〕{plan.rng.randint(1, 60)}号",
            # Two date objects: one would be written as a YAML anchor and its alias.
            "source_date": dt.date(plan.year, 2, 10), "as_of": dt.date(plan.year, 2, 10),
            "leader_label": site["leader_label"]}


def plan_sections(plan: Plan, records: list[dict], chosen: list[dict]) -> list[dict]:
    """The plan's sections.yaml: the sections it has tasks in, with their counts."""
    sections = []
    for record in records:
        count = sum(1 for task in chosen if task["section"] == record["number"])
        if count:
            sections.append(dict(record, title=plan.places(record["title"]), declared_count=count,
                                 subsections=[dict(s, title=plan.places(s["title"])) for s in record["subsections"]]))
    return sections


def synthesize(count: int, out: Path) -> list[Path]:
    """Write the registries and `count` task files into `out`; return the task files.

    The first 166 tasks are the plan at the top of `out`, as in content/; each further 166 are
    a plan of their own in `out`/plans/<province>-<year>/, with its own sections and task ids
    (so a plan never grows past the limits one plan's files have)."""
    registries = {name: load_yaml(CONTENT / f"{name}.yaml") for name in REGISTRIES}
    real_tasks = [load_yaml(path) for path in sorted((CONTENT / "tasks").glob("*.yaml"))]
    real_tasks.sort(key=lambda t: (t["section"], t["number"]))
    copies = -(-count // len(real_tasks))
    places: dict[int, list[str]] = {}  # cities then lake, by province
    plans = [Plan(copy, places) for copy in range(copies)]

    leaders, files = [], {}  # files: path under `out` -> YAML data
    taken = {record["name"] for record in registries["leaders"]}  # never a real leader's name
    for plan in plans:
        chosen = real_tasks[: count - plan.copy * len(real_tasks)]
        plan_leaders, renamed = grow_leaders(plan, registries["leaders"], taken)
        leaders += plan_leaders
        folder = Path(f"plans/{plan.id}") if plan.copy else Path()
        if plan.copy:
            files[folder / "plan.yaml"] = plan_record(plan, registries["site"])
            files[folder / "sections.yaml"] = plan_sections(plan, registries["sections"], chosen)
        elif len(chosen) < len(real_tasks):
            registries["sections"] = plan_sections(plan, registries["sections"], chosen)
        for task in chosen:
            files[folder / "tasks" / f"{task['section']}-{task['number']:02d}.yaml"] = grow_task(plan, task, renamed)
    leader_names = {name for path, task in files.items() if path.parent.name == "tasks" for name in task["leaders"]}
    leaders = [l for l in leaders if l["name"] in leader_names]

    if out.exists():
        shutil.rmtree(out)
    registries.update(leaders=leaders, units=grow_units(plans, registries["units"]))
    for name, data in registries.items():
        files[Path(f"{name}.yaml")] = data
    paths = []
    for name, data in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        is_task = path.parent.name == "tasks"
        path.write_text((TASK_HEADER if is_task else "") + dump_yaml(data), encoding="utf-8")
        if is_task:
            paths.append(path)
    return paths


def git(out: Path, *args: str, date: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_AUTHOR_NAME="synth",
               GIT_COMMITTER_NAME="synth", GIT_AUTHOR_EMAIL="synth@example.org",
               GIT_COMMITTER_EMAIL="synth@example.org")
    subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                   cwd=out, env=env, check=True, stdout=subprocess.DEVNULL)


def commit_history(out: Path, task_files: list[Path]) -> None:
    """Two commits: the import, then a status change in every 50th task without updates (in
    June of its plan's year, committed after the last plan's)."""
    git(out, "init", "-q", date="2021-02-10T09:00:00+08:00")
    git(out, "add", "-A", date="2021-02-10T09:00:00+08:00")
    git(out, "commit", "-q", "-m", "导入合成任务", date="2021-02-10T09:00:00+08:00")
    for path in task_files[::50]:
        task = load_yaml(path)
        if task["updates"]:
            continue
        plan = Plan(0, {})
        if path.parent.parent.parent.name == "plans":  # plans/hunan-2023/tasks/…: reported in 2023
            plan.year = int(path.parent.parent.name.split("-")[1])
        task["updates"] = updates(plan, task, ["on_track"], start_month=6)
        task["status"] = "on_track"
        path.write_text(TASK_HEADER + dump_yaml(task), encoding="utf-8")
    git(out, "commit", "-q", "-a", "-m", "一批任务：状态改为序时推进", date="2025-07-01T18:00:00+08:00")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, required=True, help="how many tasks (166 gives content/ as it is)")
    parser.add_argument("--out", type=Path, required=True, help="content folder to create (replaced if present)")
    parser.add_argument("--no-git", action="store_true", help="write the files only, without commits")
    args = parser.parse_args(argv)
    if args.tasks < 1:
        parser.error("--tasks must be at least 1")
    files = synthesize(args.tasks, args.out)
    if not args.no_git:
        commit_history(args.out, files)
    print(f"{len(files)} tasks in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
