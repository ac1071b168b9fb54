"""The corrections made to the scan and the readings left in doubt (content/source/corrections.yaml),
attached to the tasks they concern, and the unchanged source text the site publishes beside them.

The importer applied every correction when it wrote the task files; here each one is found again
in the published text, so a page can mark the passage and show the scan's characters. A
correction whose passage the task no longer holds stops the build: the page would hide it.
"""
from __future__ import annotations

from .cleaning import clean_text
from .errors import ContentError, ContentErrors
from .load import CORRECTIONS_FILE, Content, Document
from .model import Catalogue, Correction, Task

SOURCE_PATH = "source/document.txt"  # where the site publishes the scan text, unchanged


def read_corrections(document: Document | None) -> list[Correction]:
    """Every entry of corrections.yaml, validated, in file order; [] without the file."""
    entries = document.data if document is not None and document.data else []
    return [
        Correction(
            task_id=item["task"], field=item["field"],
            passage=item["passage"] if item.get("kind") == "doubt" else clean_text(item["corrected"]),
            original="" if item.get("kind") == "doubt" else item["original"],
            why=item["why"], evidence=item["evidence"],
            evidence_url=item.get("evidence_url") or "", is_doubt=item.get("kind") == "doubt",
            number=index,
        )
        for index, item in enumerate(entries, start=1)
    ]


def field_text(task: Task, field: str) -> str:
    if field == "text":
        return task.text
    return "、".join(unit.name for unit in getattr(task, field))


def attach_corrections(catalogue: Catalogue, content: Content) -> list[Correction]:
    """Give each task its corrections and doubts, and the catalogue the scan's text; return the
    corrections, in file order. Raise ContentErrors, naming each entry's line, for an entry
    whose task does not hold its passage (the page would hide the correction)."""
    document = content.corrections
    corrections = read_corrections(document)
    # corrections.yaml corrects the scan of the first plan, the one at the top of content/.
    tasks = {task.id: task for task in catalogue.tasks if task.plan is None or task.plan.first} if corrections else {}
    errors = []
    for index, correction in enumerate(corrections):
        task = tasks.get(correction.task_id)
        if task is None or correction.passage not in field_text(task, correction.field):
            errors.append(ContentError(
                document.file, document.line(index), f"[{index + 1}]",
                f"第 {correction.number} 条指任务 {correction.task_id} 的 {correction.field} 中有“{correction.passage}”，"
                "但该任务没有这段文字。",
                f"entry {correction.number} expects “{correction.passage}” in {correction.field} of task "
                f"{correction.task_id}, which does not hold it.",
                "改正该条，或运行 tools/import_seed.py。", "fix the entry, or run tools/import_seed.py"))
            continue
        task.corrections.append(correction)
    if errors:
        raise ContentErrors(errors)
    catalogue.corrections = corrections
    catalogue.source_text = content.source_text
    return corrections


def source_text_outputs(catalogue: Catalogue) -> dict[str, bytes]:
    """The scan text, byte for byte, so a reader can compare any task with it."""
    return {SOURCE_PATH: catalogue.source_text} if catalogue.source_text is not None else {}
