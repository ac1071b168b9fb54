"""Search that forgives what readers type: traditional characters, everyday words for a subject,
a unit's short name, a typo; ranking by what a task is about; and filters without a keyword.
Exact matches stay first and complete; the rest is listed apart, each with its reason.

The expectations are written out by hand for a small catalogue made for these cases.
"""
from __future__ import annotations

import pytest

from catalogue.folding import CONFUSED, confusion_groups, folding_pairs, traditional_to_simplified
from catalogue.pipeline import Paths, check
from catalogue.search import name_pattern, names_said, search_outputs
from catalogue.tokenizer import CJK, char_class, normalise
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
  short_names: [省住建厅, 住建厅]
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
  synonyms: [公交, 陆港]
- slug: social-security
  name: 社会保障
  synonyms: [养老金]
- slug: opening-up
  name: 开放合作
  synonyms: [商务, 社会保障]
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
    catalogue = check(Paths(content=root))
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
    # Filed first under 交通 and saying one of its names (陆港, 交通), then the rest.
    ("公交", "交通", ["1-1", "2-2", "1-2"]),
])
def test_everyday_words_find_their_subject_labelled_as_such(forgiving, query, subject, expected):
    found = ask(forgiving, query)
    assert found["matches"] == []
    assert ids(found["related"]) == expected
    assert {match["reason"]["kind"] for match in found["related"]} == {"subject"}
    assert all(match["reason"]["subjects"] == [subject] for match in found["related"])


def test_a_word_holding_a_synonym_finds_the_tasks_that_say_it_first(forgiving):
    """看病难 holds 看病, which no task says: the subject's tasks. 陆港难 holds 陆港, which 1-1 says:
    1-1 first, for what it says, then the other tasks of 交通, most about it first."""
    found = ask(forgiving, "看病难")
    assert found["matches"] == []
    assert found["related"] == [{"id": "2-1", "reason": {"kind": "subject", "subjects": ["医疗卫生"]}}]
    found = ask(forgiving, "陆港难")
    assert found["related"] == [{"id": "1-1", "reason": {"kind": "holds", "text": "陆港"}},
                                {"id": "2-2", "reason": {"kind": "subject", "subjects": ["交通"]}},
                                {"id": "1-2", "reason": {"kind": "subject", "subjects": ["交通"]}}]


def test_a_subject_named_ranks_before_one_reached_by_a_synonym(forgiving):
    """社会保障 is the name of the subject 社会保障 (2-3) and, in this fixture, a synonym of 开放合作
    (1-2, 2-2): the subject it names comes first, though its task comes later in the document."""
    found = ask(forgiving, "社会保障")
    assert found["matches"] == []
    assert found["related"] == [{"id": "2-3", "reason": {"kind": "subject", "subjects": ["社会保障"]}},
                                {"id": "1-2", "reason": {"kind": "subject", "subjects": ["开放合作"]}},
                                {"id": "2-2", "reason": {"kind": "subject", "subjects": ["开放合作"]}}]


def test_with_several_words_each_is_in_the_task_or_names_its_subject(forgiving):
    found = ask(forgiving, "供给 养老")  # 2-3 says 供给 and 养老(金); 1-3 is of 养老 but says no 供给
    assert ids(found["matches"]) == ["2-3"]
    assert found["related"] == []
    found = ask(forgiving, "老年医学 公交")  # 2-1 says 老年医学 but is not of 交通
    assert found["matches"] == [] and found["related"] == []


