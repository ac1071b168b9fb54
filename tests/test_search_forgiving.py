"""Search that forgives what readers type: traditional characters, everyday words for a subject,
a typo; ranking by what a task is about; and filters without a keyword. Exact matches stay
first and complete; the rest is listed apart, each with its reason.

The expectations are written out by hand for a small catalogue made for these cases.
"""
from __future__ import annotations

import pytest

from catalogue.folding import folding_pairs, traditional_to_simplified
from catalogue.load import load_catalogue
from catalogue.search import search_outputs
from search_node import search_cli
from tiny_content import content_tree

SECTIONS = """\
- number: 1
  title: 扩大开放。
  declared_count: 3
  subsections:
    - number: 1
      title: 建设开放门户。
- number: 2
  title: 增进民生福祉。
  declared_count: 3
  subsections:
    - number: 1
      title: 办好民生实事。
"""
LEADERS = """\
- name: 罗小云
  slug: luo-xiaoyun
"""
UNITS = """\
- name: 省商务厅
  slug: commerce
  kind: provincial_department
- name: 省民政厅
  slug: civil-affairs
  kind: provincial_department
- name: 省住房城乡建设厅
  slug: housing-construction
  kind: provincial_department
"""
SUBJECTS = """\
- slug: elderly-care
  name: 养老
  synonyms: [老人, 老年人]
- slug: health
  name: 医疗卫生
  synonyms: [看病, 就医]
- slug: housing
  name: 住房
  synonyms: [房子]
- slug: transport
  name: 交通
  synonyms: [公交]
- slug: social-security
  name: 社会保障
  synonyms: [养老金]
- slug: opening-up
  name: 开放合作
  synonyms: [商务]
"""
# id: (text, lead unit, subjects, co-responsible units)
TASKS = {
    "1-1": ("支持赣州建设国际陆港，推动赣州港扩大开放。", "省商务厅", ["transport"], []),
    "1-2": ("推动南昌、九江、赣州、上饶、吉安、宜春、景德镇、萍乡、新余、鹰潭等地建设开放门户。", "省商务厅",
            ["transport", "opening-up"], []),
    "1-3": ("完成公办养老院改造提升。", "省民政厅", ["elderly-care"], []),
    "2-1": ("推进医养结合，发展老年医学。", "省民政厅", ["elderly-care", "health"], []),
    "2-2": ("加快推进智慧交通建设。", "省住房城乡建设厅", ["transport", "opening-up"], ["省民政厅"]),
    "2-3": ("扩大保障性租赁住房供给，提高城乡居民基础养老金，请省民政厅配合。", "省住房城乡建设厅",
            ["housing", "social-security"], []),
}


def search_index(folder, tasks_by_id):
    """The search index (search/index.js) of a catalogue of these tasks, three to a section."""
    tasks = {}
    for task_id, (text, lead, subjects, co) in tasks_by_id.items():
        section, number = task_id.split("-")
        tasks[f"{section}-{int(number):02d}.yaml"] = (
            f"id: {task_id}\nsection: {section}\nsubsection: 1\nnumber: {number}\ntext: {text}\n"
            f"leaders: [罗小云]\nlead_units: [{lead}]\nresponsible_units: [{', '.join(co)}]\n"
            f"subjects: [{', '.join(subjects)}]\nstatus: no_information\ntargets: []\nupdates: []\n")
    root = content_tree(folder / "content",
                        {"sections": SECTIONS, "leaders": LEADERS, "units": UNITS, "subjects": SUBJECTS}, tasks)
    catalogue = load_catalogue(root)
    index_js = root.parent / "index.js"
    index_js.write_bytes(search_outputs(catalogue)["search/index.js"])
    return index_js


@pytest.fixture(scope="module")
def forgiving(tmp_path_factory):
    return search_index(tmp_path_factory.mktemp("forgiving"), TASKS)


def ask(index_js, query, **filters):
    return search_cli("search", index_js, stdin=[{"q": query, "filters": filters}])[0]


def ids(matches):
    return [match["id"] for match in matches]


# --- exact first, the rest apart --------------------------------------------------------------

def test_a_subject_adds_the_tasks_that_do_not_say_the_word_after_those_that_do(forgiving):
    found = ask(forgiving, "养老")
    assert ids(found["matches"]) == ["1-3", "2-3"]  # 养老院, 养老金: the text says it
    assert found["related"] == [{"id": "2-1", "reason": {"kind": "subject", "subjects": ["养老"]}}]
    assert found["suggestion"] is None


