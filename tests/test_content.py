"""content/ checked against the source document, read here with its own simple parser."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SOURCE = CONTENT / "source" / "赣府厅字〔2021〕8号.txt"
REGISTRIES = ("site.yaml", "sections.yaml", "leaders.yaml", "units.yaml", "statuses.yaml")
DECLARED = {1: 17, 2: 16, 3: 19, 4: 16, 5: 16, 6: 24, 7: 18, 8: 40}
CITIES = ["南昌市政府", "九江市政府", "景德镇市政府", "萍乡市政府", "新余市政府", "鹰潭市政府",
          "赣州市政府", "吉安市政府", "宜春市政府", "抚州市政府", "上饶市政府"]
KINDS = ["provincial_department", "party_organ", "public_institution", "city_government", "new_area",
         "central_unit", "enterprise",
         "peoples_organisation", "coordination_body", "collective"]
CJK = r"\u2e80-\u9fff\uff00-\uffef“”"

# Hand-counted from the document's 省政府牵头领导 column (a task with several leaders counts
# once for each): 166 tasks, 17 extra names in multi-leader rows, 183 in all.
LEADER_COUNTS = {"罗小云": 14, "孙菊生": 18, "殷美根": 75, "吴浩": 25,
                 "陈小平": 14, "胡强": 33, "易炼红": 1, "秦义": 3}


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- an independent, naive reading of the source --------------------------------------------

def raw_rows() -> dict[str, list[str]]:
    """Task id -> the row's tab-separated cells exactly as in the scan (number stripped)."""
    rows, section = {}, 0
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        if re.match(r"^[一二三四五六七八]、", line):
            section += 1
        elif match := re.match(r"^(\d+)\.\s*", line):
            cells = line.split("\t")
            cells[0] = cells[0][match.end():]
            rows[f"{section}-{match[1]}"] = cells
    return rows


def raw_headings() -> list[tuple[str, int]]:
    """(title as scanned, declared count) for each section heading."""
    return [(m[1], int(m[2])) for m in
            re.finditer(r"^[一二三四五六七八]、(.+?)\((\d+)项\)", SOURCE.read_text(encoding="utf-8"), re.M)]


def normalise(text: str) -> str:
    """The document's text as published: tags and all whitespace gone, half-width punctuation widened."""
    text = re.sub(r"</?u>|\s+", "", text)
    return text.replace(",", "，").replace("(", "（").replace(")", "）")


RAW = raw_rows()
TASKS = {t["id"]: t for t in (load(p) for p in sorted((CONTENT / "tasks").glob("*.yaml")))}
UNITS = load(CONTENT / "units.yaml")
UNIT_NAMES = {u["name"]: u for u in UNITS}
ALIASES = {a: u["name"] for u in UNITS for a in u.get("aliases", [])}
LEADERS = load(CONTENT / "leaders.yaml")
ENTRIES = load(CONTENT / "source" / "corrections.yaml")
CORRECTIONS = [e for e in ENTRIES if e.get("kind") != "doubt"]
DOUBTS = [e for e in ENTRIES if e.get("kind") == "doubt"]


def corrected_raw(task_id: str, column: int, field: str) -> str:
    """A raw cell with the audited corrections of corrections.yaml applied."""
    cell = RAW[task_id][column]
    for item in CORRECTIONS:
        if item["task"] == task_id and item["field"] == field:
            cell = cell.replace(item["original"], item["corrected"])
    return cell


# --- counts and structure -------------------------------------------------------------------

def test_166_tasks_one_file_each_named_by_id():
    files = sorted(p.name for p in (CONTENT / "tasks").glob("*.yaml"))
    assert len(files) == 166 == len(TASKS) == len(RAW)
    for task_id, task in TASKS.items():
        section, number = map(int, task_id.split("-"))
        assert (task["section"], task["number"]) == (section, number)
        assert f"{section}-{number:02d}.yaml" in files
    assert set(TASKS) == set(RAW)


