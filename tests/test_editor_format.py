"""The editor form's task file format (assets/js/admin/task-format.js), run under Node.js: a
save writes back only what the editor changed, in the task files' own style, and what it
writes reads back in Python as the validator wants it (dates as dates, text as text).

The form's data is what Decap CMS hands the format: the file's values as read, changed by the
editor (an emptied field is ''), with its fields in whatever order the editor filled them."""
from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
import shutil

import pytest
import yaml

from catalogue.admin import cms_config, config_text, task_schema
from catalogue.errors import ContentErrors
from catalogue.pipeline import PROJECT_ROOT, Paths, check
from catalogue.strings import Strings
from search_node import run_node

CLI = PROJECT_ROOT / "tests" / "js" / "task_format_cli.mjs"
AS_READ = "__file_as_read"


@pytest.fixture(scope="module")
def schema(catalogue):
    return task_schema(cms_config(catalogue, Strings.read(Paths().templates), "content")["collections"][0]["fields"])


def call(schema, *calls):
    done = run_node(str(CLI), stdin={"schema": schema, "calls": [list(c) for c in calls]})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def read(schema, text: str) -> dict:
    return call(schema, ("read", text))[0]


def write(schema, data: dict) -> str:
    result = call(schema, ("write", data))[0]
    assert isinstance(result, str), result
    return result


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a diff shows, '-' removed and '+' added."""
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "-+"]


def statuses(settable: bool = False) -> list[str]:
    """The status codes; with `settable`, those an update with a news source may set (not one
    only a closed reporting round may)."""
    items = yaml.safe_load((PROJECT_ROOT / "content" / "statuses.yaml").read_text("utf-8"))
    return [item["code"] for item in items if not (settable and item.get("needs_round"))]


# A task file in every shape the format has to keep: comments, flow lists, a quoted unit, a null
# actual, a milestone, a block note and two updates. Not a real task: states the content never reaches.
TASK = """\
# A comment the form never shows.
id: 9-1
section: 9
subsection: 1
number: 1
text: 试验任务，含“引号”和：冒号。
leaders: [甲, 乙]
lead_units: [省某厅]
responsible_units: []
status: on_track
targets:
  - label: 比重
    target: 2
    unit: "%"
    comparator: about
    actual: null
    actual_date: null
  - label: 全覆盖
    kind: milestone
    achieved: null
    achieved_date: null
updates:
  - date: 2021-03-01
    status: not_started
    note: 第一条。
    source:
      title: 第一份来源
      date: 2021-03-01
      kind: news
  - date: 2021-07-15  # half-year
    status: on_track
    note: |
      第二条，两段。

      第二段。
    source:
      title: 第二份来源
      date: 2021-07-15
      url: https://example.org/2
      kind: official_report
