"""The search index and the search engine, without a browser: what lunr.py builds, that the
page's JavaScript loads it unchanged, and that the engine finds exactly the tasks that contain
what the reader typed, in the order the boosts promise."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import sys
import textwrap
from pathlib import Path

import pytest

from catalogue.charts import short_label
from catalogue.pipeline import PROJECT_ROOT, Paths, check
from catalogue.search import FIELDS, searchable_fields, search_outputs, search_payload, utf16_order
from catalogue.tokenizer import normalise
from search_node import search_cli
from tiny_content import content_tree, dump, write_tiny_content

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
from search_bench import lunr_py_index  # noqa: E402

# --- a tiny catalogue with the awkward cases -------------------------------------------------

SECTIONS = """\
- number: 1
  title: 推动创新提速提效，加快实现创新驱动的内涵式增长。
  declared_count: 2
  subsections:
    - number: 1
      title: 强化创新平台支撑。
- number: 2
  title: 积极构建现代产业体系。
  declared_count: 3
  subsections:
    - number: 1
      title: 着力提升开发区竞争力。
"""

LEADERS = """\
- name: 罗小云
  slug: luo-xiaoyun
- name: 𠮷田
  slug: ji-tian
"""

UNITS = """\
- name: 省科技厅
  slug: science-technology
  kind: provincial_department
- name: 省人力资源社会保障厅
  slug: hrss
  kind: provincial_department
  aliases: [省人力资源和社会保障厅]
- name: 﨎山县政府
  slug: ji-shan
  kind: city_government
- name: 南昌市政府
  slug: nanchang
  kind: city_government
- name: 各设区市政府
  slug: all-city-governments
  kind: collective
  members: [南昌市政府]
"""

TASKS = {
    "1-01": ("1-1", 1, 1, "落实支持鄱阳湖国家自主创新示范区建设“10条”。",
             ["罗小云"], ["省科技厅"], ["各设区市政府"], []),
    "1-02": ("1-2", 1, 1, "推进5G网络和VR产业发展，办好12345热线，请省科技厅配合。",
             ["𠮷田"], ["省人力资源社会保障厅"], ["省科技厅"], []),
    "2-01": ("2-1", 2, 1, "发展数字经济，建设数字政府，推进经济数字化。",
             ["罗小云"], ["南昌市政府"], ["省科技厅"], []),
    "2-02": ("2-2", 2, 1, "加快数字化转型，经济稳定增长。",
             ["罗小云"], ["﨎山县政府"], ["南昌市政府"], []),
    "2-03": ("2-3", 2, 1, "力争R&D经费支出增长3.5%，𠮷﨎两地共建。",
             ["𠮷田", "罗小云"], ["省科技厅", "省人力资源社会保障厅", "﨎山县政府", "南昌市政府"], [],
             ["R&D经费支出增长"]),
}


def task_yaml(key, values) -> str:
    task_id, section, subsection, text, leaders, lead, units, targets = values
    number = int(task_id.split("-")[1])
    lines = [f"id: {task_id}", f"section: {section}", f"subsection: {subsection}",
             f"number: {number}", f"text: {text}", f"leaders: [{', '.join(leaders)}]",
             f"lead_units: [{', '.join(lead)}]", f"responsible_units: [{', '.join(units)}]",
             "status: no_information"]
    if targets:
        lines.append("targets:")
        for label in targets:
            lines += [f"  - label: {label}", "    target: 3.5", '    unit: "%"']
    else:
        lines.append("targets: []")
    lines.append("updates: []")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A content tree of five tasks, loaded."""
    root = content_tree(tmp_path_factory.mktemp("tiny") / "content",
                        {"sections": SECTIONS, "leaders": LEADERS, "units": UNITS},
                        {f"{key}.yaml": task_yaml(key, values) for key, values in TASKS.items()})
    return check(Paths(content=root))


@pytest.fixture(scope="module")
def real():
    return check(Paths(content=PROJECT_ROOT / "content"))


def write_index(catalogue, folder: Path) -> Path:
    path = folder / "index.js"
    path.write_bytes(search_outputs(catalogue)["search/index.js"])
    return path


@pytest.fixture(scope="module")
def tiny_index(tiny, tmp_path_factory):
    return write_index(tiny, tmp_path_factory.mktemp("tiny-index"))


@pytest.fixture(scope="module")
def real_index(real, tmp_path_factory):
    return write_index(real, tmp_path_factory.mktemp("real-index"))


_strings: dict[int, list[tuple[str, list[str]]]] = {}


