"""The corrections made to the scan and the readings left in doubt (content/source/corrections.yaml),
attached to the tasks they concern, and the unchanged source text the site publishes beside them.

The importer applied every correction when it wrote the task files; here each one is found again
in the published text, so a page can mark the passage and show the scan's characters. A
correction whose passage the task no longer holds stops the build: the page would hide it.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .cleaning import clean_text
from .errors import BuildError
from .model import Catalogue, Correction, Task

CORRECTIONS_FILE = "source/corrections.yaml"
SOURCE_PATH = "source/document.txt"  # where the site publishes the scan text, unchanged


def read_corrections(content_dir: Path) -> list[Correction]:
    """Every entry of corrections.yaml, in file order; [] when the file is absent."""
    path = Path(content_dir) / CORRECTIONS_FILE
    if not path.exists():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        Correction(
            task_id=item["task"], field=item["field"],
            passage=item["passage"] if item.get("kind") == "doubt" else clean_text(item["corrected"]),
            original="" if item.get("kind") == "doubt" else item["original"],
            why=item["why"], evidence=item.get("evidence", "inference"),
            evidence_url=item.get("evidence_url") or "", is_doubt=item.get("kind") == "doubt",
            number=index,
        )
        for index, item in enumerate(entries, start=1)
    ]


def field_text(task: Task, field: str) -> str:
    if field == "text":
        return task.text
    return "、".join(unit.name for unit in getattr(task, field))


def attach_corrections(catalogue: Catalogue, content_dir: Path) -> list[Correction]:
    """Give each task its corrections and doubts; return them all, in file order."""
    corrections = read_corrections(content_dir)
    # corrections.yaml corrects the scan of the first plan, the one at the top of content/.
    tasks = {task.id: task for task in catalogue.tasks if task.plan is None or task.plan.first}
    for correction in corrections:
        task = tasks.get(correction.task_id)
        if task is None or correction.passage not in field_text(task, correction.field):
            raise BuildError(f"{CORRECTIONS_FILE}: entry {correction.number} expects “{correction.passage}” "
                             f"in {correction.field} of task {correction.task_id}, which does not hold it; "
                             "run tools/import_seed.py or fix the entry")
        task.corrections.append(correction)
    catalogue.corrections = corrections
    return corrections


def source_text_outputs(content_dir: Path) -> dict[str, bytes]:
    """The scan text, byte for byte, so a reader can compare any task with it."""
    texts = sorted((Path(content_dir) / "source").glob("*.txt"))
    return {SOURCE_PATH: texts[0].read_bytes()} if texts else {}
