"""Problems found in content, worded for the editors who must fix them.

Editors read Chinese: every message is given in Chinese with the English beside it, and names
the file, the line and the field, what was found and what is allowed.
"""
from __future__ import annotations

import re
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# What a message may not carry to a terminal, a CI log or the preview page: control characters
# (a terminal obeys escape sequences), lone surrogates (printing them raises), and the bidi and
# zero-width characters that reorder or hide part of a line (shown by their code instead, so
# that a message can tell two names apart that look the same).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
MAX_MESSAGE = 600  # a message quoting a huge value is cut, so one bad paste cannot flood a log


def printable(text: str) -> str:
    """The text with every unprintable character shown as its code, cut to MAX_MESSAGE."""
    text = _UNPRINTABLE.sub(lambda found: {"\n": "\\n", "\t": "\\t"}.get(found.group(), f"\\u{ord(found.group()):04x}"), text)
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + "…"


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

    def __post_init__(self) -> None:
        for name in ("file", "field", "zh", "en", "hint_zh", "hint_en"):
            object.__setattr__(self, name, printable(str(getattr(self, name))))

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


# A broken registry can make every task file wrong: 158,000 errors at 100,000 tasks. A report
# spells out this many and counts the rest by file, so that an editor sees the cause first.
LISTED_ERRORS = 200
UNLISTED_FILES_NAMED = 10


class ContentErrors(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(dict.fromkeys(errors), key=ContentError.sort_key)  # stable: same input, same report
        super().__init__(f"{len(self.errors)} content error(s)")

    def listed(self, limit: int = LISTED_ERRORS) -> list[ContentError]:
        """The errors a report spells out: the first `limit`, in file and line order."""
        return self.errors[:limit]

    def unlisted(self, limit: int = LISTED_ERRORS) -> tuple[str, str] | None:
        """What a report says of the errors past the first `limit` (Chinese, English): how
        many, and in which files; None when every error is listed."""
        rest = self.errors[limit:]
        if not rest:
            return None
        files = Counter(error.file for error in rest)
        most = files.most_common(UNLISTED_FILES_NAMED)
        named = "、".join(f"{file}（{count}）" for file, count in most)
        named_en = ", ".join(f"{file} ({count})" for file, count in most)
        more = len(files) - UNLISTED_FILES_NAMED
        if more > 0:
            named += f" 等 {len(files)} 个文件"
            named_en += f" and {more} more file(s)"
        return (f"另有 {len(rest)} 个问题未列出，在 {named}。许多问题往往同出一因：先改正上面列出的，再检查一次。",
                f"{len(rest)} more problem(s) not listed, in {named_en}. Many often share one cause: "
                "fix the ones above, then check again.")

    def report(self, where: tuple[str, str] = ("内容检查", "in content"),
               outcome: tuple[str, str] = ("网站未生成", "the site was not built")) -> str:
        """Every listed error, then how many were found `where` and the `outcome` (Chinese, English)."""
        body = "\n\n".join(e.format() for e in self.listed())
        unlisted = self.unlisted()
        if unlisted:
            body += "\n\n" + "\n".join(unlisted)
        count = len(self.errors)
        return (
            f"{body}\n\n{where[0]}发现 {count} 个问题，{outcome[0]}。"
            f"\n{count} problem(s) found {where[1]}; {outcome[1]}."
        )


class BuildError(Exception):
    """A problem in the project itself (templates, output collisions), not in content."""


class UsageError(Exception):
    """The command was asked for something it must not do (such as writing over a folder it did
    not make); nothing was touched. Carries the English and the Chinese message."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh

    def __str__(self) -> str:
        return f"{self.en}\n{self.zh}"


class MachineError(Exception):
    """The machine refused (disk full, read-only, no permission); the previous site is intact."""


def describe_internal_error(error: BaseException) -> str:
    """One line for a failure no check foresaw: what, and the project file and line it came
    from, instead of a traceback a reader of the CI log or the preview cannot act on."""
    project = Path(__file__).resolve().parent.parent
    where = ""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if path.is_absolute() and project in path.parents and ".venv" not in path.parts:
            where = f" at {path.relative_to(project).as_posix()}:{frame.lineno}"
            break
    message = str(error).splitlines()[0][:300] if str(error) else ""
    return (f"internal error{where}: {type(error).__name__}{': ' + message if message else ''}"
            " (run with -v for the traceback; the previous site is unchanged)"
            " — 程序内部错误，网站未更新，原有网站保持不变")
