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
        "status": "not_reported", "targets": [], "updates": [],
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
