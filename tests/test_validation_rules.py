"""Each validation rule, on the small content of tests/tiny_content.py bent one way at a time:
the exact file and field reported, and nothing reported for the nearest valid value."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from catalogue.load import read_content
from catalogue.validate import validate
from tiny_content import dump, write_tiny_content

TODAY = dt.date(2026, 1, 1)


@pytest.fixture
def tiny(tmp_path):
    return write_tiny_content(tmp_path)


def edit(content, name, change):
    path = content / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump(data), encoding="utf-8")


def problems(content) -> list[tuple[str, str]]:
    return [(e.file.removeprefix("content/"), e.field) for e in validate(read_content(content), today=TODAY)]


def task(change):
    return lambda data: change(data)


RULES = {
    # name: (file, change, expected (file, field) problems)
    "section that does not exist": ("tasks/1-02.yaml", lambda t: t.update(section=2),
                                    [("tasks/1-02.yaml", "section"), ("tasks/1-02.yaml", "id"),
                                     ("sections.yaml", "[1].declared_count")]),
    "subsection that does not exist": ("tasks/1-02.yaml", lambda t: t.update(subsection=3),
                                       [("tasks/1-02.yaml", "subsection")]),
    "id disagreeing with the number": ("tasks/1-02.yaml", lambda t: t.update(number=3),
                                       [("tasks/1-02.yaml", "id")]),
    "id in the wrong format": ("tasks/1-02.yaml", lambda t: t.update(id="1.2"), [("tasks/1-02.yaml", "id")]),
    "id with a leading zero": ("tasks/1-02.yaml", lambda t: t.update(id="1-02"), [("tasks/1-02.yaml", "id")]),
    "number zero": ("tasks/1-02.yaml", lambda t: t.update(number=0),
                    [("tasks/1-02.yaml", "number")]),
    "section zero": ("tasks/1-02.yaml", lambda t: t.update(section=0),
                     [("tasks/1-02.yaml", "section"), ("sections.yaml", "[1].declared_count")]),
    "number as text": ("tasks/1-02.yaml", lambda t: t.update(number="2"), [("tasks/1-02.yaml", "number")]),
    "number true": ("tasks/1-02.yaml", lambda t: t.update(number=True), [("tasks/1-02.yaml", "number")]),
    "unknown comparator": ("tasks/1-02.yaml", lambda t: t["targets"][0].update(comparator="more"),
                           [("tasks/1-02.yaml", "targets[1].comparator")]),
    "target as text": ("tasks/1-02.yaml", lambda t: t["targets"][0].update(target="1500家"),
                       [("tasks/1-02.yaml", "targets[1].target")]),
    "actual true": ("tasks/1-02.yaml", lambda t: t["targets"][0].update(actual=True),
                    [("tasks/1-02.yaml", "targets[1].actual")]),
    "actual_date not a date": ("tasks/1-02.yaml", lambda t: t["targets"][0].update(actual_date="6月底"),
                               [("tasks/1-02.yaml", "targets[1].actual_date")]),
    "leaders as text": ("tasks/1-02.yaml", lambda t: t.update(leaders="罗小云"), [("tasks/1-02.yaml", "leaders")]),
    "no lead unit": ("tasks/1-02.yaml", lambda t: t.update(lead_units=[]), [("tasks/1-02.yaml", "lead_units")]),
    "a unit and its alias": ("tasks/1-02.yaml", lambda t: t.update(lead_units=["省科技厅", "省科学技术厅"]),
                             [("tasks/1-02.yaml", "lead_units")]),
    "updates out of date order": ("tasks/1-02.yaml", lambda t: t["updates"].insert(0, {
        "date": dt.date(2021, 8, 1), "status": "on_track", "note": "后写的日期却在前。"}),
        [("tasks/1-02.yaml", "updates[2].date")]),
    "status differing from the newest update": ("tasks/1-02.yaml", lambda t: t.update(status="completed"),
                                                [("tasks/1-02.yaml", "status")]),
    "changed status without an update": ("tasks/1-01.yaml", lambda t: t.update(status="on_track"),
                                         [("tasks/1-01.yaml", "status")]),
    "status code in capitals": ("statuses.yaml", lambda s: s[2].update(code="On_Track"),
                                [("statuses.yaml", "[3].code"), ("tasks/1-02.yaml", "status"),
                                 ("tasks/1-02.yaml", "updates[1].status")]),
    "status code of 31 letters": ("statuses.yaml", lambda s: s.append(
        {"code": "a" * 31, "label": "暂缓推进", "color": "#374151", "meaning": "经批准暂缓推进。"}),
        [("statuses.yaml", "[11].code")]),
    "status colour not #RRGGBB": ("statuses.yaml", lambda s: s[2].update(color="blue"), [("statuses.yaml", "[3].color")]),
    "duplicate leader slug": ("leaders.yaml", lambda l: l[1].update(slug="luo-xiaoyun"), [("leaders.yaml", "[2].slug")]),
    "unit kind unknown": ("units.yaml", lambda u: u[0].update(kind="ministry"), [("units.yaml", "[1].kind")]),
    "collective inside a collective": ("units.yaml", lambda u: u.append({
        "name": "全省", "slug": "all", "kind": "collective", "members": ["各设区市政府"]}),
        [("units.yaml", "[5].members[1]")]),
    "declared count wrong": ("sections.yaml", lambda s: s[0].update(declared_count=3),
                             [("sections.yaml", "[1].declared_count")]),
    "subsection number zero": ("sections.yaml", lambda s: s[0]["subsections"][0].update(number=0),
                               [("sections.yaml", "[1].subsections[1].number"), ("tasks/1-01.yaml", "subsection")]),
    "update dated before the document": ("tasks/1-02.yaml", lambda t: t["updates"][0].update(date=dt.date(2020, 1, 1)),
                                         [("tasks/1-02.yaml", "updates[1].date")]),
    "update's source dated after today": ("tasks/1-02.yaml", lambda t: t["updates"][0].update(source={
        "title": "省科技厅报告", "date": dt.date(2026, 1, 2), "kind": "lead_unit_submission"}),
        [("tasks/1-02.yaml", "updates[1].source.date")]),
    "update's source titled on two lines": ("tasks/1-02.yaml", lambda t: t["updates"][0].update(source={
        "title": "省科技厅\n报告", "date": dt.date(2021, 7, 10), "kind": "lead_unit_submission"}),
        [("tasks/1-02.yaml", "updates[1].source.title")]),
    "post held from no date": ("leaders.yaml", lambda l: l[0].update(posts=[{"post": "副省长", "from": "2021年"}]),
                               [("leaders.yaml", "[1].posts[1].from")]),
    "continuing a plan that does not exist": ("tasks/1-02.yaml", lambda t: t.update(continues="2019/1-2"),
                                              [("tasks/1-02.yaml", "continues")]),
    "milestone labelled on two lines": ("tasks/1-02.yaml", lambda t: t["targets"].append(
        {"label": "认定\n办法", "kind": "milestone"}), [("tasks/1-02.yaml", "targets[2].label")]),
    "post on two lines": ("leaders.yaml", lambda l: l[0].update(posts=[{"post": "副\n省长", "from": dt.date(2021, 1, 1)}]),
                          [("leaders.yaml", "[1].posts[1].post")]),
    "plan's short title on two lines": ("site.yaml", lambda s: s.update(plan_short_title="重点\n工作"),
                                        [("site.yaml", "plan_short_title")]),
    "section number twice": ("sections.yaml", lambda s: s.append({
        "number": 1, "title": "重复的篇章。", "declared_count": 2,
        "subsections": [{"number": 1, "title": "重复。"}, {"number": 2, "title": "又重复。"}]}),
        [("sections.yaml", "[2].number")]),
    "base_url without a slash": ("site.yaml", lambda s: s.update(base_url="https://example.net/x"),
                                 [("site.yaml", "base_url")]),
    "branch on two lines": ("site.yaml", lambda s: s.update(branch="ma\nin"), [("site.yaml", "branch")]),
    "post with a field of no meaning": ("leaders.yaml", lambda l: l[0].update(
        posts=[{"post": "副省长", "from": dt.date(2021, 1, 1), "till": dt.date(2022, 1, 1)}]),
        [("leaders.yaml", "[1].posts[1].till")]),
    "subsection number past the limit": ("sections.yaml", lambda s: s[0]["subsections"][0].update(number=1000),
                                         [("sections.yaml", "[1].subsections[1].number"), ("tasks/1-01.yaml", "subsection")]),
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_reports_exactly_its_file_and_field(rule, tiny):
    file, change, expected = RULES[rule]
    assert problems(tiny) == [], "the tiny content is valid to begin with"
    edit(tiny, file, change)
    assert sorted(set(problems(tiny))) == sorted(expected)


def test_updates_on_one_day_are_in_order_and_a_later_one_first_is_not(tiny):
    def same_day(t):
        t["updates"].append({"date": dt.date(2021, 7, 10), "status": "on_track", "note": "同日再报。"})

    edit(tiny, "tasks/1-02.yaml", same_day)
    assert problems(tiny) == []

    def earlier_last(t):
        t["updates"].append({"date": dt.date(2021, 7, 9), "status": "on_track", "note": "日期倒退。"})

    edit(tiny, "tasks/1-02.yaml", earlier_last)
    assert problems(tiny) == [("tasks/1-02.yaml", "updates[3].date")]


def messages(content) -> list[tuple[str, str, str]]:
    return [(e.field, e.zh, e.en) for e in validate(read_content(content), today=TODAY)]


@pytest.mark.parametrize("file, change, expected", [
    ("tasks/1-02.yaml", lambda t: t.update(continues="2019/1-2"),
     ("continues", "continues 应写成“计划编号/任务编号”，例如 2021/1-1；没有计划“2019”。已有的计划：2021。",
      "continues must be <plan>/<task>, e.g. 2021/1-1; there is no plan '2019'.")),
    ("sections.yaml", lambda s: s[0]["subsections"][0].update(number=1000),
     ("[1].subsections[1].number", "应为 1 到 999 之间的整数，实际是“1000”。",
      "expected a whole number from 1 to 999, found '1000'.")),
    ("units.yaml", lambda u: u[0].update(aliases="省科学技术厅"),
     ("[1].aliases", "aliases 应为列表。", "aliases must be a list.")),
    ("site.yaml", lambda s: s.update(search_examples="看病"),
     ("search_examples", "search_examples 应为列表。", "search_examples must be a list.")),
])
def test_a_message_reads_in_both_languages(tiny, file, change, expected):
    edit(tiny, file, change)
    assert expected in messages(tiny)


def test_one_is_the_smallest_number_accepted(tiny):
    edit(tiny, "sections.yaml", lambda s: s[0]["subsections"][0].update(number=1))
    assert problems(tiny) == []
    edit(tiny, "sections.yaml", lambda s: s[0].update(declared_count=0))
    assert ("sections.yaml", "[1].declared_count") in problems(tiny)


def test_a_subject_named_twice_is_reported_where_it_repeats(tiny):
    (tiny / "subjects.yaml").write_text(dump([{"slug": "innovation", "name": "科技创新"},
                                              {"slug": "science", "name": "科技创新"}]), encoding="utf-8")
    for name in ("tasks/1-01.yaml", "tasks/1-02.yaml"):
        edit(tiny, name, lambda t: t.update(subjects=["innovation", "science"]))
    (error,) = validate(read_content(tiny), today=TODAY)
    assert (error.file, error.field) == ("content/subjects.yaml", "[2].name")
    assert (error.zh, error.en) == ("主题名称“科技创新”与第 2 行重复。", "subject name '科技创新' repeats the one on line 2.")
