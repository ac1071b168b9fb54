"""The pages' wording that is built from the catalogue (titles, descriptions, introductions, crumbs,
notes), read from templates/strings.yaml: the sentences live beside the templates that hold the
rest of the pages' wording, not in the code that fills in their values."""
from __future__ import annotations

from pathlib import Path

from .errors import ContentError, ContentErrors
from .load import Document, read_document
from .reader import MAX_REGISTRY_BYTES

STRINGS_FILE = "strings.yaml"


class Strings:
    """say("unit.intro", name=…, count=…, counts=…): an entry of strings.yaml, its {names} filled in."""

    def __init__(self, entries: dict[str, str]):
        self.entries = entries

    @classmethod
    def read(cls, templates: Path) -> Strings:
        """templates/strings.yaml through the one reader; ContentErrors naming the line of what is wrong."""
        document = read_document(Path(templates) / STRINGS_FILE, Path(templates), MAX_REGISTRY_BYTES)
        if isinstance(document, ContentError):
            raise ContentErrors([document])
        entries: dict[str, str] = {}
        _flatten(document, document.data, (), entries)
        return cls(entries)

    def __call__(self, key: str, **values) -> str:
        return self.entries[key].format(**values)

    def join(self, parts, separator: str = "list") -> str:
        """Parts joined as the wording joins them: 、 between names (list), ， between clauses, ； between items."""
        return self.entries[separator].join(parts)

    def according_to(self, source) -> str:
        """据新闻报道, 据省发展改革委报送: what a status line says its evidence is; only a lead
        unit's own submission is 报送."""
        if source.is_submission and source.publisher:
            return self("source.submitted_by", publisher=source.publisher)
        if source.kind_label:
            return self("source.according_to", kind=source.kind_label)
        return self("source.web_page") if source.url else ""

    def heading(self, task) -> str:
        """任务 6-7 · 坚决遏制耕地“非农化”: the h1, <title>, og:title and feed entries."""
        return self("task.heading", label=task.label, title=task.title)

    def evidence(self, kinds: list[str]) -> str:
        """Where the site's progress information comes from, naming only the kinds of source it
        cites: the footer may not speak of submissions the site has never received."""
        return self("evidence.cited", kinds=self.join(kinds)) if kinds else self("evidence.none")


def _flatten(document: Document, value, key: tuple, entries: dict[str, str]) -> None:
    if isinstance(value, dict):
        for name, inner in value.items():
            _flatten(document, inner, key + (name,), entries)
    elif isinstance(value, str) and key:
        entries[".".join(map(str, key))] = value
    else:
        raise ContentErrors([ContentError(document.file, document.line(*key), ".".join(map(str, key)),
                                          "应为一段文字，或以名称分组的文字。",
                                          "expected a string, or strings grouped under names.")])
