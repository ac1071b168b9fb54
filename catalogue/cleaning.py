"""How the scan's text is cleaned for publication. The importer cleans the document with these;
the build cleans a correction with them to find the passage it changed on the published page."""
from __future__ import annotations

import re

TAG_RE = re.compile(r"</?u>")
SPACE_RE = re.compile(r"\s+")
HALF_TO_FULL = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"}


def is_wide(char: str) -> bool:
    """CJK characters, full-width forms, CJK punctuation and curly quotes: text set without spaces."""
    return ord(char) >= 0x2E80 or char in "“”‘’—…"


def strip_tags(value: str) -> str:
    """Drop the reader's <u>…</u> underlines."""
    return TAG_RE.sub("", value)


def remove_spaces(value: str) -> str:
    """Drop whitespace unless it separates two Latin words or numbers (none do in this document)."""
    def keep(match: re.Match) -> str:
        before = value[match.start() - 1] if match.start() else ""
        after = value[match.end()] if match.end() < len(value) else ""
        latin = before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
        return " " if latin else ""
    return SPACE_RE.sub(keep, value).strip()


def widen_punctuation(value: str) -> str:
    """Half-width , ( ) : ; next to Chinese text become their full-width forms."""
    chars = list(value)
    for i, char in enumerate(chars):
        if char in HALF_TO_FULL:
            before = value[i - 1] if i else ""
            after = value[i + 1] if i + 1 < len(value) else ""
            if (before and is_wide(before)) or (after and is_wide(after)):
                chars[i] = HALF_TO_FULL[char]
    return "".join(chars)


def clean_text(value: str) -> str:
    """Task text or heading as published: no tags, no stray spaces, full-width punctuation."""
    return widen_punctuation(remove_spaces(strip_tags(value)))