"""


def test_every_task_file_is_written_back_byte_for_byte(schema):
    files = sorted((PROJECT_ROOT / "content").glob("**/tasks/*.yaml"))
    texts = [path.read_text(encoding="utf-8") for path in files]
    data = call(schema, *[("read", text) for text in texts])
    written = call(schema, *[("write", item) for item in data])
    assert len(files) >= 166
    assert [path for path, text, back in zip(files, texts, written) if back != text] == []


def test_the_form_sees_the_values_python_reads(schema):
    data = read(schema, TASK)
    python = yaml.safe_load(TASK)
    assert data["leaders"] == ["甲", "乙"]
    assert data["updates"][1]["note"] == python["updates"][1]["note"]
    assert data["updates"][0]["date"] == "2021-03-01"  # text in the form's date fields
    assert [target["kind"] for target in data["targets"]] == ["number", "milestone"]  # a quantity's kind is implied
    assert data[AS_READ] == TASK


def test_a_status_change_is_one_line(schema):
    data = read(schema, TASK)
    data["status"] = "lagging"
    assert changed_lines(TASK, write(schema, data)) == ["- status: on_track", "+ status: lagging"]


def test_an_added_update_is_its_lines_after_the_last_in_the_format_order(schema):
    data = read(schema, TASK)
    data["status"] = "completed"
    # In the order an editor may fill the form: the source first, its kind before its title.
    data["updates"].append({"source": {"kind": "lead_unit_submission", "date": "2021-12-31", "title": "年终报送"},
                            "note": "全年完成。", "status": "completed", "date": "2021-12-31", })
    after = write(schema, data)
    assert after == TASK.replace("status: on_track\ntargets", "status: completed\ntargets") + (
        "  - date: 2021-12-31\n"
        "    status: completed\n"
        "    note: 全年完成。\n"
        "    source:\n"
        "      title: 年终报送\n"
        "      date: 2021-12-31\n"
        "      kind: lead_unit_submission\n")
    update = yaml.safe_load(after)["updates"][-1]
    assert update["date"] == dt.date(2021, 12, 31) and update["source"]["date"] == dt.date(2021, 12, 31)


def test_a_first_update_replaces_the_empty_list(schema):
    text = "id: 9-2\nstatus: not_reported\ntargets: []\nupdates: []\n"
    data = read(schema, text)
    data["updates"].append({"date": "2021-05-01", "status": "on_track", "note": "启动。",
                            "source": {"title": "来源", "date": "2021-05-01", "kind": "news"}})
    assert write(schema, data) == text.replace("updates: []\n", (
        "updates:\n"
        "  - date: 2021-05-01\n"
        "    status: on_track\n"
        "    note: 启动。\n"
        "    source:\n"
        "      title: 来源\n"
        "      date: 2021-05-01\n"
        "      kind: news\n"))


def test_an_actual_and_its_date_change_their_own_lines(schema):
    data = read(schema, TASK)
    data["targets"][0]["actual"] = 1.8
    data["targets"][0]["actual_date"] = "2021-06-30"
    assert sorted(changed_lines(TASK, write(schema, data))) == [
        "+     actual: 1.8", "+     actual_date: 2021-06-30", "-     actual: null", "-     actual_date: null"]


def test_a_target_source_goes_after_its_last_field(schema):
    data = read(schema, TASK)
    data["targets"][1].update(achieved=True, achieved_date="2021-12-31",
                              source={"url": "https://example.org/m", "title": "公报", "kind": "statistical_bulletin",
                                      "date": "2022-02-01"})
    after = write(schema, data)
    assert after == TASK.replace(
        "    achieved: null\n    achieved_date: null\n",
        "    achieved: true\n    achieved_date: 2021-12-31\n    source:\n      title: 公报\n"
        "      date: 2022-02-01\n      url: https://example.org/m\n      kind: statistical_bulletin\n")
    assert "kind" not in yaml.safe_load(after)["targets"][0]  # the implied kind is never written


def test_emptied_fields_leave_the_file_as_it_was_or_lose_the_line(schema):
    data = read(schema, TASK)
    data["targets"][0]["actual"] = ""        # typed, then cleared: still no value
    data["targets"][0]["actual_date"] = ""
    data["updates"][0]["source"]["url"] = ""  # never had one: none is added
    assert write(schema, data) == TASK
    data["updates"][1]["source"]["url"] = ""  # cleared: the line goes
    assert changed_lines(TASK, write(schema, data)) == ["-       url: https://example.org/2"]


def test_a_removed_update_takes_only_its_own_lines(schema):
    data = read(schema, TASK)
    del data["updates"][0]
    after = write(schema, data)
    assert after == TASK.replace(
        "  - date: 2021-03-01\n    status: not_started\n    note: 第一条。\n    source:\n      title: 第一份来源\n"
        "      date: 2021-03-01\n      kind: news\n", "")


def test_a_note_of_several_lines_is_a_block(schema):
    data = read(schema, TASK)
    data["updates"][0]["note"] = "第一段：有冒号。\n\n- 一项\n- 两项"
    after = write(schema, data)
    assert changed_lines(TASK, after) == [
        "-     note: 第一条。", "+     note: |-", "+       第一段：有冒号。", "+ ", "+       - 一项", "+       - 两项"]
    assert yaml.safe_load(after)["updates"][0]["note"] == "第一段：有冒号。\n\n- 一项\n- 两项"


TRICKY_TEXTS = ["yes", "No", "on", "y", "null", "~", "2021-06-30", "2021-6-3 10:00:00", "1:30", "0777", "1_000", "3.5",
                ".inf", "[甲]", "{甲: 乙}", "# 注", "- 项", ": 冒号", "甲: 乙", "甲 #乙", "'引号'", '"引号"', "@提及", "`代码`",
                "!标签", "&锚", "*别名", "%", "| 竖线", "> 大于"]


def test_text_that_yaml_would_read_as_something_else_stays_text(schema):
    data = read(schema, TASK)
    edits = [{**copy.deepcopy(data), "title": title} for title in TRICKY_TEXTS]
    for title, after in zip(TRICKY_TEXTS, call(schema, *[("write", edit) for edit in edits])):
        assert yaml.safe_load(after)["title"] == title
        assert [line[:9] for line in changed_lines(TASK, after)] == ["+ title: "]  # one line, where the format puts it


def test_a_new_field_goes_where_the_format_orders_it(schema):
    data = read(schema, TASK)
    data["title"] = "试验标题"
    after = write(schema, data).splitlines()
    assert after[after.index("title: 试验标题") - 1] == "responsible_units: []"
    assert after[after.index("title: 试验标题") + 1] == "status: on_track"


def test_a_changed_list_of_names_stays_on_its_line(schema):
    data = read(schema, TASK)
    data["leaders"] = ["甲"]
    assert changed_lines(TASK, write(schema, data)) == ["- leaders: [甲, 乙]", "+ leaders: [甲]"]


def test_a_new_file_is_written_in_the_format_order(schema):
    data = {"updates": [], "status": "on_track", "id": "9-3", "text": "新任务。"}
    assert write(schema, data) == "id: 9-3\ntext: 新任务。\nstatus: on_track\nupdates: []\n"


def test_a_file_that_is_not_yaml_is_refused(schema):
    result = call(schema, ("read", "id: [9-1\n"))[0]
    assert "error" in result


@pytest.mark.parametrize("name", ["4-10.yaml", "1-05.yaml"])
def test_a_form_edit_of_a_real_task_passes_check(schema, tmp_path, name):
    """Status and a new update, as the form saves them, on a copy of the real content."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    path = content / "tasks" / name
    before = path.read_text(encoding="utf-8")
    data = read(schema, before)
    new_status = next(code for code in reversed(statuses(settable=True)) if code != data["status"])
    last = max([dt.date.fromisoformat(u["date"]) for u in data["updates"]] + [dt.date(2021, 3, 1)])
    day = (last + dt.timedelta(days=1)).isoformat()
    data["status"] = new_status
    data["updates"].append({"date": day, "status": new_status, "note": "试验进展。",
                            "source": {"title": "试验来源", "date": day, "kind": "news"}})
    path.write_text(write(schema, data), encoding="utf-8")
    diff = changed_lines(before, path.read_text(encoding="utf-8"))
    removed = [line for line in diff if line.startswith("-")]
    assert removed in ([f"- status: {yaml.safe_load(before)['status']}"], [f"- status: {yaml.safe_load(before)['status']}", "- updates: []"])
    try:
        check(Paths(content=content))
    except ContentErrors as errors:  # pragma: no cover - the message says what failed
        pytest.fail(str(errors))