@pytest.mark.parametrize("query, subject, expected", [
    ("看病", "医疗卫生", ["2-1"]),
    ("老人", "养老", ["1-3", "2-1"]),
    ("房子", "住房", ["2-3"]),
    ("公交", "交通", ["1-1", "1-2", "2-2"]),
    ("看病难", "医疗卫生", ["2-1"]),  # a synonym inside what was typed
])
def test_everyday_words_find_their_subject_labelled_as_such(forgiving, query, subject, expected):
    found = ask(forgiving, query)
    assert found["matches"] == []
    assert ids(found["related"]) == expected
    assert {match["reason"]["kind"] for match in found["related"]} == {"subject"}
    assert all(match["reason"]["subjects"] == [subject] for match in found["related"])


def test_a_synonym_inside_a_name_that_matches_names_no_subject(forgiving):
    """省商务厅 holds the synonym 商务, but it is a unit the reader found: no subject is added
    (2-2, of the subject 开放合作, is not listed). 商务局 finds nothing, so the synonym inside it
    is taken as the reader's meaning."""
    assert ask(forgiving, "省商务厅")["related"] == []
    assert ask(forgiving, "商务局")["related"] == [
        {"id": "1-2", "reason": {"kind": "subject", "subjects": ["开放合作"]}},
        {"id": "2-2", "reason": {"kind": "subject", "subjects": ["开放合作"]}}]


def test_a_word_inside_a_synonym_does_not_name_that_subject(forgiving):
    """养老 is inside 养老金 (社会保障), but the reader typing 养老 means the subject 养老."""
    related = ask(forgiving, "养老")["related"]
    assert all(match["reason"]["subjects"] == ["养老"] for match in related)


@pytest.mark.parametrize("query, folded, expected", [
    ("養老院", "养老院", ["1-3"]),
    ("贛州", "赣州", ["1-1", "1-2"]),
    ("醫養結合", "医养结合", ["2-1"]),
])
def test_traditional_characters_find_the_simplified_text_labelled_as_such(forgiving, query, folded, expected):
    found = ask(forgiving, query)
    assert found["matches"] == []
    folded_matches = [m for m in found["related"] if m["reason"]["kind"] == "folded"]
    assert ids(folded_matches) == expected
    assert all(m["reason"]["text"] == folded for m in folded_matches)
    assert found["suggestion"] is None


# Taiwan and Hong Kong forms (著力, 衞生, 糭子, 平枱) fold through OpenCC's variant tables to the
# traditional form, then to the simplified one; others (啓, 綫, 裏) are in its main table.
VARIANT_TASKS = {
    "1-1": ("着力提升基层卫生服务能力。", "省民政厅", ["transport"], []),
    "1-2": ("支持端午节粽子等传统食品产业发展。", "省商务厅", ["transport"], []),
    "1-3": ("建设江西省工业互联网平台。", "省商务厅", ["transport"], []),
    "2-1": ("启动赣江两岸综合整治。", "省住房城乡建设厅", ["transport"], []),
    "2-2": ("推进城乡供水管网和光纤线路建设。", "省住房城乡建设厅", ["transport"], []),
    "2-3": ("完善村里的养老服务设施。", "省民政厅", ["transport"], []),
}


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    return search_index(tmp_path_factory.mktemp("variants"), VARIANT_TASKS)


@pytest.mark.parametrize("query, folded, expected", [
    ("著力", "着力", "1-1"),      # Taiwan's 著 for 着
    ("衞生", "卫生", "1-1"),      # Hong Kong's 衞, a variant of 衛
    ("糭子", "粽子", "1-2"),      # Hong Kong's 糭, a variant of 糉
    ("平枱", "平台", "1-3"),      # Hong Kong's 枱, a variant of 檯
    ("啓動", "启动", "2-1"),
    ("光纖綫路", "光纤线路", "2-2"),
    ("村裏", "村里", "2-3"),
])
def test_a_taiwan_or_hong_kong_form_finds_the_simplified_task(variants, query, folded, expected):
    found = ask(variants, query)
    assert found["matches"] == []
    assert found["related"] == [{"id": expected, "reason": {"kind": "folded", "text": folded}}]
    assert found["suggestion"] is None


def test_folding_and_a_subject_together(forgiving):
    """養老 folds to 养老, whose subject adds the task that says neither."""
    found = ask(forgiving, "養老")
    assert [(m["id"], m["reason"]["kind"]) for m in found["related"]] == [
        ("1-3", "folded"), ("2-3", "folded"), ("2-1", "subject")]


