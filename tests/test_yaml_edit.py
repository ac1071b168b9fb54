"""catalogue.yaml_edit changes the values an edit names and keeps every other byte of a file
written by people, or refuses: never a silent rewrite."""
from __future__ import annotations

import datetime as dt

import pytest

from catalogue.yaml_edit import Make, Unkeepable, edit_text, new_text

TASK = """\
# 说明：编辑只需修改 status 和 updates。
id: 1-5
leaders: [罗小云]   # 原文如此
status: not_reported
targets:
  - label: R&D经费支出占GDP比重
    target: 2
    unit: "%"
    comparator: about
    actual: null   # 尚无来源
    actual_date: null
updates: []
"""


def set_status(data, make: Make) -> None:
    data["status"] = "on_track"
    data["updates"] = make.items(data["updates"])
    data["updates"].append(make.mapping({"date": dt.date(2021, 12, 31), "status": "on_track",
                                         "note": "第一段。\n\n第二段。",
                                         "source": {"title": "报送", "date": dt.date(2021, 12, 31),
                                                    "kind": "lead_unit_submission"}}))


def test_an_edit_keeps_comments_quotes_and_flow_lists_and_writes_blocks_as_editors_do():
    edited = edit_text(TASK, "content/tasks/1-05.yaml", set_status, [("status",), ("updates",)])
    assert edited == TASK.replace("status: not_reported", "status: on_track").replace(
        "updates: []\n",
        "updates:\n  - date: 2021-12-31\n    status: on_track\n    note: |\n      第一段。\n\n      第二段。\n"
        "    source:\n      title: 报送\n      date: 2021-12-31\n      kind: lead_unit_submission\n")


def test_a_value_outside_the_editable_ones_is_never_changed_silently():
    def also_leaders(data, make):
        set_status(data, make)
        data["leaders"].append("殷美根")
    with pytest.raises(Unkeepable, match="line 3"):
        edit_text(TASK, "t.yaml", also_leaders, [("status",), ("updates",)])
    with pytest.raises(Unkeepable, match="line 4"):
        edit_text(TASK, "t.yaml", set_status, [("updates",)])  # status not allowed


def test_a_file_a_round_trip_would_rewrite_is_left_alone():
    odd = TASK.replace("status: not_reported", "status:    not_reported")
    with pytest.raises(Unkeepable, match="round trip would rewrite"):
        edit_text(odd, "t.yaml", set_status, [("status",), ("updates",)])


def test_a_value_of_a_nested_key_may_change_within_its_own_lines_only():
    def set_actual(data, make):
        data["targets"][0]["actual"] = 1.8
    edited = edit_text(TASK, "t.yaml", set_actual, [("targets", 0, "actual")])
    # The comment keeps its column.
    assert edited == TASK.replace("    actual: null   # 尚无来源\n", "    actual: 1.8    # 尚无来源\n")
    with pytest.raises(Unkeepable):
        edit_text(TASK, "t.yaml", set_actual, [("targets", 0, "actual_date")])


def test_a_registry_list_at_the_top_keeps_its_own_indentation():
    rounds = "# 报送轮次\n- as_of: 2021-12-31\n  due: 2022-01-15\n  units: [省科技厅]\n"

    def add(data, make):
        data[0]["units"].append("省教育厅")
        data.append(make.mapping({"as_of": dt.date(2022, 6, 30), "due": dt.date(2022, 7, 15), "units": ["省科技厅"]}))
    assert edit_text(rounds, "rounds.yaml", add, [(0, "units")]) == (
        rounds.replace("[省科技厅]\n", "[省科技厅, 省教育厅]\n") + "- as_of: 2022-06-30\n  due: 2022-07-15\n  units: [省科技厅]\n")


def test_a_value_written_twice_is_written_out_twice_never_as_an_alias():
    day = dt.date(2021, 12, 31)
    text = new_text("# 头\n", [{"as_of": day, "sent": day, "units": ["省科技厅"]}])
    assert text == "# 头\n- as_of: 2021-12-31\n  sent: 2021-12-31\n  units: [省科技厅]\n"


def test_a_list_left_empty_gets_its_items_one_per_line():
    empty = TASK.replace("updates: []\n", "updates:\n").replace(": null", ":")
    edited = edit_text(empty, "t.yaml", set_status, [("status",), ("updates",)])
    assert edited == edit_text(TASK, "t.yaml", set_status, [("status",), ("updates",)]).replace(": null", ":")
    # A file writing nothing both ways cannot be kept byte for byte: it is refused, not rewritten.
    with pytest.raises(Unkeepable, match="round trip"):
        edit_text(TASK.replace("updates: []\n", "updates:\n"), "t.yaml", set_status, [("status",), ("updates",)])


def test_an_edit_the_build_would_refuse_to_read_is_refused_naming_the_file():
    deep: dict = {"leaf": 1}
    for _ in range(15):  # deeper than the build's loader reads (12 levels)
        deep = {"level": deep}

    def nest(data, make):
        data["status"] = make.mapping(deep)
    with pytest.raises(Unkeepable, match=r"^t\.yaml: the edited file would not read back \(HostileYaml\)$"):
        edit_text(TASK, "t.yaml", nest, [("status",)])


def test_a_text_of_several_lines_ends_in_one_line_break_however_it_came():
    assert Make(round_trip=True).text("第一段。\n第二段。\n") == "第一段。\n第二段。\n"
    assert Make(round_trip=True).text("第一段。\n第二段。") == "第一段。\n第二段。\n"
    assert Make(round_trip=False).plain("第一段。\n第二段。") == "第一段。\n第二段。\n"
    assert Make(round_trip=True).text("一行") == "一行"