# As a hand may write a task file: four-space indents, wide comments, other quotes, a flow mapping.
HAND_WRITTEN = """\
id: 9-4
status: on_track    # 上半年
targets: []
updates:
    -   date: 2021-03-01
        status: on_track
        note: '单引号'
        source: { title: 来源, date: 2021-03-01, kind: news }
"""


def test_a_hand_written_file_keeps_its_own_style_around_a_change(schema):
    data = read(schema, HAND_WRITTEN)
    data["status"] = "lagging"
    assert changed_lines(HAND_WRITTEN, write(schema, data)) == ["- status: on_track    # 上半年",
                                                                "+ status: lagging # 上半年"]


def test_a_change_that_cannot_keep_the_hand_written_lines_is_still_right(schema):
    """New lines in the format's indents cannot sit among four-space ones: the file is then
    written whole in the format's style, and means what the form says."""
    data = read(schema, HAND_WRITTEN)
    data["updates"][0]["note"] = "改过"
    data["updates"].append({"date": "2021-07-01", "status": "on_track", "note": "第二条。",
                            "source": {"title": "来源二", "date": "2021-07-01", "kind": "news"}})
    after = write(schema, data)
    expected = yaml.safe_load(HAND_WRITTEN)
    expected["updates"][0]["note"] = "改过"
    expected["updates"].append({"date": dt.date(2021, 7, 1), "status": "on_track", "note": "第二条。",
                                "source": {"title": "来源二", "date": dt.date(2021, 7, 1), "kind": "news"}})
    assert yaml.safe_load(after) == expected