def oracle(catalogue, query: str) -> set[str]:
    """Tasks with every space-separated word of `query` in one of their searchable strings."""
    if id(catalogue) not in _strings:
        _strings[id(catalogue)] = [
            (task.id, [normalise(s) for values in searchable_fields(task).values() for s in values])
            for task in catalogue.tasks]
    words = normalise(query).split()
    return {task_id for task_id, strings in _strings[id(catalogue)]
            if all(any(word in string for string in strings) for word in words)}


def search(index_js: Path, *queries, **filters):
    answers = search_cli("search", index_js, stdin=[{"q": q, "filters": filters} for q in queries])
    return answers if len(queries) > 1 else answers[0]


# --- the index ----------------------------------------------------------------------------

def test_the_index_has_the_fields_and_boosts_and_no_pipeline(tiny):
    index = search_payload(tiny)["index"]
    assert index["fields"] == list(FIELDS)
    assert index["pipeline"] == []
    assert index["version"] == "2.3.9"
    assert FIELDS["lead"] > FIELDS["units"] > FIELDS["text"]
    assert FIELDS["leaders"] > FIELDS["text"]


def test_with_a_second_plan_each_task_and_section_says_which_plan_it_is_of(tmp_path):
    content = write_tiny_content(tmp_path)
    plan = content / "plans" / "next"
    (plan / "tasks").mkdir(parents=True)
    (plan / "plan.yaml").write_text(dump({
        "title": "2023年重点工作分工方案", "short_title": "2023年分工", "source_title": "关于印发分工方案的通知",
        "source_number": "赣府厅字〔2023〕9号", "source_date": dt.date(2023, 2, 1), "as_of": dt.date(2023, 2, 1)}),
        encoding="utf-8")
    (plan / "sections.yaml").write_text(dump([{"number": 1, "title": "深化改革。", "declared_count": 1,
                                                "subsections": [{"number": 1, "title": "优化营商环境。"}]}]),
                                        encoding="utf-8")
    (plan / "tasks" / "1-01.yaml").write_text(dump({
        "id": "1-1", "section": 1, "subsection": 1, "number": 1, "text": "持续优化营商环境。", "leaders": ["罗小云"],
        "lead_units": ["省科技厅"], "responsible_units": [], "status": "no_information", "targets": [], "updates": []}),
        encoding="utf-8")
    catalogue = check(Paths(content=content))
    payload = search_payload(catalogue)
    assert payload["plans"] == [{"id": "2021", "label": "2021年江西省《政府工作报告》重点工作落实情况"},
                                {"id": "next", "label": "2023年分工"}]
    assert [task["plan"] for task in payload["tasks"]] == [0, 0, 1]
    assert [section.get("key") for section in payload["sections"]] == [None, "next-1"]
    facets = search_outputs(catalogue, shard_above=0)["search/facets.js"].decode("utf-8")
    prefix = 'CatalogueSearchShard("facets",0,'
    assert facets.startswith(prefix) and facets.endswith(");\n")
    assert [row[-1] for row in json.loads(facets[len(prefix):-3])] == [0, 0, 1], "the plan, last in each row"


def test_terms_are_in_the_order_lunr_js_inserts_them(tiny):
    """Python sorts 𠮷 (U+20BB7) after 﨎 (U+FA0E); lunr.js compares UTF-16 units, where the
    surrogate of 𠮷 comes first, and throws "Out of order word insertion" otherwise."""
    terms = search_payload(tiny)["index"]["terms"].split(" ")
    assert terms == sorted(terms, key=utf16_order)
    assert terms.index("𠮷﨎") < terms.index("﨎两") < terms.index("﨎山")


@pytest.mark.parametrize("which", ["tiny", "real"])
def test_the_page_unpacks_exactly_the_index_lunr_py_s_own_builder_makes(which, request):
    """The index is made per task and joined, with lunr.py's scores computed without lunr.py's
    Builder (for speed); unpacked by the page, it is the index the stock Builder makes of the same
    terms: same terms, postings and scores; only the numbering of the terms differs."""
    catalogue, index_js = request.getfixturevalue(which), request.getfixturevalue(f"{which}_index")
    serialized = lunr_py_index(catalogue)
    unpacked = search_cli("unpack", index_js)
    assert unpacked["version"] == serialized["version"] == "2.3.9"
    assert unpacked["fields"] == serialized["fields"]
    assert unpacked["pipeline"] == []

    def by_term(index):
        names = {posting["_index"]: term for term, posting in index["invertedIndex"]}
        postings = {term: {field: sorted(docs) for field, docs in posting.items() if field != "_index"}
                    for term, posting in index["invertedIndex"]}
        vectors = {ref: {names[elements[i]]: elements[i + 1] for i in range(0, len(elements), 2)}
                   for ref, elements in index["fieldVectors"]}
        return postings, vectors, [ref for ref, _ in index["fieldVectors"]]

    assert by_term(unpacked) == by_term(serialized)