def test_section_counts_equal_the_declared_counts():
    counts = Counter(t["section"] for t in TASKS.values())
    assert dict(counts) == DECLARED
    sections = load(CONTENT / "sections.yaml")
    assert {s["number"]: s["declared_count"] for s in sections} == DECLARED
    assert [count for _title, count in raw_headings()] == list(DECLARED.values())


def test_sections_and_subsections_match_the_document():
    sections = load(CONTENT / "sections.yaml")
    assert [s["title"] for s in sections] == [normalise(title) for title, _ in raw_headings()]
    text = SOURCE.read_text(encoding="utf-8")
    subsections = [normalise(m[1]) for m in re.finditer(r"^\([一二三四五]\)\s*(\S+)\t", text, re.M)]
    assert [sub["title"] for s in sections for sub in s["subsections"]] == subsections
    for s in sections:
        assert [sub["number"] for sub in s["subsections"]] == list(range(1, len(s["subsections"]) + 1))
        used = {t["subsection"] for t in TASKS.values() if t["section"] == s["number"]}
        assert used == {sub["number"] for sub in s["subsections"]}


def test_every_task_text_is_the_document_text_cleaned_and_corrected():
    for task_id, task in TASKS.items():
        assert task["text"] == normalise(corrected_raw(task_id, 0, "text")), task_id


def test_imported_defaults():
    for task in TASKS.values():
        fields = ["id", "section", "subsection", "number", "title", "text", "leaders", "lead_units",
                  "responsible_units", "timeframe", "subjects", "status", "deadline", "targets", "updates"]
        assert list(task) == [f for f in fields if f in task]


def test_no_deadline_without_a_source():
    """The document sets no per-task deadline: any deadline must say where it comes from."""
    for task_id, task in TASKS.items():
        if "deadline" in task:
            assert isinstance(task["deadline"], dict) and task["deadline"]["source"], task_id


def test_multi_year_and_ongoing_tasks_are_marked_from_their_words():
    marked = {task_id: task["timeframe"] for task_id, task in TASKS.items() if "timeframe" in task}
    assert marked["8-11"] == {"kind": "multi_year", "phrases": ["五年行动计划"]}
    assert marked["8-27"] == {"kind": "ongoing", "phrases": ["常态化"]}
    assert marked["8-14"]["kind"] == "ongoing" and marked["4-14"]["kind"] == "multi_year"
    for task_id, task in TASKS.items():
        words = re.search(r"[三五]年|常态化|长效机制|持续", task["text"])
        assert bool(words) == (task_id in marked), task_id


# --- leaders --------------------------------------------------------------------------------

def test_leader_task_counts():
    counts = Counter(name for t in TASKS.values() for name in t["leaders"])
    assert dict(counts) == LEADER_COUNTS
    assert sum(counts.values()) == 183


def test_leader_counts_agree_with_a_naive_count_of_the_raw_column():
    column = {task_id: re.sub(r"\s+", "", cells[1]) for task_id, cells in RAW.items()}
    naive = {name: sum(name in cell for cell in column.values()) for name in LEADER_COUNTS}
    assert naive == LEADER_COUNTS


def test_leaders_registry_is_exactly_the_documents_leaders():
    names = [leader["name"] for leader in LEADERS]
    # Rank order with the governor first (sources cited in leaders.yaml), not order of appearance.
    assert names == ["易炼红", "殷美根", "孙菊生", "秦义", "胡强", "陈小平", "吴浩", "罗小云"]
    everything = "".join(re.sub(r"\s+", "", cells[1]) for cells in RAW.values())
    for name in names:
        everything = everything.replace(name, "")
    assert everything == ""  # no leader in the column is missing from the registry
    assert all(set(leader) <= {"name", "slug", "post", "post_source"} for leader in LEADERS)
    text = (CONTENT / "leaders.yaml").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    for leader in LEADERS:  # every post names the page that states it, and the comments say what that page is
        assert leader.get("post") and leader.get("post_source", "").startswith("http"), leader["name"]
        assert any(leader["name"] in line and "20" in line for line in comments), leader["name"]
    posts = {leader["name"]: leader["post"] for leader in LEADERS}
    assert posts["易炼红"] == "省长" and posts["殷美根"] == "常务副省长" and posts["吴浩"] == posts["罗小云"] == "副省长"