def test_a_submission_the_import_wrote_keeps_its_round_and_cited_source_through_a_form_edit(schema, tmp_path):
    """A task whose update `build.py report import` wrote: the form has no fields for the round
    it answers and the source it cited, and an editor's change elsewhere leaves them as they were."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    (content / "rounds.yaml").write_text("- as_of: 2021-12-31\n  due: 2022-01-15\n  units: [省教育厅]\n", encoding="utf-8")
    path = content / "tasks" / "8-17.yaml"
    before = path.read_text(encoding="utf-8").replace("status: no_information\n", "status: completed\n").replace(
        "updates: []\n", "updates:\n  - date: 2021-12-31\n    status: completed\n    note: 减负任务完成。\n    source:\n"
        "      title: 截至2021年12月31日的进展报送\n      date: 2021-12-31\n      kind: lead_unit_submission\n"
        "      publisher: 省教育厅\n      round: 2021-12-31\n      cites:\n        title: 全省教育工作会议\n"
        "        url: https://jyt.jiangxi.gov.cn/a.html\n")
    path.write_text(before, encoding="utf-8")
    data = read(schema, before)
    data["updates"][0]["note"] = "义务教育阶段减负任务完成。"
    path.write_text(write(schema, data), encoding="utf-8")
    assert changed_lines(before, path.read_text(encoding="utf-8")) == [
        "-     note: 减负任务完成。", "+     note: 义务教育阶段减负任务完成。"]
    check(Paths(content=content))  # the round it answers is still a date the check finds in rounds.yaml


def test_the_forms_configuration_is_yaml_written_as_json_a_collection_to_a_line():
    shared = ["省发展改革委", "省财政厅"]  # one list in two fields, as the form's options are
    config = {"backend": {"name": "github", "commit_messages": {"update": "{{slug}}：修改"}}, "local_backend": True,
              "collections": [{"name": "tasks", "fields": [{"name": "lead_units", "options": shared},
                                                           {"name": "responsible_units", "options": shared}]},
                              {"name": "tasks-2022", "fields": [], "max": 1000000000000.0, "min": -5}],
              "empty": [], "odd": "a\x85b\x9fc\ufeffd\u2028e\"f\\g\nh"}
    text = config_text(config).decode("utf-8")
    body = text[text.index('"backend"'):]
    assert body == ('"backend": {"name": "github", "commit_messages": {"update": "{{slug}}：修改"}}\n'
                    '"local_backend": true\n'
                    '"collections":\n'
                    '- {"name": "tasks", "fields": [{"name": "lead_units", "options": ["省发展改革委", "省财政厅"]}, '
                    '{"name": "responsible_units", "options": ["省发展改革委", "省财政厅"]}]}\n'
                    '- {"name": "tasks-2022", "fields": [], "max": 1000000000000.0, "min": -5}\n'
                    '"empty": []\n'
                    '"odd": "a\\u0085b\\u009fc\\ufeffd\\u2028e\\"f\\\\g\\nh"\n')
    # YAML 1.1 (PyYAML) reads it as the configuration, and so does JSON, line by line.
    assert yaml.safe_load(text) == config
    assert json.loads(body.splitlines()[0].partition(": ")[2]) == config["backend"]
    with pytest.raises(ValueError):  # neither YAML nor JSON has a way to write it
        config_text({"max": float("nan")})


def test_the_real_forms_configuration_reads_back_as_itself_in_yaml():
    """Every value the form's configuration holds, floats and all, reads back in YAML 1.1 as what
    was written: a number JSON writes with an exponent would read as text."""
    from catalogue.pipeline import check
    from catalogue.admin import cms_config

    config = cms_config(check(), Strings.read(Paths().templates), "content")
    assert yaml.safe_load(config_text(config)) == config