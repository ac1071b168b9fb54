"""A small valid content tree (one section, two tasks, a few units) that tests may bend out of
shape; the site and status registries are the real ones."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from catalogue.pipeline import PROJECT_ROOT

LEADERS = [{"name": "罗小云", "slug": "luo-xiaoyun"}, {"name": "殷美根", "slug": "yin-meigen"}]

UNITS = [
    {"name": "省科技厅", "slug": "science", "kind": "provincial_department", "aliases": ["省科学技术厅"]},
    {"name": "南昌市政府", "slug": "nanchang", "kind": "city_government"},
    {"name": "九江市政府", "slug": "jiujiang", "kind": "city_government"},
    {"name": "各设区市政府", "slug": "all-city-governments", "kind": "collective",
     "members": ["南昌市政府", "九江市政府"]},
]

SECTIONS = [{
    "number": 1, "title": "推动创新提速提效。", "declared_count": 2,
    "subsections": [{"number": 1, "title": "强化创新平台支撑。"}, {"number": 2, "title": "营造良好创新生态。"}],
}]

TASKS = {
    "1-01.yaml": {
        "id": "1-1", "section": 1, "subsection": 1, "number": 1,
        "text": "落实支持鄱阳湖国家自主创新示范区建设“10条”。",
        "leaders": ["罗小云"], "lead_units": ["省科技厅"], "responsible_units": ["各设区市政府"],
        "status": "no_information", "targets": [], "updates": [],
    },
    "1-02.yaml": {
        "id": "1-2", "section": 1, "subsection": 2, "number": 2,
        "text": "新增高新技术企业1500家。",
        "leaders": ["殷美根", "罗小云"], "lead_units": ["省科学技术厅"], "responsible_units": ["南昌市政府"],
        "status": "on_track",
        "deadline": {"date": dt.date(2021, 12, 31), "source": {
            "title": "省科技厅2021年工作要点", "date": dt.date(2021, 3, 1), "kind": "lead_unit_submission"}},
        "targets": [{"label": "新增高新技术企业", "target": 1500, "unit": "家", "comparator": "at_least",
                     "actual": 800, "actual_date": dt.date(2021, 6, 30)}],
        "updates": [{"date": dt.date(2021, 7, 10), "status": "on_track", "note": "上半年新增高新技术企业800家。"}],
    },
}


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def content_tree(content: Path, registries: dict[str, str], tasks: dict[str, str]) -> Path:
    """A content folder with the real site and status registries, the given registries
    (name → YAML text) and task files (file name → YAML text)."""
    (content / "tasks").mkdir(parents=True)
    for name in ("site", "statuses"):
        shutil.copy(PROJECT_ROOT / "content" / f"{name}.yaml", content / f"{name}.yaml")
    for name, text in registries.items():
        (content / f"{name}.yaml").write_text(text, encoding="utf-8")
    for name, text in tasks.items():
        (content / "tasks" / name).write_text(text, encoding="utf-8")
    return content


def write_tiny_content(root: Path) -> Path:
    """Write the tree under root/content and return that folder."""
    return content_tree(root / "content",
                        {"leaders": dump(LEADERS), "units": dump(UNITS), "sections": dump(SECTIONS)},
                        {name: dump(task) for name, task in TASKS.items()})


def edit_task(content: Path, name: str, change) -> None:
    path = content / "tasks" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump(data), encoding="utf-8")


def write_yaml(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")


PLAN_SECTIONS = [{"number": 1, "title": "深化改革。", "declared_count": 1,
                  "subsections": [{"number": 1, "title": "优化营商环境。"}]}]


def plans_beside_tiny(tmp_path):
    """The tiny tree with an optional field set wherever the format allows one, and two further
    plans: one that sets every field of plan.yaml, one only the required ones."""
    content = write_tiny_content(tmp_path)
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    # An id that is not the year of the document, which is what the id would be without one.
    write_yaml(content / "site.yaml", {**site, "plan_id": "jx", "plan_title": "2021年重点工作分工"})
    write_yaml(content / "leaders.yaml", [
        {"name": "罗小云", "slug": "luo-xiaoyun", "post": "副省长",
         "posts": [{"post": "副省长", "from": dt.date(2021, 1, 1), "until": dt.date(2022, 12, 31)},
                   {"post": "常务副省长", "from": dt.date(2023, 1, 1)}]},
        {"name": "殷美根", "slug": "yin-meigen"}])
    write_yaml(content / "subjects.yaml", [{"slug": "innovation", "name": "科技创新", "synonyms": ["科创"]},
                                           {"slug": "enterprise", "name": "企业"}])
    edit_task(content, "1-01.yaml", lambda task: task.update(subjects=["innovation"]))
    edit_task(content, "1-02.yaml", lambda task: task.update(subjects=["enterprise", "innovation"], title="高新技术企业",
                                                         deadline_text="年底前"))
    write_yaml(content / "plans" / "bare" / "plan.yaml", {
        "title": "2023年分工方案", "source_title": "关于印发2023年分工方案的通知", "source_number": "赣府厅字〔2023〕1号",
        "source_date": dt.date(2023, 2, 1), "as_of": dt.date(2023, 2, 1)})
    write_yaml(content / "plans" / "full" / "plan.yaml", {
        "title": "2023年重点工作分工方案", "short_title": "2023年分工", "issuer": "江西省人民政府办公厅",
        "source_title": "关于印发2023年重点工作分工方案的通知", "source_number": "赣府厅字〔2023〕9号",
        "source_date": dt.date(2023, 2, 1), "as_of": dt.date(2023, 3, 1), "description": "2023年的分工。",
        "leader_label": "省政府领导", "deadline_note": "未规定完成时限。"})
    for plan in ("bare", "full"):
        write_yaml(content / "plans" / plan / "sections.yaml", PLAN_SECTIONS)
        write_yaml(content / "plans" / plan / "tasks" / "1-01.yaml", {
            "id": "1-1", "section": 1, "subsection": 1, "number": 1, "text": "持续优化营商环境。",
            "leaders": ["罗小云"], "lead_units": ["省科技厅"], "responsible_units": [], "status": "completed",
            "subjects": ["enterprise"], "continues": "jx/1-2", "targets": [],
            "updates": [{"date": dt.date(2023, 4, 2), "status": "completed", "note": "已完成。",
                         "source": {"title": "省科技厅报告", "date": dt.date(2023, 4, 2), "kind": "lead_unit_submission"}}]})
    return content



# content/source/: one correction of task 1-1's text (its outside source linked) and one doubt.
CORRECTIONS = [
    {"task": "1-1", "field": "text", "original": "鄱阳胡", "corrected": "鄱阳湖", "why": "扫描件误读。",
     "evidence": "outside_source", "evidence_url": "https://www.jiangxi.gov.cn/art/2021/2/10/a.html"},
    {"task": "1-2", "kind": "doubt", "field": "text", "passage": "高新技术", "why": "扫描件模糊。", "evidence": "inference"},
]


def add_source(content: Path, corrections: list | None = None) -> None:
    """content/source/ with the scan's text and corrections.yaml (CORRECTIONS unless given)."""
    write_yaml(content / "source" / "corrections.yaml", CORRECTIONS if corrections is None else corrections)
    (content / "source" / "document.txt").write_text("一、推动创新提速提效\n", encoding="utf-8")


def add_plan(content: Path, plan_id: str = "p2", continues: str | None = None) -> Path:
    """A further plan, content/plans/<plan_id>/, of one task (continuing `continues`, if given)."""
    plan = content / "plans" / plan_id
    write_yaml(plan / "plan.yaml", {"title": "2022年分工", "source_title": "关于印发2022年分工的通知",
                                    "source_number": "赣府厅字〔2022〕1号", "source_date": dt.date(2022, 2, 1),
                                    "as_of": dt.date(2022, 2, 1)})
    write_yaml(plan / "sections.yaml", PLAN_SECTIONS)
    task = {"id": "1-1", "section": 1, "subsection": 1, "number": 1, "text": "持续优化营商环境。",
            "leaders": ["罗小云"], "lead_units": ["省科技厅"], "responsible_units": [], "status": "no_information",
            "targets": [], "updates": []}
    if continues:
        task["continues"] = continues
    write_yaml(plan / "tasks" / "1-01.yaml", task)
    return plan