def test_a_synonym_inside_a_name_that_matches_names_no_subject(forgiving):
    """省商务厅 holds the synonym 商务, but it is a unit the reader found: no subject is added
    (2-2, of the subject 开放合作, is not listed). 商务局 finds nothing, so the synonym inside it
    is taken as the reader's meaning: the tasks that say 商务 (here in their unit's name), then
    the rest of the subject's."""
    assert ask(forgiving, "省商务厅")["related"] == []
    assert ask(forgiving, "商务局")["related"] == [
        {"id": "1-1", "reason": {"kind": "holds", "text": "商务"}},
        {"id": "1-2", "reason": {"kind": "holds", "text": "商务"}},
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
def test_traditional_characters_are_read_as_simplified_among_the_exact_results(forgiving, query, folded, expected):
    found = ask(forgiving, query)
    assert ids(found["matches"]) == expected
    assert found["readAs"] == folded
    assert found["suggestion"] is None
    assert not any(m["reason"]["kind"] == "folded" for m in found["related"])


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
    assert ids(found["matches"]) == [expected]
    assert found["readAs"] == folded
    assert found["related"] == [] and found["suggestion"] is None


def test_folding_and_a_subject_together(forgiving):
    """養老 is read as 养老, whose subject adds the task that says neither."""
    found = ask(forgiving, "養老")
    assert ids(found["matches"]) == ["1-3", "2-3"]
    assert [(m["id"], m["reason"]["kind"]) for m in found["related"]] == [("2-1", "subject")]
    assert ask(forgiving, "养老")["readAs"] == ""


def test_a_short_name_finds_every_task_of_its_unit_and_says_which_unit_it_names(forgiving):
    for query in ("住建厅", "省住建厅"):
        found = ask(forgiving, query)
        assert ids(found["matches"]) == ["2-2", "2-3"], query  # every task 省住房城乡建设厅 leads
        assert found["shortNamed"] == [{"word": query, "units": ["省住房城乡建设厅"]}]
        assert all(m["where"] == ["牵头单位"] for m in found["matches"])
    # Its own name, or a part of it, names it already: nothing to explain.
    assert ask(forgiving, "省住房城乡建设厅")["shortNamed"] == []
    assert ask(forgiving, "住房")["shortNamed"] == []


@pytest.mark.parametrize("query, suggestion", [
    ("养老阮", {"text": "养老", "count": 2}),  # a subject's name held in the word
    ("赣洲", {"text": "赣州", "count": 2}),  # 洲 for 州: a confusion of the table
    ("赣洲 陆港", {"text": "赣州 陆港", "count": 1}),
    ("省民证厅", {"text": "省民政厅", "count": 4}),  # a unit's name one character away
    ("住建听", {"text": "住建厅", "count": 2}),  # 听 for 厅, in a short name
    ("智慧交通 火星", {"text": "智慧交通", "count": 1}),  # fewer words
    ("赣州港口岸", None),  # no whole word or name in it: never a piece (赣州港) cut from it
    ("貢獻火星", None),
    ("火星", None),
])
def test_when_nothing_matches_a_whole_word_or_name_is_offered(forgiving, query, suggestion):
    found = ask(forgiving, query)
    assert found["matches"] == []
    assert found["suggestion"] == suggestion


def test_no_suggestion_when_something_matches(forgiving):
    assert ask(forgiving, "赣州")["suggestion"] is None


def test_a_suggestion_is_never_a_cut_piece_of_the_query(forgiving):
    """Whatever is typed, a suggestion is a registry name, words the reader typed, or those words
    with one character mended: never a prefix or other piece of a word."""
    names = {"省商务厅", "省民政厅", "省住房城乡建设厅", "省住建厅", "住建厅", "罗小云"}
    for line in SUBJECTS.splitlines():
        if "name:" in line:
            names.add(line.split("name:")[1].strip())
        if "synonyms:" in line:
            names.update(word.strip() for word in line.split("[")[1].rstrip("]").split(","))
    queries = ["赣州港口岸", "省商务厅长", "老年人口", "推动赣州港扩大", "建设国际陆港", "养老院改造提升工程",
               "智慧交通建设", "省发", "省住", "商务 扩大开放门户", "城乡居民养老金标准"]
    for query in queries:
        suggestion = ask(forgiving, query)["suggestion"]
        if suggestion is None:
            continue
        words = query.split()
        for word in suggestion["text"].split():
            one_apart = any(len(word) == len(typed) and sum(a != b for a, b in zip(word, typed)) == 1
                            for typed in words)
            assert word in names or word in words or one_apart, (query, suggestion)


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


# --- the real content ------------------------------------------------------------------------------

def subject_queries(catalogue) -> list[tuple[str, object]]:
    return [(name, subject) for subject in catalogue.subjects for name in [subject.name, *subject.synonyms]]


def test_every_name_and_synonym_of_a_subject_lists_all_its_tasks(built_site, catalogue):
    """What content/subjects.yaml promises a reader: typing any of a subject's words (房价, 双减,
    看病…) lists every task of that subject, exact or related."""
    asked = subject_queries(catalogue)
    answers = search_cli("search", built_site / "search" / "index.js", stdin=[{"q": name} for name, _ in asked])
    missing = {}
    for (name, subject), answer in zip(asked, answers):
        listed = {m["id"] for m in answer["matches"]} | {m["id"] for m in answer["related"]}
        lost = {task.id for task in subject.tasks} - listed
        if lost:
            missing[name] = sorted(lost)
    assert not missing, missing
    assert len(asked) > 300


def test_everyday_words_readers_type_reach_a_subject(catalogue):
    everyday = {"房价": "housing", "买房": "housing", "学区": "education", "双减": "education",
                "看病": "health", "停车难": "urban", "找工作": "employment", "堵车": "transport"}
    for word, slug in everyday.items():
        assert word in next(s for s in catalogue.subjects if s.slug == slug).synonyms, word


def test_a_subject_reached_by_an_everyday_word_lists_the_tasks_most_about_it_first(built_site, catalogue):
    """看病: the tasks filed first under 医疗卫生 before 7-9 (medical waste), filed under it second."""
    related = ask(built_site / "search" / "index.js", "看病")["related"]
    health = next(s for s in catalogue.subjects if s.slug == "health")
    first = {task.id for task in health.tasks if task.subjects[0] is health}
    order = [m["id"] for m in related]
    assert set(order[:len(first)]) == first
    assert order.index("7-9") >= len(first)


def test_every_short_name_of_the_real_registry_finds_every_task_of_its_unit(built_site, catalogue):
    named = [(word, unit) for unit in catalogue.units for word in unit.short_names]
    answers = search_cli("search", built_site / "search" / "index.js", stdin=[{"q": word} for word, _ in named])
    wrong = {}
    for (word, unit), answer in zip(named, answers):
        found = {m["id"] for m in answer["matches"]}
        lost = {task.id for task in unit.led_tasks + unit.co_tasks} - found
        # A short name the unit's name holds (台办 in 省政府台办) is found in the name itself.
        said = [] if word in unit.name else [{"word": word, "units": [unit.name]}]
        if lost or answer["shortNamed"] != said:
            wrong[word] = (unit.name, sorted(lost), answer["shortNamed"])
    assert not wrong, wrong
    assert len(named) > 30


def test_the_names_readers_give_agencies_are_their_short_names(catalogue):
    """Agencies as people name them, today's short names and the old names still in use."""
    spoken = {"发改委": "省发展改革委", "省发改委": "省发展改革委", "卫健委": "省卫生健康委",
              "卫生厅": "省卫生健康委", "人社厅": "省人力资源社会保障厅", "住建厅": "省住房城乡建设厅",
              "工信厅": "省工业和信息化厅", "省工信厅": "省工业和信息化厅", "国土厅": "省自然资源厅",
              "环保厅": "省生态环境厅", "文旅厅": "省文化和旅游厅", "交通厅": "省交通运输厅",
              "农业厅": "省农业农村厅", "市监局": "省市场监管局"}
    for word, name in spoken.items():
        assert word in catalogue.unit(name).short_names, (word, name)


# --- the confusion table ------------------------------------------------------------------------

def test_the_confusion_table_is_groups_of_distinct_characters_each_in_one_group():
    seen = set()
    for group in CONFUSED:
        assert len(group) >= 2 and len(set(group)) == len(group), group
        assert all(char_class(char) == CJK and normalise(char) == char for char in group), group
        assert not seen & set(group), group
        seen |= set(group)
    # Readers' typos of the place names the site's documents hold.
    for typo, meant in [("赣洲", "赣州"), ("鄱阳胡", "鄱阳湖"), ("抚洲", "抚州"), ("上绕", "上饶"), ("鹰谭", "鹰潭"),
                        ("井冈山", "井岗山")]:
        confused = [any({a, b} <= set(group) for group in CONFUSED) for a, b in zip(typo, meant) if a != b]
        assert confused == [True], (typo, meant)


def test_the_page_gets_only_the_groups_with_a_character_the_index_holds():
    assert confusion_groups(["赣州港"]).split() == ["州洲舟"]
    assert confusion_groups(["鄱阳湖"]).split() == ["湖胡", "阳杨扬", "鄱潘"]
    assert confusion_groups(["没有"]) == ""


def test_a_subject_name_counts_only_where_the_text_says_it_not_across_a_longer_names_edge():
    """Ranking a subject's tasks counts the names each says; 药价 read across 中医药|价格 made a
    pricing reform outrank the tasks about hospitals for 看病."""
    names = name_pattern(["医疗卫生", "看病", "看病难", "中医药", "药价", ""])
    assert names_said("深化中医药价格改革", names) == {"中医药"}
    assert names_said("降低药价，缓解看病难", names) == {"药价", "看病难"}
    assert names_said("看病就医更方便，看病不再难", names) == {"看病"}
    assert names_said("任何名称都没有", name_pattern([])) == set()