def test_leader_slugs_are_the_pinyin_of_the_name():
    for leader in LEADERS:
        syllables = lazy_pinyin(leader["name"])
        assert leader["slug"] == syllables[0] + "-" + "".join(syllables[1:])


# --- units ----------------------------------------------------------------------------------

def test_every_unit_in_every_task_is_a_registry_name():
    for task in TASKS.values():
        for name in task["lead_units"] + task["responsible_units"]:
            assert name in UNIT_NAMES, (task["id"], name)
        assert task["lead_units"], task["id"]


def test_task_units_are_the_document_cells_regrouped():
    for task_id, task in TASKS.items():
        for column, field in ((2, "lead_units"), (3, "responsible_units")):
            raw = normalise(corrected_raw(task_id, column, field))
            for alias, name in ALIASES.items():
                raw = raw.replace(alias, name)
            assert "".join(task[field]) == raw, (task_id, field)


def test_every_registry_unit_is_used_or_is_a_member():
    used = {n for t in TASKS.values() for n in t["lead_units"] + t["responsible_units"]}
    members = {m for u in UNITS for m in u.get("members", [])}
    assert set(UNIT_NAMES) == used | members
    assert len(UNITS) == 103


def test_unit_registry_shape():
    slugs = [u["slug"] for u in UNITS]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)
    names = [u["name"] for u in UNITS] + list(ALIASES)
    assert len(names) == len(set(names))
    assert all(u["kind"] in KINDS for u in UNITS)
    assert [u["kind"] for u in UNITS] == sorted((u["kind"] for u in UNITS), key=KINDS.index)
    assert all(set(u) <= {"name", "slug", "kind", "aliases", "short_names", "members"} for u in UNITS)


def test_city_governments_and_the_collective_that_stands_for_them():
    for city in CITIES:
        assert UNIT_NAMES[city]["kind"] == "city_government"
    assert UNIT_NAMES["各设区市政府"]["members"] == CITIES
    assert UNIT_NAMES["各设区市政府"]["kind"] == "collective"
    assert UNIT_NAMES["赣江新区管委会"]["kind"] == "new_area"  # a national new area, not a city
    assert "赣江新区管委会" not in UNIT_NAMES["各设区市政府"]["members"]


@pytest.mark.parametrize("name, kind", [
    ("省科技厅", "provincial_department"), ("省发展改革委", "provincial_department"),
    ("省政府台办", "provincial_department"), ("省管局", "provincial_department"),
    ("省国家安全厅", "provincial_department"), ("省科学院", "public_institution"), ("省农科院", "public_institution"),
    ("省委组织部", "party_organ"), ("省委编办", "party_organ"), ("省委军民融合办", "party_organ"),
    ("省委国安办", "party_organ"), ("省委政法委", "party_organ"), ("省委宣传部", "party_organ"),
    ("人行南昌中心支行", "central_unit"), ("江西银保监局", "central_unit"), ("江西证监局", "central_unit"),
    ("南昌海关", "central_unit"), ("民航江西监管局", "central_unit"), ("省气象局", "central_unit"),
    ("省通信管理局", "central_unit"), ("省税务局", "central_unit"),
    ("南昌铁路局", "enterprise"), ("中国电信江西公司", "enterprise"), ("国网江西省电力公司", "enterprise"),
    ("省机场集团公司", "enterprise"),
    ("团省委", "peoples_organisation"), ("省妇联", "peoples_organisation"), ("省残联", "peoples_organisation"),
    ("省总工会", "peoples_organisation"), ("省工商联", "peoples_organisation"),
    ("省推进交通强省建设领导小组成员单位", "coordination_body"),
    ("省中长期青年发展规划实施工作厅际联席会议成员单位", "coordination_body"),
    ("省新冠肺炎疫情防控指挥部成员单位", "coordination_body"),
    ("省安全生产委员会成员单位", "coordination_body"),
    ("省经济和金融安全工作协调机制各成员单位", "coordination_body"),
    ("各设区市政府", "collective"), ("具有政务服务职能的省直单位", "collective"),
    ("产业链链长制牵头单位", "collective"), ("项目所属省直单位、中央企业、省属企业", "collective"),
])
def test_unit_kinds(name, kind):
    assert UNIT_NAMES[name]["kind"] == kind


