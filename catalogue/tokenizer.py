"""The search tokenizer specified in docs/search.md: text normalised, cut into runs of CJK
characters (indexed as overlapping bigrams) and runs of letters and digits (kept whole), and a
reader's query cut into the terms a match must contain.

assets/js/tokenize.js implements the same specification for the browser; both are tested
against tests/search_cases.json.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Scripts written without spaces between words: their runs are cut into character bigrams.
# Closed ranges of code points, checked after normalisation; the same table is in tokenize.js.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),    # Hangul Jamo
    (0x2E80, 0x2FDF),    # CJK Radicals Supplement, Kangxi Radicals
    (0x3005, 0x3007),    # 々 〆 〇
    (0x3021, 0x3029),    # Hangzhou numerals
    (0x3031, 0x3035),    # kana repeat marks
    (0x3038, 0x303C),
    (0x3041, 0x3096),    # Hiragana
    (0x3099, 0x309F),
    (0x30A1, 0x30FA),    # Katakana, without ・ (U+30FB), which is punctuation
    (0x30FC, 0x30FF),
    (0x3105, 0x312F),    # Bopomofo
    (0x3131, 0x318E),    # Hangul Compatibility Jamo
    (0x31A0, 0x31BF),    # Bopomofo Extended
    (0x31F0, 0x31FF),    # Katakana Phonetic Extensions
    (0x3400, 0x4DBF),    # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),    # CJK Unified Ideographs
    (0xA960, 0xA97F),    # Hangul Jamo Extended-A
    (0xAC00, 0xD7FF),    # Hangul Syllables, Hangul Jamo Extended-B
    (0xF900, 0xFAFF),    # CJK Compatibility Ideographs
    (0x1B000, 0x1B16F),  # Kana Supplement, Kana Extended-A, Small Kana Extension
    (0x20000, 0x3FFFF),  # Supplementary and Tertiary Ideographic Planes (Extensions B–H)
)

# Kept inside a run of letters and digits when both neighbours are letters or digits: R&D, 3.5.
JOINERS = frozenset("&.")

# Unicode White_Space: separates the words of a query.
WHITESPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

CJK, WORD, OTHER = "c", "w", "o"


class _EachCharacter(dict):
    """Code point -> its NFKC form lower-cased, filled as characters are met: str.translate reads
    it without a Python call for a character met before."""

    def __missing__(self, code: int) -> str:
        found = unicodedata.normalize("NFKC", chr(code)).lower()
        if len(self) < 65536:  # hostile text could hold every code point
            self[code] = found
        return found


_EACH_CHARACTER = _EachCharacter()


def normalise(text: str) -> str:
    """NFKC then lower-case, one code point at a time."""
    return text.translate(_EACH_CHARACTER)


@lru_cache(maxsize=65536)
def char_class(char: str) -> str:
    """CJK (cut into bigrams), WORD (letters, digits, marks: kept whole) or OTHER (separates)."""
    code = ord(char)
    for low, high in CJK_RANGES:
        if code < low:
            break
        if code <= high:
            return CJK
    return WORD if unicodedata.category(char)[0] in "LNM" else OTHER


@dataclass(frozen=True)
class Run:
    """A maximal stretch of one normalised text that yields tokens."""

    kind: str  # CJK or WORD
    text: str
    start: int  # index of the first code point in the normalised text
    end: int  # index one past the last code point


class _EachClass(dict):
    """Code point -> its char_class, filled as characters are met: str.translate classifies a
    whole text without a Python call per character."""

    def __missing__(self, code: int) -> str:
        found = char_class(chr(code))
        if len(self) < 65536:  # hostile text could hold every code point
            self[code] = found
        return found


_EACH_CLASS = _EachClass()
_RUN = re.compile(f"{CJK}+|{WORD}+")


def _spans(normalised: str) -> list[tuple[str, int, int]]:
    """The runs of a normalised text as (kind, start, end)."""
    classes = normalised.translate(_EACH_CLASS)
    if any(joiner in normalised for joiner in JOINERS):
        # A joiner between two letters or digits is one of them. Neighbours are read before any
        # joiner changes: two joiners side by side are never between letters.
        classes = "".join(WORD if (char in JOINERS and 0 < i < len(normalised) - 1
                                   and classes[i - 1] == WORD and classes[i + 1] == WORD) else classes[i]
                          for i, char in enumerate(normalised))
    return [(match.group()[0], match.start(), match.end()) for match in _RUN.finditer(classes)]


def runs(normalised: str) -> list[Run]:
    """Split normalised text into runs of CJK characters and runs of letters and digits."""
    return [Run(kind, normalised[start:end], start, end) for kind, start, end in _spans(normalised)]


def cjk_tokens(text: str) -> list[str]:
    """The pairs of neighbouring characters of a CJK run; a run of one character is its token."""
    if len(text) == 1:
        return [text]
    return [text[i:i + 2] for i in range(len(text) - 1)]


def tokenize(text: str) -> list[str]:
    """Index terms of a text, in order, repeated as often as they occur."""
    tokens: list[str] = []
    for run in runs(normalise(text)):
        tokens.extend(cjk_tokens(run.text) if run.kind == CJK else [run.text])
    return tokens


def tokens_at(text: str) -> list[tuple[str, int]]:
    """The index terms of a text, each with the code point of the normalised text it starts at:
    the terms of tokenize(), in the same order."""
    return list(zip(*terms_at(text)))


def terms_at(text: str) -> tuple[list[str], list[int]]:
    """tokens_at() as two lists, the terms and where each starts: no pair made per term."""
    normalised = normalise(text)
    terms: list[str] = []
    starts: list[int] = []
    for kind, start, end in _spans(normalised):
        if kind == CJK and end - start > 1:
            terms += cjk_tokens(normalised[start:end])
            starts += range(start, end - 1)
        else:
            terms.append(normalised[start:end])
            starts.append(start)
    return terms, starts


@dataclass(frozen=True)
class Term:
    """One clause of a query: a term that documents must contain.

    `leading`/`trailing`: the run this term comes from may continue in the text before/after
    what the reader typed, so the term is matched as a suffix/prefix of an index term.
    """

    term: str
    leading: bool = False
    trailing: bool = False


@dataclass(frozen=True)
class Word:
    """A whitespace-separated part of a query, normalised, and the terms it requires."""

    text: str
    terms: tuple[Term, ...]


def query_words(query: str) -> list[Word]:
    """The words of a reader's query, each with the index terms a match must contain."""
    words: list[Word] = []
    current: list[str] = []
    for char in normalise(query) + " ":
        if char in WHITESPACE:
            if current:
                text = "".join(current)
                if text not in (word.text for word in words):
                    words.append(Word(text, word_terms(text)))
                current = []
        else:
            current.append(char)
    return words


def word_terms(word: str) -> tuple[Term, ...]:
    """Terms required by one normalised query word (docs/search.md, "Query terms")."""
    terms: list[Term] = []
    for run in runs(word):
        if run.kind == CJK:
            lone = len(run.text) == 1
            new = [Term(piece, lone, lone) for piece in cjk_tokens(run.text)]
        else:
            leading = run.start == 0 or (run.start == 1 and word[0] in JOINERS)
            trailing = run.end == len(word) or (run.end == len(word) - 1 and word[-1] in JOINERS)
            new = [Term(run.text, leading, trailing)]
        terms.extend(term for term in new if term not in terms)
    return tuple(terms)
