"""Every text of every file is searched for characters no page can carry, and for length: all
the texts of a file at once first, then, only where that finds something, one by one to say
where. Both ways give, on texts the real content never holds, the findings written out here."""
from __future__ import annotations

import datetime as dt

import pytest

from catalogue import validate
from catalogue.load import Document
from catalogue.validate import MAX_ANY_STRING, Checker

LONG = "长" * (MAX_ANY_STRING + 1)
EDGE = "长" * MAX_ANY_STRING

CASES = [
    # (data, the (field, character code or "long") of each finding, in the order found)
    ({"text": "无误", "n": 3, "d": dt.date(2021, 1, 1), "list": ["a", ["b", {"c": None}]]}, []),
    ({"n": 3, 2: [None, 1.5]}, []), (None, []), ([], []),    # no text at all
    ({"text": "a\x01b"}, [("text", "U+0001")]),
    ({"text": "tab\tand\nline\rbreak"}, [("text", "U+000D")]),
    ({"a": ["ok", ["deep", {"b": "\x7f"}]]}, [("a[2][2].b", "U+007F")]),
    ({"bad\x0bkey": "ok"}, [("", "U+000B")]),              # a field name: reported on its mapping
    ({"x": {"bad\x9fkey": 1}}, [("x", "U+009F")]),
    ({"a": "\ud800", "b": "x\udfff"}, [("a", "U+D800"), ("b", "U+DFFF")]),
    ({"a": "\ufffe", "b": "\uffff", "c": "\ufffd"}, [("a", "U+FFFE"), ("b", "U+FFFF")]),
    ({"a": "\x85\xa0\u2028"}, [("a", "U+0085")]),
    (["\x00", "ok", "\x08"], [("[1]", "U+0000"), ("[3]", "U+0008")]),
    ("\x1f", [("", "U+001F")]),
    ({"a": LONG, "b": EDGE}, [("a", "long")]),
    ({"b": EDGE}, []),                                       # as long as a text may be
    ({"a": [LONG + "\x01"]}, [("a[1]", "U+0001")]),          # a bad character is named before the length
    ({LONG: 1}, [("", "long")]),
    ({1: "\x02", False: ["\x03"], None: "ok"}, [("[2]", "U+0002"), ("False[1]", "U+0003")]),  # (1 reads as an index)
    # Texts that end and start with halves of a pair: each half is refused, joined or not.
    ({"a": "x\ud83d", "b": "\ude00y"}, [("a", "U+D83D"), ("b", "U+DE00")]),
]


def findings(errors) -> list[tuple[str, str]]:
    return [(error.field, "long" if "too long" in error.en else error.en.split("(")[1].split(")")[0])
            for error in errors]


@pytest.mark.parametrize("data, expected", CASES, ids=[str(index) for index in range(len(CASES))])
def test_refused_characters_and_lengths_are_found_where_they_are(data, expected):
    document = Document("content/tasks/odd.yaml", data)
    errors: list = []
    validate._check_characters(Checker(document, errors), data, ())
    assert findings(errors) == expected
    assert validate._texts_may_be_refused(data) is bool(expected)
    one_by_one: list = []
    validate._find_refused_characters(Checker(document, one_by_one), data, ())
    assert one_by_one == errors
