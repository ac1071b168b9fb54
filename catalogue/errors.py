"""Problems found in content, worded for the editors who must fix them.

Editors read Chinese: every message is given in Chinese with the English beside it, and names
the file, the line and the field, what was found and what is allowed.
"""
from __future__ import annotations

from dataclasses import dataclass


def field_label(key: tuple) -> str:
    """A path into a document as an editor reads it: targets[1].actual (items count from 1)."""
    label = ".".join(f"[{k + 1}]" if isinstance(k, int) and not isinstance(k, bool) else str(k) for k in key)
    return label.replace(".[", "[")


@dataclass(frozen=True)
class ContentError:
    file: str  # relative to the project, e.g. "content/tasks/1-05.yaml"
    line: int | None
    field: str
    zh: str
    en: str
    hint_zh: str = ""
    hint_en: str = ""

    def location(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}" if self.field else where

    def format(self) -> str:
        """Three or four lines: where, the Chinese message, the English, the fix."""
        lines = [self.location(), f"  {self.zh}", f"  {self.en}"]
        if self.hint_zh or self.hint_en:
            lines.append(f"  → {self.hint_zh}" + (f" ({self.hint_en})" if self.hint_en else ""))
        return "\n".join(lines)

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.field)


class ContentErrors(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(dict.fromkeys(errors), key=ContentError.sort_key)  # stable: same input, same report
        super().__init__(f"{len(self.errors)} content error(s)")

    def report(self) -> str:
        body = "\n\n".join(e.format() for e in self.errors)
        count = len(self.errors)
        return (
            f"{body}\n\n内容检查发现 {count} 个问题，网站未生成。"
            f"\n{count} problem(s) found in content; the site was not built."
        )


class BuildError(Exception):
    """A problem in the project itself (templates, output collisions), not in content."""
