"""Change a few values of a YAML file written by people, and nothing else of it.

ruamel.yaml's round trip keeps comments, key order, quoting and layout; still, every edit here
is checked before it is kept: the file must come back byte for byte from a round trip without
the edit, the edited text must parse (with the build's own loader) to exactly the data the edit
meant, and every line of the old text that the edit removed or rewrote must lie within a value
the edit was allowed to change. A file that fails any of these is left as it is, and named.
"""
from __future__ import annotations

import copy
import difflib
import io
from dataclasses import dataclass
from typing import Callable

from .load import Document, HostileYaml, Key, parse_yaml
from .model import plain_number


class Unkeepable(Exception):
    """The edit cannot be made without changing more of the file than it should."""


@dataclass(frozen=True)
class Make:
    """Builds the new values of an edit, as ruamel's round-trip types or as plain Python, so
    one edit function serves the file and the data it is checked against."""

    round_trip: bool

    def mapping(self, items: dict) -> dict:
        if not self.round_trip:
            return {key: self.plain(value) for key, value in items.items()}
        from ruamel.yaml.comments import CommentedMap

        return CommentedMap((key, self.mapping(value) if isinstance(value, dict) else
                             self.names(value) if isinstance(value, list) else self.text(value))
                            for key, value in items.items())

    @staticmethod
    def names(items: list):
        """A list of names on one line, [a, b], as the files write leaders and units."""
        from ruamel.yaml.comments import CommentedSeq

        seq = CommentedSeq(items)
        seq.fa.set_flow_style()
        return seq

    def text(self, value):
        """A text of several lines as a block (note: |), as editors write it."""
        if self.round_trip and isinstance(value, str) and "\n" in value:
            from ruamel.yaml.scalarstring import LiteralScalarString

            return LiteralScalarString(value if value.endswith("\n") else value + "\n")
        return value

    def plain(self, value):
        if isinstance(value, dict):
            return self.mapping(value)
        if isinstance(value, str) and "\n" in value and not value.endswith("\n"):
            return value + "\n"
        return value

    def items(self, value):
        """The list to add items to: the file's own ([] included: ruamel writes the items it
        gets one per line), or a new one where the file has none (`updates:` left empty)."""
        if value is not None:
            return value
        if self.round_trip:
            from ruamel.yaml.comments import CommentedSeq

            return CommentedSeq()
        return []


# How the files indent a list: task files nest theirs under a key, indented ("  - date:");
# registries are lists at the top, not indented ("- name:"). ruamel takes one setting per dump:
# the one under which the file comes back unchanged is the file's.
TASK_STYLE = (2, 4, 2)      # mapping, sequence, offset
REGISTRY_STYLE = (2, 2, 0)
# How a file writes nothing: `actual: null`, as the importers do, or `updates:` left empty. ruamel
# writes every null one way; a file that mixes both cannot be kept byte for byte.
NULLS = ("null", "")


def _round_trip(style: tuple[int, int, int] = TASK_STYLE, null: str = "null"):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line
    mapping, sequence, offset = style
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    yaml.representer.add_representer(
        type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", null))
    # One date written in two places (an update's and its source's) is written twice: the
    # build refuses YAML anchors and aliases.
    yaml.representer.ignore_aliases = lambda data: True
    # A new figure as the document writes it: 0.00001, never 1e-05, which the build's YAML 1.1
    # reader would take for text. (The file's own floats keep their own spelling.)
    yaml.representer.add_representer(
        float, lambda representer, value: representer.represent_scalar("tag:yaml.org,2002:float", plain_number(value)))
    return yaml


def yaml_error() -> type:
    import yaml

    return yaml.YAMLError


def _dump(yaml, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def edit_text(text: str, file: str, edit: Callable[[object, Make], None], editable: list[Key]) -> str:
    """The text with `edit` applied to its data, checked as the module says; Unkeepable when it
    cannot be kept to the values at `editable` (key paths; new keys and items may be added)."""
    for style, null in ((style, null) for style in (TASK_STYLE, REGISTRY_STYLE) for null in NULLS):
        yaml = _round_trip(style, null)
        try:
            data = yaml.load(text)
        except Exception as error:  # the build's loader has read this file; ruamel should too
            raise Unkeepable(f"{file}: ruamel.yaml cannot read it ({type(error).__name__})") from None
        if _dump(yaml, data) == text:
            break
    else:
        raise Unkeepable(f"{file}: a round trip would rewrite parts of it")
    try:
        before = parse_yaml(text, file)
    except HostileYaml as error:
        raise Unkeepable(f"{file}: {error.en}") from None
    expected = copy.deepcopy(before.data)
    edit(expected, Make(round_trip=False))
    edit(data, Make(round_trip=True))
    new_text = _dump(yaml, data)
    try:
        after = parse_yaml(new_text, file).data
    except (HostileYaml, ValueError, yaml_error()) as error:
        raise Unkeepable(f"{file}: the edited file would not read back ({type(error).__name__})") from None
    if after != expected:
        raise Unkeepable(f"{file}: the edited file would not read back as intended")
    allowed = _lines_of(before, editable, text.count("\n") + 1)
    old_lines, new_lines = text.splitlines(keepends=True), new_text.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, start, end, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete") and not all(line + 1 in allowed for line in range(start, end)):
            raise Unkeepable(f"{file}: the edit would change line {start + 1}, outside the values it sets")
    return new_text


def _lines_of(document: Document, keys: list[Key], last_line: int) -> set[int]:
    """The lines (1-based) the values at `keys` take: from a key's line to the line before the
    next value that is not inside it."""
    starts = sorted((line, key) for key, line in document.lines.items())
    lines: set[int] = set()
    for key in keys:
        if key not in document.lines:
            continue
        first = document.lines[key]
        following = [line for line, other in starts
                     if line > first and other[:len(key)] != key]
        lines.update(range(first, (following[0] if following else last_line + 1)))
    return lines


def new_text(header: str, items: list[dict]) -> str:
    """A new file: the header's comment lines, then a list of mappings as editors write it."""
    make = Make(round_trip=True)
    return header + _dump(_round_trip(REGISTRY_STYLE), [make.mapping(item) for item in items])