def test_the_page_checks_matches_against_the_same_strings_as_python(real, real_index):
    assert search_cli("fields", real_index) == [searchable_fields(task) for task in real.tasks]


def test_index_js_assigns_the_data_to_a_global(tiny):
    script = search_outputs(tiny)["search/index.js"].decode("utf-8")
    head, _, body = script.partition("\n")
    assert head.startswith("/*") and head.endswith("*/")
    assert body.startswith("window.CatalogueSearchData={") and body.endswith("};\n")
    data = json.loads(body[len("window.CatalogueSearchData="):-2])
    assert [task["id"] for task in data["tasks"]] == [task.id for task in tiny.tasks]
    assert data["tasks"][0]["path"] == "tasks/1-1/index.html"


@pytest.mark.parametrize("title, label", [
    ("推动创新提速提效，加快实现创新驱动的内涵式增长。", "二、推动创新提速提效"),
    ("积极构建现代产业体系。", "二、积极构建现代产业体系"),
    ("稳定增长；扩大内需，促进消费。", "二、稳定增长"),
    ("稳定增长,扩大内需。", "二、稳定增长"),
])
def test_the_filter_names_a_section_as_the_charts_and_breadcrumbs_do(tiny, monkeypatch, title, label):
    section = tiny.sections[1]
    monkeypatch.setattr(section, "title", title)
    sections = search_payload(tiny)["sections"]
    assert sections[1]["label"] == short_label(section) == label
    assert sections[1]["title"] == title


def test_index_js_escapes_line_separators_and_angle_brackets(tiny, monkeypatch, tmp_path):
    """U+2028 and U+2029 end a string literal in older JavaScript engines, and no `</script`
    may appear raw; the escapes decode to the very same strings in Python and in Node.js."""
    awkward = "推进\u2028数字经济\u2029发展</script><script>alert(1)</script><!--注释-->"
    monkeypatch.setattr(tiny.tasks[0], "text", awkward)
    monkeypatch.setattr(tiny.tasks[4].targets[0], "label", "R&D经费支出增长</SCRIPT >\u2028")
    script = search_outputs(tiny)["search/index.js"]
    for raw in ("\u2028", "\u2029", "<"):
        assert raw.encode("utf-8") not in script, repr(raw)
    assert b"\\u2028" in script and b"\\u2029" in script and b"\\u003c/script>" in script
    body = script.decode("utf-8").partition("\n")[2]
    data = json.loads(body[len("window.CatalogueSearchData="):-2])
    assert data["tasks"][0]["text"] == awkward
    assert data["tasks"][4]["targets"] == ["R&D经费支出增长</SCRIPT >\u2028"]
    index_js = tmp_path / "index.js"
    index_js.write_bytes(script)
    assert search_cli("fields", index_js) == [searchable_fields(task) for task in tiny.tasks]


def test_the_page_and_its_index_stay_within_the_size_budget(real, tmp_path):
    """Everything the search page loads to show results, gzipped, for the 166 tasks."""
    loaded = [search_outputs(real)["search/index.js"]] + [
        (PROJECT_ROOT / "assets" / path).read_bytes()
        for path in ("vendor/lunr/lunr.min.js", "js/tokenize.js", "js/search-engine.js", "js/search.js")]
    assert sum(len(gzip.compress(data, 9)) for data in loaded) <= 100_000


# --- what the engine finds ----------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("鄱阳湖", {"1-1"}),
    ("省科技厅", {"1-1", "1-2", "2-1", "2-3"}),
    ("科技", {"1-1", "1-2", "2-1", "2-3"}),
    ("省人力资源和社会保障厅", {"1-2", "2-3"}),  # an alias
    ("𠮷", {"1-2", "2-3"}),
    ("𠮷田", {"1-2", "2-3"}),
    ("﨎", {"2-2", "2-3"}),
    ("5g", {"1-2"}),
    ("G", {"1-2"}),
    ("vr", {"1-2"}),
    ("r&d", {"2-3"}),
    ("R&", {"2-3"}),
    ("&D经费", {"2-3"}),
    ("12345", {"1-2"}),
    ("234", {"1-2"}),
    ("3.5%", {"2-3"}),
    ("数字 经济", {"2-1", "2-2"}),
    ("数字经济", {"2-1"}),
    ("暂无进展信息", {"1-1", "1-2", "2-1", "2-2", "2-3"}),
    ("开发区", {"2-1", "2-2", "2-3"}),
    ("R&D经费支出增长", {"2-3"}),
    ("湖 热线", set()),
    ("，", {"1-1", "1-2", "2-1", "2-2", "2-3"}),
    ("title:科技", set()),
    ("+科技 -5G", set()),
])
def test_the_engine_finds_every_task_that_contains_the_words(tiny, tiny_index, query, expected):
    assert expected == oracle(tiny, query)
    found = [match["id"] for match in search(tiny_index, query)["matches"]]
    assert set(found) == expected and len(found) == len(set(found))