def test_the_unit_spelled_two_ways():
    text = SOURCE.read_text(encoding="utf-8")
    assert text.count("省人力资源社会保障厅") == 19 and text.count("省人力资源和社会保障厅") == 3
    assert ALIASES == {"省人力资源和社会保障厅": "省人力资源社会保障厅"}
    assert all("省人力资源和社会保障厅" not in t["lead_units"] + t["responsible_units"] for t in TASKS.values())


# --- no scan artefacts ----------------------------------------------------------------------

def strings(value):
    """Every string inside a YAML value (mapping keys and values, list items)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def content_documents():
    for name in REGISTRIES:
        yield name, CONTENT / name
    for path in sorted((CONTENT / "tasks").glob("*.yaml")):
        yield f"tasks/{path.name}", path


def without_sources(data):
    """A cited source keeps its title as published; only the document's text is cleaned."""
    if isinstance(data, dict):
        return {k: without_sources(v) for k, v in data.items() if k != "source"}
    if isinstance(data, list):
        return [without_sources(v) for v in data]
    return data


@pytest.mark.parametrize("name, path", list(content_documents()),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_no_scan_artefacts(name, path):
    text = path.read_text(encoding="utf-8")
    for artefact in ("<u>", "</u>", "✓", "△", "具体工作任务和要求", "\t", "\r"):
        assert artefact not in text, artefact
    for value in strings(without_sources(yaml.safe_load(text))):
        assert not re.search(rf"[{CJK}]\s+[{CJK}]", value), value
        assert not re.search(rf"[{CJK}]\s|\s[{CJK}]", value), value
        assert not re.search(rf"[{CJK}][,()]|[,()][{CJK}]", value), value
        assert "牵头领导" not in value or name == "site.yaml"
        assert value == value.strip()


def test_names_have_no_spaces():
    for task in TASKS.values():
        for name in task["leaders"] + task["lead_units"] + task["responsible_units"]:
            assert not re.search(r"\s", name), name
    for entry in UNITS + LEADERS:
        assert not re.search(r"\s", entry["name"])


# --- tricky rows, field by field ------------------------------------------------------------

TRICKY = {
    # several leaders in one row
    "3-4": (3, 1, ["殷美根", "吴浩", "罗小云"], ["省发展改革委", "省交通运输厅", "省水利厅"],
            ["南昌铁路局", "国网江西省电力公司", "省机场集团公司", "南昌市政府", "九江市政府", "景德镇市政府",
             "萍乡市政府", "新余市政府", "鹰潭市政府", "宜春市政府", "赣州市政府", "吉安市政府"]),
    "3-7": (3, 2, ["殷美根", "胡强", "吴浩"], ["省交通运输厅", "省发展改革委", "省商务厅"],
            ["南昌市政府", "鹰潭市政府", "宜春市政府", "上饶市政府", "吉安市政府"]),
    "5-12": (5, 2, ["殷美根", "胡强", "罗小云"],
             ["省委军民融合办", "省商务厅", "省工业和信息化厅", "省科技厅", "省金融监管局"],
             ["省财政厅", "省卫生健康委", "省国资委", "各设区市政府", "赣江新区管委会"]),
    "8-40": (8, 4, ["殷美根", "胡强", "陈小平", "吴浩"],
             ["省民宗局", "省外办", "省政府侨办", "省政府台办", "省援疆办", "省总工会", "团省委", "省妇联", "省残联"],
             ["各设区市政府"]),
    # unit names split across a line break
    "3-5": (3, 2, ["吴浩"], ["省交通运输厅"], ["省推进交通强省建设领导小组成员单位"]),
    "6-1": (6, 1, ["陈小平"], ["省自然资源厅"], ["省国土空间规划工作领导小组成员单位"]),
    "8-29": (8, 4, ["殷美根"], ["省发展改革委", "省金融监管局", "省工业和信息化厅", "省商务厅"],
             ["省经济和金融安全工作协调机制各成员单位", "各设区市政府"]),
    "1-14": (1, 3, ["吴浩"], ["团省委"], ["省中长期青年发展规划实施工作厅际联席会议成员单位", "各设区市政府"]),
    "3-1": (3, 1, ["殷美根"], ["省发展改革委"],
            ["项目所属省直单位、中央企业、省属企业", "各设区市政府", "赣江新区管委会"]),
    "2-10": (2, 2, ["殷美根"], ["省发展改革委"],
             ["省数字经济创新发展领导小组成员单位", "各设区市政府", "赣江新区管委会"]),
    # the unit written two ways
    "8-11": (8, 2, ["殷美根"], ["省人力资源社会保障厅"], ["省财政厅", "省卫生健康委", "省医保局", "各设区市政府"]),
    "8-14": (8, 2, ["胡强"], ["省民政厅"],
             ["省教育厅", "省人力资源社会保障厅", "省住房城乡建设厅", "省扶贫办", "省医保局", "省卫生健康委", "各设区市政府"]),
    "8-15": (8, 3, ["孙菊生"], ["省教育厅"], ["省发展改革委", "省财政厅", "省人力资源社会保障厅", "各设区市政府"]),
    # rows carrying the reader's underlines and ✓/△ marks
    "1-6": (1, 2, ["罗小云"], ["省科技厅"],
            ["省发展改革委", "省工业和信息化厅", "省人力资源社会保障厅", "省财政厅", "各设区市政府", "赣江新区管委会"]),
    "8-3": (8, 1, ["殷美根"], ["省人力资源社会保障厅"], ["各设区市政府"]),
    "8-7": (8, 2, ["殷美根"], ["省发展改革委", "省民政厅"], ["省卫生健康委", "省人力资源社会保障厅", "省教育厅", "各设区市政府"]),
    "8-9": (8, 2, ["殷美根"], ["省医保局"], ["江西银保监局", "省财政厅", "省人力资源社会保障厅", "各设区市政府"]),
    # corrections
    "7-16": (7, 3, ["殷美根", "陈小平"], ["省财政厅", "省生态环境厅"], ["各设区市政府"]),
    "8-12": (8, 2, ["胡强"], ["省民政厅", "省妇联", "省残联"], ["省卫生健康委", "团省委", "各设区市政府"]),
}

TEXTS = {
    "1-5": "实施研发投入攻坚行动，提高重点领域基础研究投入占比，力争R&D经费支出占GDP比重达2%左右。",
    "8-3": "打造“劳动力地图”，防范规模裁员失业风险。",
    "8-7": "实施积极应对人口老龄化国家战略。",
    "8-9": "推进长期护理保险试点，规范发展第三支柱养老保险。",
    "7-16": "落实东江流域、渌水流域横向生态保护补偿协议。",
    "8-12": "加强婴幼儿、老年人、残疾人、农村留守儿童等关爱服务体系建设，健全困境儿童分类保障制度。",
    "3-5": "推进高水平交通强省建设，开展高速公路服务区品质提升行动。",
    "6-4": "支持赣州省域副中心城市和“两城两谷两带”、吉泰走廊、向莆经济带建设，争取国家继续支持赣南等原中央苏区高质量发展。",
}


@pytest.mark.parametrize("task_id", sorted(TRICKY))
def test_tricky_rows(task_id):
    section, subsection, leaders, lead, responsible = TRICKY[task_id]
    task = TASKS[task_id]
    assert (task["section"], task["subsection"]) == (section, subsection)
    assert task["leaders"] == leaders
    assert task["lead_units"] == lead
    assert task["responsible_units"] == responsible


@pytest.mark.parametrize("task_id", sorted(TEXTS))
def test_tricky_texts(task_id):
    assert TASKS[task_id]["text"] == TEXTS[task_id]


def test_rows_with_reader_marks_really_carry_them():
    marked = {task_id: cells[4] for task_id, cells in RAW.items() if len(cells) > 4 and cells[4]}
    assert marked == {"8-3": "✓", "8-4": "✓", "8-5": "✓", "8-6": "✓", "8-7": "△", "8-9": "△"}


# --- corrections ----------------------------------------------------------------------------

def test_every_correction_is_in_the_scan_and_its_fix_in_content():
    columns = {"text": 0, "leaders": 1, "lead_units": 2, "responsible_units": 3}
    for item in CORRECTIONS:
        row = RAW[item["task"]][columns[item["field"]]]
        assert row.count(item["original"]) == 1, item
        published = TASKS[item["task"]][item["field"]]
        published = published if isinstance(published, str) else "".join(published)
        assert normalise(item["corrected"]) in published, item
        assert normalise(item["original"]) not in published, item
        assert normalise(item["original"]) != normalise(item["corrected"]), "not a character change"
        assert set(item) - {"evidence_url"} == {"task", "field", "original", "corrected", "why", "evidence"}
        assert (item["evidence"] == "outside_source") == ("evidence_url" in item)
        assert re.search(rf"[{CJK}]", item["why"])


def test_known_misreadings_are_corrected():
    fixed = {(c["task"], c["original"], c["corrected"]) for c in CORRECTIONS}
    assert ("7-16", "涿水流域", "渌水流域") in fixed
    assert ("8-12", "体系建,健全", "体系建设,健全") in fixed
    assert ("1-14", "工作厅 联席会议", "工作厅际联席会议") in fixed
    published = "".join(t["text"] for t in TASKS.values())
    assert "涿水" not in published and "体系建，" not in published


# --- targets --------------------------------------------------------------------------------

UNIT_RE = r"(\d+(?:\.\d+)?)(万亿元|亿元|万亩|亿斤|万人|万户|万个|公里|家|个|项|%|所|名|座|吨)"
NOT_TARGETS = {("2-2", 100, "吨")}  # 德兴100吨黄金精炼 is a project's name


def as_number(text: str):
    return float(text) if "." in text else int(text)


@pytest.mark.parametrize("task_id, expected", [
    ("1-9", [("新增独角兽（潜在、种子）企业", 10, "家", "exactly"), ("新增瞪羚企业", 80, "家", "exactly"),
             ("新增高新技术企业", 1500, "家", "exactly")]),
    ("3-1", [("重点实施省大中型项目", 3067, "个", "exactly"), ("省大中型项目年度投资", 9600, "亿元", "about")]),
    ("6-7", [("高标准农田建设", 317, "万亩", "exactly"), ("粮食种植面积", 5658.6, "万亩", "exactly"),
             ("粮食产量", 432.8, "亿斤", "at_least")]),
    ("8-1", [("新增发放创业担保贷款", 110, "亿元", "exactly"), ("城镇新增就业", 38, "万人", "exactly")]),
    ("1-5", [("R&D经费支出占GDP比重", 2, "%", "about")]),
    ("3-10", [("社会消费品零售总额", 1.1, "万亿元", "at_least")]),
])
def test_targets_of_key_tasks(task_id, expected):
    targets = TASKS[task_id]["targets"]
    assert [(t["label"], t["target"], t["unit"], t["comparator"]) for t in targets] == expected
    stated = [(as_number(n), u) for n, u in re.findall(UNIT_RE, TASKS[task_id]["text"])]
    assert [(t["target"], t["unit"]) for t in targets] == stated


def test_every_number_with_a_unit_is_a_target_unless_deliberately_excluded():
    for task_id, task in TASKS.items():
        stated = [(as_number(n), u) for n, u in re.findall(UNIT_RE, task["text"])
                  if (task_id, as_number(n), u) not in NOT_TARGETS]
        numbers = [t for t in task["targets"] if t.get("kind") != "milestone" and "冲" not in t["label"]]
        assert [(t["target"], t["unit"]) for t in numbers] == stated, task_id


def test_years_ordinals_and_codes_are_not_targets():
    values = {(t["target"], t["unit"]) for task in TASKS.values() for t in task["targets"] if "target" in t}
    assert not any(v in (2019, 2020, 2021, 12345) for v, _ in values)
    assert sum(len(t["targets"]) for t in TASKS.values()) == 39 + 1 + 8  # digits, 冲千亿, milestones


def test_word_and_milestone_targets_are_found():
    def labels(task_id):
        return {t["label"]: t for t in TASKS[task_id]["targets"]}
    assert labels("3-11")["旅游接待人次和收入恢复到2019年水平"]["kind"] == "milestone"
    assert labels("7-4")["赣江干流基本达到Ⅱ类水质"]["kind"] == "milestone"
    assert labels("4-14")["江铜集团三年创新倍增"]["kind"] == "milestone"
    assert labels("4-14")["新钢集团转型升级“冲千亿”目标"]["target"] == 1000
    assert labels("6-22")["城市原生生活垃圾基本“零填埋”"]["kind"] == "milestone"
    assert labels("8-2")["零就业家庭动态清零"]["kind"] == "milestone"
    for task_id in ("3-9", "3-16", "8-15"):
        assert any(label.endswith("全覆盖") for label in labels(task_id)), task_id


def test_target_records_are_complete():
    for task in TASKS.values():
        for target in task["targets"]:
            if target.get("kind") == "milestone":
                assert list(target)[:4] == ["label", "kind", "achieved", "achieved_date"]
                assert set(target) <= {"label", "kind", "achieved", "achieved_date", "source", "searched"}
                assert ("source" in target) == (target["achieved"] is not None), "an outcome has its source"
                continue
            assert list(target)[:6] == ["label", "target", "unit", "comparator", "actual", "actual_date"]
            assert target["comparator"] in {"at_least", "about", "at_most", "exactly"}
            assert isinstance(target["target"], (int, float)) and target["label"]


# --- statuses and site ----------------------------------------------------------------------

def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of a #rrggbb colour against white."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_status_vocabulary():
    statuses = load(CONTENT / "statuses.yaml")
    assert [(s["code"], s["label"]) for s in statuses] == [
        ("no_information", "暂无进展信息"), ("in_progress", "推进中"), ("on_track", "序时推进"),
        ("lagging", "进度滞后"), ("not_started", "未启动"), ("partly_met", "部分完成"), ("completed", "已完成"),
        ("missed", "未完成"), ("ongoing", "持续推进"), ("not_reported", "未报送")]
    # The default speaks of the site, not of a unit; only a round of collecting makes 未报送.
    default, not_reported = statuses[0], statuses[-1]
    assert "报送" not in default["label"] and "不表示" in default["meaning"] and "本站" in default["meaning"]
    assert "征集" in not_reported["meaning"]
    for status in statuses:
        assert re.fullmatch(r"#[0-9a-f]{6}", status["color"])
        assert contrast_with_white(status["color"]) >= 4.5, status["code"]
        assert status["meaning"].endswith("。")
    assert len({s["color"] for s in statuses}) == len(statuses)


def test_task_statuses_are_known_and_agree_with_the_newest_update():
    codes = {s["code"] for s in load(CONTENT / "statuses.yaml")}
    for task in TASKS.values():
        assert task["status"] in codes
        if task["updates"]:
            assert task["status"] == task["updates"][-1]["status"]


def test_site():
    site = load(CONTENT / "site.yaml")
    # No placeholder address or repository: an unknown value is left out, never invented.
    assert "base_url" not in site and "repository" not in site
    assert site["source_date"] == dt.date(2021, 2, 10)
    assert site["as_of"] >= site["source_date"], "statuses are reported after the plan was issued"
    assert site["source_number"] == "赣府厅字〔2021〕8号"
    assert site["source_number"] in SOURCE.read_text(encoding="utf-8")