@pytest.mark.parametrize("query, suggestion", [
    ("养老阮", {"text": "养老", "count": 2}),
    ("赣州港口岸", {"text": "赣州港", "count": 1}),
    ("智慧交通 火星", {"text": "智慧交通", "count": 1}),
    ("貢獻火星", None),
    ("火星", None),
])
def test_when_nothing_matches_the_longest_part_that_does_is_offered(forgiving, query, suggestion):
    found = ask(forgiving, query)
    assert found["matches"] == []
    assert found["suggestion"] == suggestion


def test_no_suggestion_when_something_matches(forgiving):
    assert ask(forgiving, "赣州")["suggestion"] is None


# --- ranking ------------------------------------------------------------------------------------

def test_the_task_about_a_place_ranks_above_a_list_that_names_it(forgiving):
    assert ids(ask(forgiving, "赣州")["matches"]) == ["1-1", "1-2"]


def test_a_match_in_the_text_ranks_above_one_only_inside_a_units_name(forgiving):
    found = ask(forgiving, "住房")
    assert ids(found["matches"]) == ["2-3", "2-2"]
    # The fixture's tasks have no editor's title: the text stands for it and is not named twice.
    assert found["matches"][0]["where"] == ["任务内容", "牵头单位"]
    assert found["matches"][1]["where"] == ["牵头单位"]


def test_the_whole_name_of_a_unit_finds_the_tasks_it_leads_first(forgiving):
    found = ask(forgiving, "省住房城乡建设厅")
    # Both led by it: Lunr's score decides, and 2-3's text also holds 住房, part of the name.
    assert ids(found["matches"]) == ["2-3", "2-2"]
    assert [m["place"] for m in found["matches"]] == [0, 0]
    # Led (1-3, 2-1), then co-responsible (2-2), then only named in the text (2-3), though the
    # text is where the name takes up the most room.
    found = ask(forgiving, "省民政厅")
    assert ids(found["matches"]) == ["1-3", "2-1", "2-2", "2-3"]
    assert [m["place"] for m in found["matches"]] == [0, 0, 1, 3]


# --- browsing without a keyword -------------------------------------------------------------------

def test_filters_alone_list_every_task_they_leave_in_document_order(forgiving):
    found = ask(forgiving, "", subject="transport")
    assert found["browsing"] is True
    assert found["results"] == ["1-1", "1-2", "2-2"]
    assert found["facets"]["subject"] == {"transport": 3, "elderly-care": 2, "health": 1, "housing": 1,
                                          "social-security": 1, "opening-up": 2}
    assert found["facets"]["unit"] == {"commerce": 2, "housing-construction": 1, "civil-affairs": 1}


def test_facets_count_the_related_tasks_too(forgiving):
    found = ask(forgiving, "养老")
    assert found["facets"]["subject"] == {"elderly-care": 2, "health": 1, "housing": 1, "social-security": 1}
    narrowed = ask(forgiving, "养老", subject="health")
    assert narrowed["results"] == [] and narrowed["relatedResults"] == ["2-1"]


# --- the folding table --------------------------------------------------------------------------

def test_the_page_gets_only_the_pairs_whose_simplified_character_the_index_holds():
    pairs = folding_pairs(["养老院", "推动赣州港"])
    table = dict(zip(pairs[0::2], pairs[1::2]))
    assert table["養"] == "养"
    assert table["贛"] == "赣" and table["動"] == "动"
    assert "醫" not in table  # 医 is not in the strings
    assert set(table.values()) <= set("养老院推动赣州港")
    assert list(table) == sorted(table)


def test_regional_variants_fold_through_the_traditional_form():
    table = traditional_to_simplified()
    assert table["醫"] == "医" and table["陽"] == "阳"
    assert table["啓"] == "启" and table["綫"] == "线" and table["裏"] == "里"  # in OpenCC's main table
    # Only in the variant tables: Hong Kong's 衞 → 衛 → 卫, 粧 → 妝 → 妆, 敍 → 敘 → 叙, 衹 → 只;
    # Taiwan's 著 → 着, 簷 → 檐, 痺 → 痹.
    assert [table.get(variant) for variant in "衞粧敍衹著簷痺"] == list("卫妆叙只着檐痹")
    # Where the main table and a variant table disagree, the main table's first choice stands:
    # 顎 → 颚, not Taiwan's 顎 → 齶 → 腭.
    assert table["顎"] == "颚"
    assert "养" not in table and "卫" not in table  # simplified characters are not folded