def test_the_engine_agrees_with_substring_matching_on_the_real_content(real, real_index):
    """Pieces of every kind of string a reader might type, cut at random."""
    rng = random.Random(166)
    queries = set()
    for task in real.tasks:
        for strings in searchable_fields(task).values():
            for string in strings:
                for length in (1, 2, 3, 4, 6):
                    if len(string) >= length:
                        start = rng.randrange(len(string) - length + 1)
                        queries.add(string[start:start + length])
    queries |= {leader.name for leader in real.leaders} | {unit.name for unit in real.units}
    queries = sorted(q for q in queries if q.strip() == q and q)
    pairs = [f"{a} {b}" for a, b in zip(rng.sample(queries, 200), rng.sample(queries, 200))]
    queries += pairs + ["5G", "vr", "R&D", "gdp", "12345", "5g网络"]
    answers = search(real_index, *queries)
    wrong = [(q, sorted({m["id"] for m in a["matches"]} ^ oracle(real, q)))
             for q, a in zip(queries, answers) if {m["id"] for m in a["matches"]} != oracle(real, q)]
    assert not wrong, wrong[:10]
    assert len(queries) > 1500


def test_a_unit_ranks_the_tasks_it_leads_above_those_that_only_name_it(real, real_index):
    units = [unit for unit in real.units if unit.led_tasks]
    for unit, answer in zip(units, search(real_index, *[unit.name for unit in units])):
        ids = [match["id"] for match in answer["matches"]]
        led = {task.id for task in unit.led_tasks}
        co = {task.id for task in unit.co_tasks} - led
        kinds = ["lead" if i in led else "co" if i in co else "mention" for i in ids]
        assert kinds == sorted(kinds, key=["lead", "co", "mention"].index), (unit.name, ids)


def test_the_phrase_ranks_before_the_words_apart(tiny_index):
    matches = search(tiny_index, "数字 经济")["matches"]
    assert [(m["id"], m["tier"]) for m in matches] == [("2-1", 0), ("2-2", 1)]


def test_facets_count_the_matches_each_value_would_leave(tiny_index):
    everything = search(tiny_index, "科技")
    assert everything["facets"]["leader"] == {"luo-xiaoyun": 3, "ji-tian": 2}
    assert everything["facets"]["section"] == {"1": 2, "2": 2}
    narrowed = search(tiny_index, "科技", leader="ji-tian")
    assert set(narrowed["results"]) == {"1-2", "2-3"}
    assert {m["id"] for m in narrowed["matches"]} == {"1-1", "1-2", "2-1", "2-3"}
    assert narrowed["facets"]["leader"] == {"luo-xiaoyun": 3, "ji-tian": 2}  # other choices stay
    assert narrowed["facets"]["section"] == {"1": 1, "2": 1}
    both = search(tiny_index, "科技", leader="ji-tian", section="1")
    assert both["results"] == ["1-2"]
    assert both["facets"]["unit"]["science-technology"] == 1


def test_the_index_is_written_as_compact_json_that_is_also_safe_as_a_script():
    from catalogue.search_index import script_json

    text = script_json({"terms": "a b", "list": [1, "</script><!--", "\u2028\u2029"], "名": "湖"})
    assert text == '{"terms":"a b","list":[1,"\\u003c/script>\\u003c!--","\\u2028\\u2029"],"名":"湖"}'
    assert json.loads(text)["list"][1] == "</script><!--"


def test_a_unit_reached_only_through_a_collective_is_no_filter_but_is_pointed_to(tmp_path):
    """The units the search page filters by are those the tasks name, in the registry's order;
    a city government no task names but through 各设区市政府 is not among them (no task would
    match it), and the page points a reader looking for it to its unit page instead."""
    from tiny_content import write_tiny_content

    payload = search_payload(check(Paths(content=write_tiny_content(tmp_path))))
    assert [unit["name"] for unit in payload["units"]] == ["省科技厅", "南昌市政府", "各设区市政府"]
    # 1-1 names 各设区市政府 (third of those), 1-2 南昌市政府 (second).
    assert [task["units"] for task in payload["tasks"]] == [[2], [1]]
    assert [(unit["name"], unit["total"], unit["via"]) for unit in payload["shared"]] == [
        ("南昌市政府", 2, ["各设区市政府"]), ("九江市政府", 1, ["各设区市政府"])]
