"""The search tokenizer: the shared cases in Python and JavaScript, and both implementations
compared on every code point and on random text."""
from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest

from catalogue.tokenizer import char_class, normalise, query_words, runs, tokenize, tokens_at
from search_node import run_node, search_cli

CASES = json.loads((Path(__file__).parent / "search_cases.json").read_text(encoding="utf-8"))


def ids(kind):
    return [case["case"] for case in CASES[kind]]


@pytest.mark.parametrize("case", CASES["normalise"], ids=ids("normalise"))
def test_normalise(case):
    assert normalise(case["input"]) == case["output"]


@pytest.mark.parametrize("case", CASES["tokenize"], ids=ids("tokenize"))
def test_tokenize(case):
    assert tokenize(case["input"]) == case["tokens"]


def as_lists(words):
    return [[word.text, [[term.term, term.leading, term.trailing] for term in word.terms]]
            for word in words]


@pytest.mark.parametrize("case", CASES["query"], ids=ids("query"))
def test_query_words(case):
    assert as_lists(query_words(case["input"])) == case["words"]


def test_the_javascript_tokenizer_passes_the_same_cases():
    done = run_node("--test", "tests/js/")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    count = sum(len(CASES[kind]) for kind in ("normalise", "tokenize", "query"))
    assert f"# pass {count}" in done.stdout


def test_both_sides_classify_and_normalise_every_code_point_alike():
    """Where they differ, the character is unassigned in Python's Unicode database (newer
    than it), and no text here uses it."""
    javascript = search_cli("classes")
    codes = [code for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]
    assert len(javascript) == len(codes)
    differ = []
    for code, theirs in zip(codes, javascript):
        char = chr(code)
        ours = char_class(char) + normalise(char)
        if ours != theirs and unicodedata.category(char) != "Cn":
            differ.append(f"U+{code:04X}: python {ours!r}, javascript {theirs!r}")
    assert not differ, differ[:20]


SAMPLE = ("鄱阳湖省科技厅养老服务一〇々𠮷𡈼ガンダム한국"
          "aZ5G09R&D.·-_+%（），。、；：“”《》\u3000 \t\xa0ＡＶＲ１２㎡Ⅻﬁİé\u0301\ufeff")


def test_both_sides_tokenize_random_text_alike():
    rng = random.Random(2021)
    texts = ["".join(rng.choice(SAMPLE) for _ in range(rng.randint(0, 14))) for _ in range(3000)]
    javascript = search_cli("tokenize", stdin=texts)
    for text, theirs in zip(texts, javascript):
        assert theirs["tokens"] == tokenize(text), text
        assert theirs["words"] == as_lists(query_words(text)), text
        assert [tuple(pair) for pair in theirs["at"]] == tokens_at(text), text
        assert [term for term, _ in tokens_at(text)] == tokenize(text), text
        # The pieces the page checks positions with: the word's own terms where they start in it,
        # repeats kept; the flags those of the word's terms; whole unless a character is in no term.
        for word, (whole, pieces) in zip(query_words(text), theirs["pieces"]):
            assert [(term, at) for term, at, _, _ in pieces] == tokens_at(word.text), text
            assert {(term, leading, trailing) for term, _, leading, trailing in pieces} == {
                (t.term, t.leading, t.trailing) for t in word.terms}, text
            assert whole == (sum(run.end - run.start for run in runs(word.text)) == len(word.text)), text
