"""Reporting rounds (content/rounds.yaml): who was asked for which period, and what the site may
then say: 已报送, 未报送 only once a closed round asked and got nothing, and about a task no
round asked, nothing at all."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from catalogue.errors import ContentErrors, UsageError
from catalogue.load import read_content
from catalogue.pipeline import Paths, build, check
from catalogue.validate import CHINA, validate
from html_dom import parse_file
from tiny_content import add_plan, write_tiny_content

TODAY = dt.datetime.now(CHINA).date()  # the content's own dates run to the day it was last edited

ROUND = """\
- as_of: 2021-12-31
  sent: 2022-01-04
  due: 2022-01-15
  units: [省国资委, 省教育厅]
"""
SUBMISSION = """\
  - date: 2021-12-31
    status: on_track
    note: 10所学校建设任务全部启动。
    source:
      title: 截至2021年12月31日的进展报送
      date: 2021-12-31
      kind: lead_unit_submission
      publisher: 省教育厅
      round: 2021-12-31
"""


def submit(content: Path, task_file: str = "8-16.yaml", update: str = SUBMISSION, status: str = "on_track") -> None:
    """Give a task whose updates are [] the submission, as `report import` writes it."""
    path = content / "tasks" / task_file
    text = path.read_text(encoding="utf-8")
    assert "updates: []\n" in text and "status: no_information\n" in text
    path.write_text(text.replace("updates: []\n", "updates:\n" + update).replace(
        "status: no_information\n", f"status: {status}\n"), encoding="utf-8")


def errors_of(content: Path) -> list:
    return validate(read_content(content), today=TODAY)


def messages(content: Path) -> str:
    return "\n".join(error.format() for error in errors_of(content))


def led_by(content: Path, unit: str) -> list[str]:
    """The ids of the tasks a unit leads, read from the task files."""
    found = []
    for path in sorted((content / "tasks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if unit in data["lead_units"]:
            found.append(data["id"])
    return found


# --- validation -------------------------------------------------------------------------------

def test_a_round_and_its_submission_validate(content_copy):
    (content_copy / "rounds.yaml").write_text(ROUND, encoding="utf-8")
    submit(content_copy)
    assert errors_of(content_copy) == []


@pytest.mark.parametrize("rounds, field, said", [
    ("- as_of: 2021-12-31\n  due: 2022-01-15\n  units: [省住建厅]\n", "[1].units[1]", "未登记的单位“省住建厅”"),
    ("- as_of: 2021-12-31\n  due: 2022-01-15\n  units: [各设区市政府]\n", "[1].units[1]", "是统称，不能填报"),
    ("- as_of: 2021-12-31\n  due: 2022-01-15\n  units: [省统计局]\n", "[1].units[1]", "不牵头任何任务"),
    ("- as_of: 2021-12-31\n  due: 2022-01-15\n  leader: 吴浩\n  units: [省国资委]\n", "[1].units[1]", "不牵头吴浩牵头的任何任务"),
    ("- as_of: 2021-12-31\n  due: 2022-01-15\n  leader: 吴昊\n  units: [省国资委]\n", "[1].leader", "未登记的领导“吴昊”"),
    ("- as_of: 2021-12-31\n  due: 2022-01-15\n  units: [省国资委, 省国资委]\n", "[1].units[2]", "重复出现"),
    ("- as_of: 2021-12-31\n  units: [省国资委]\n", "[1].due", "缺少必填字段“due”"),
    ("- as_of: 2021-12-31\n  due: 2022-02-30\n  units: [省国资委]\n", "[1].due", "不是有效日期"),
    ("- as_of: 2021-12-31\n  due: 2022-01-15\n  sent: 2099-01-01\n  units: [省国资委]\n", "[1].sent", "晚于今天"),
    ("- as_of: 2021-12-31\n  due: 2022-01-15\n  sent: 2022-01-04\n  closed: 2022-01-01\n  units: [省国资委]\n",
     "[1].closed", "早于发出日期"),
    ("- plan: '2030'\n  as_of: 2021-12-31\n  due: 2022-01-15\n  units: [省国资委]\n", "[1].plan", "未知的计划“2030”"),
    (ROUND + ROUND, "[2].as_of", "已有截至 2021-12-31 的报送轮次"),
    ("- as_of: 2021-12-31\n  due: 2022-01-15\n  units: [省国资委]\n  asked: all\n", "[1].asked", "未知字段“asked”"),
])
def test_a_bad_round_is_named_with_its_line_and_field(content_copy, rounds, field, said):
    (content_copy / "rounds.yaml").write_text(rounds, encoding="utf-8")
    found = [e for e in errors_of(content_copy) if e.file.endswith("rounds.yaml")]
    assert [e.field for e in found] == [field], [e.format() for e in found]
    assert said in found[0].zh


def test_a_second_round_of_the_same_date_is_told_to_merge_into_the_first(content_copy):
    (content_copy / "rounds.yaml").write_text(ROUND + ROUND, encoding="utf-8")
    found = [(e.field, e.zh, e.en, e.hint_zh, e.hint_en) for e in errors_of(content_copy)]
    assert found == [("[2].as_of", "计划“2021”已有截至 2021-12-31 的报送轮次。",
                      "plan '2021' already has a round as of 2021-12-31.",
                      "同一截至日期的报送合为一个轮次：把单位并入已有的那一项。",
                      "one round per as-of date: merge the units into the existing entry")]


def test_a_round_with_a_bad_date_does_not_stop_the_next_being_checked(content_copy):
    (content_copy / "rounds.yaml").write_text(
        "- as_of: 2021-12-31\n  due: 2022-02-30\n  units: [省国资委]\n"
        "- as_of: 2022-06-30\n  due: 2022-07-15\n  units: [省住建厅]\n", encoding="utf-8")
    found = [(e.field, e.zh) for e in errors_of(content_copy) if e.file.endswith("rounds.yaml")]
    assert [field for field, _ in found] == ["[1].due", "[2].units[1]"], found
    assert "未登记的单位“省住建厅”" in found[1][1]


@pytest.mark.parametrize("source, field, said", [
    ("      kind: news\n      round: 2021-12-31\n", "updates[1].source.round", "只有牵头单位报送"),
    ("      kind: official_report\n      cites: {title: 通报}\n", "updates[1].source.cites", "只有牵头单位报送"),
    ("      kind: lead_unit_submission\n      round: 2021-12-31\n", "updates[1].source.round", "须写明报送单位"),
    ("      kind: lead_unit_submission\n      publisher: 省教委\n      round: 2021-12-31\n",
     "updates[1].source.publisher", "未登记的单位“省教委”"),
    ("      kind: lead_unit_submission\n      publisher: 省教育厅\n      round: 2021-06-30\n",
     "updates[1].source.round", "没有截至 2021-06-30 的报送轮次"),
    ("      kind: lead_unit_submission\n      publisher: 省生态环境厅\n      round: 2021-12-31\n",
     "updates[1].source.publisher", "没有要求“省生态环境厅”报送"),
    ("      kind: lead_unit_submission\n      publisher: 省教育厅\n      cites: {url: 'https://a.gov.cn/'}\n",
     "updates[1].source.cites.title", "缺少必填字段“title”"),
    ("      kind: lead_unit_submission\n      publisher: 省教育厅\n      cites: {title: 通报, url: 'javascript:alert(1)'}\n",
     "updates[1].source.cites.url", "不是允许的网址"),
])
def test_a_submission_names_a_registered_unit_and_a_round_that_asked_it(content_copy, source, field, said):
    (content_copy / "rounds.yaml").write_text(ROUND, encoding="utf-8")
    submit(content_copy, update="  - date: 2021-12-31\n    status: on_track\n    note: 已推进。\n    source:\n"
                                "      title: 进展报送\n      date: 2021-12-31\n" + source)
    found = errors_of(content_copy)
    assert [(e.file, e.field) for e in found] == [("content/tasks/8-16.yaml", field)], [e.format() for e in found]
    assert said in found[0].zh


def test_a_status_only_a_round_may_set_needs_a_closed_round_that_asked(content_copy):
    statuses = yaml.safe_load((content_copy / "statuses.yaml").read_text(encoding="utf-8"))
    assert [s["code"] for s in statuses if s.get("needs_round")] == ["not_reported"]
    missed = ("  - date: 2022-01-20\n    status: not_reported\n    note: 截至报送截止日未报送。\n    source:\n"
              "      title: 截至2021年12月31日的进展报送\n      date: 2022-01-20\n      kind: official_report\n")
    submit(content_copy, update=missed, status="not_reported")
    found = errors_of(content_copy)
    assert [(e.file, e.field) for e in found] == [("content/tasks/8-16.yaml", "status"),
                                                  ("content/tasks/8-16.yaml", "updates[1].status")]
    assert "只能用于已结束的报送轮次" in found[0].zh
    rounds = content_copy / "rounds.yaml"
    rounds.write_text(ROUND, encoding="utf-8")  # asked, but not closed: not yet unreported
    assert len(errors_of(content_copy)) == 2
    rounds.write_text(ROUND.replace("  units:", "  closed: 2022-01-20\n  units:"), encoding="utf-8")
    assert errors_of(content_copy) == []
    rounds.write_text(ROUND.replace("省教育厅", "省科技厅").replace("  units:", "  closed: 2022-01-20\n  units:"),
                      encoding="utf-8")  # a round that asked other units
    assert len(errors_of(content_copy)) == 2


def test_the_first_status_cannot_be_one_only_a_round_may_set(content_copy):
    statuses = content_copy / "statuses.yaml"
    text = statuses.read_text(encoding="utf-8")
    first_meaning = next(line for line in text.splitlines(keepends=True) if line.startswith("  meaning:"))
    statuses.write_text(text.replace(first_meaning, first_meaning + "  needs_round: true\n", 1), encoding="utf-8")
    found = [e for e in errors_of(content_copy) if e.file.endswith("statuses.yaml")]
    assert [e.field for e in found] == ["[1].needs_round"]


# --- the site -----------------------------------------------------------------------------------

@pytest.fixture
def round_site(content_copy, tmp_path):
    """The round of ROUND, closed or not, with 8-16 submitted."""
    def make(closed: bool) -> Path:
        text = ROUND.replace("  units:", "  closed: 2022-01-20\n  units:") if closed else ROUND
        (content_copy / "rounds.yaml").write_text(text, encoding="utf-8")
        out = tmp_path / ("closed" if closed else "open") / "site"
        build(Paths(content=content_copy, out=out))
        return out
    submit(content_copy)
    return make


def statuses_of(content: Path) -> dict[str, str]:
    """Each task's status, read from its file."""
    found = {}
    for path in (content / "tasks").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["id"]] = data["status"]
    return found


def test_the_round_page_lists_each_unit_asked_and_what_it_reported(round_site, content_copy):
    site = round_site(closed=True)
    page = parse_file(site / "rounds" / "2021-12-31" / "index.html")
    asked = led_by(content_copy, "省国资委") + led_by(content_copy, "省教育厅")
    assert len(set(asked)) == len(asked) > 5
    total = page.one("p", cls="round-total").text()
    assert f"共 {len(asked)} 项任务：已报送 1 项，未报送 {len(asked) - 1} 项。" in total
    sections = page.find_all("section", cls="round-unit")
    assert [s.find("h2").find("a").text() for s in sections] == ["省国资委", "省教育厅"]
    rows = {row.find("th").text().split()[0]: row.find_all("td")[0].text() for s in sections for row in s.find("tbody").find_all("tr")}
    assert sorted(rows) == sorted(asked)
    assert rows["8-16"] == "已报送（2021年12月31日）"
    assert {state for task, state in rows.items() if task != "8-16"} == {"未报送"}
    link = next(a for s in sections for a in s.find_all("a") if a.text() == "已报送（2021年12月31日）")
    assert link.get("href") == "../../tasks/8-16/index.html#update-1"
    assert "本轮已于2022年1月20日办结" in page.one("p", cls="round-state").text()


def test_before_the_round_is_closed_nobody_is_said_not_to_have_reported(round_site):
    site = round_site(closed=False)
    page = parse_file(site / "rounds" / "2021-12-31" / "index.html")
    states = {span.text() for span in page.find_all("span", cls="asked")}
    assert states == {"已报送（2021年12月31日）", "尚未录入"}
    assert "本轮尚未办结" in page.one("p", cls="round-state").text()
    line = parse_file(site / "tasks" / "4-14" / "index.html").one("p", cls="asked-line").text()
    assert line == "截至2021年12月31日的进展报送：省国资委尚未录入。"


def test_task_pages_say_which_units_a_round_asked_and_only_those(round_site):
    site = round_site(closed=True)
    asked = parse_file(site / "tasks" / "8-16" / "index.html").one("p", cls="asked-line").text()
    assert asked == "截至2021年12月31日的进展报送：省教育厅已报送（2021年12月31日）。"
    assert parse_file(site / "tasks" / "4-14" / "index.html").one("p", cls="asked-line").text() == \
        "截至2021年12月31日的进展报送：省国资委未报送。"
    # 8-4 is led by 省人力资源社会保障厅 and 省教育厅: only the one asked is named.
    assert parse_file(site / "tasks" / "8-4" / "index.html").one("p", cls="asked-line").text() == \
        "截至2021年12月31日的进展报送：省教育厅未报送。"
    # 1-5 is led by 省科技厅, which no round asked: its page says nothing of a round.
    page = parse_file(site / "tasks" / "1-5" / "index.html")
    assert page.find("p", cls="asked-line") is None
    assert "未报送" not in page.one("header", cls="page-head").text()


def test_status_pages_count_their_tasks_by_round(round_site, content_copy):
    site = round_site(closed=True)
    statuses = statuses_of(content_copy)
    asked = set(led_by(content_copy, "省国资委") + led_by(content_copy, "省教育厅"))
    on_track = [task for task, status in statuses.items() if status == "on_track"]
    line = parse_file(site / "status" / "on_track" / "index.html").one("p", cls="round-count").text()
    assert on_track == ["8-16"] and line == (
        "截至2021年12月31日的进展报送（报送截止2022年1月15日）：本状态的 1 项任务中，已报送 1 项。")
    unknown = [task for task, status in statuses.items() if status == "no_information"]
    missing = [task for task in unknown if task in asked]
    line = parse_file(site / "status" / "no_information" / "index.html").one("p", cls="round-count").text()
    assert line == (f"截至2021年12月31日的进展报送（报送截止2022年1月15日）：本状态的 {len(unknown)} 项任务中，"
                    f"未报送 {len(missing)} 项；另有 {len(unknown) - len(missing)} 项不在本轮要求报送之列。")
    # A status none of whose tasks a round asked about says nothing of it.
    unasked = next(code for code in ("missed", "partly_met", "ongoing")
                   if (tasks := [t for t, s in statuses.items() if s == code]) and not set(tasks) & asked)
    assert parse_file(site / "status" / unasked / "index.html").find("p", cls="round-count") is None
    index = parse_file(site / "status" / "index.html")
    entry = index.one("section", id="rounds").find("li")
    assert entry.find("a").get("href") == "../rounds/2021-12-31/index.html"
    assert entry.find("p", cls="term-note").text() == f"报送截止2022年1月15日；已报送 1 项，未报送 {len(asked) - 1} 项。"


def test_a_site_without_rounds_has_no_round_pages(built_site):
    assert not (built_site / "rounds").exists()
    assert parse_file(built_site / "status" / "index.html").find("section", id="rounds") is None


def test_export_with_due_records_the_round_and_import_answers_it(content_copy, tmp_path):
    from test_report import TABLE, export, fill, import_

    tables = export(content_copy, tmp_path / "a", unit_name="省教育厅", due=dt.date(2022, 1, 15))
    export(content_copy, tmp_path / "b", unit_name="省国资委", due=dt.date(2022, 1, 15))
    rounds = yaml.safe_load((content_copy / "rounds.yaml").read_text(encoding="utf-8"))
    # Exported is not sent: the office writes the day the tables went out.
    assert rounds == [{"as_of": dt.date(2021, 12, 31), "due": dt.date(2022, 1, 15), "units": ["省教育厅", "省国资委"]}]
    assert (content_copy / "rounds.yaml").read_text(encoding="utf-8").startswith("# 报送轮次")
    with pytest.raises(UsageError, match="截止日期或牵头领导不同"):
        export(content_copy, tmp_path / "c", unit_name="省科技厅", due=dt.date(2022, 1, 20))
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "已推进。"})
    import_(content_copy, tables[TABLE])
    update = yaml.safe_load((content_copy / "tasks" / "8-16.yaml").read_text(encoding="utf-8"))["updates"][-1]
    assert update["source"]["round"] == dt.date(2021, 12, 31) and update["source"]["publisher"] == "省教育厅"
    catalogue = check(Paths(content=content_copy))
    states = {(a.unit.name, a.task.id): a.state for a in catalogue.rounds[0].asked}
    assert states[("省教育厅", "8-16")] == "submitted" and states[("省国资委", "4-14")] == "awaited"


def test_a_round_of_a_further_plan_asks_about_that_plans_tasks_alone(tmp_path):
    """省科技厅 leads tasks in both plans of the tiny tree; a round for plan p2 is p2's, and asks
    about p2's one task, not the first plan's two."""
    content = write_tiny_content(tmp_path)
    add_plan(content, "p2")
    (content / "rounds.yaml").write_text("- plan: p2\n  as_of: 2022-03-31\n  due: 2022-04-15\n  units: [省科技厅]\n",
                                         encoding="utf-8")
    first, further = check(Paths(content=content)).plans
    assert first.rounds == [] and [round_.as_of for round_ in further.rounds] == [dt.date(2022, 3, 31)]
    assert [(asked.task.plan.id, asked.task.id) for asked in further.rounds[0].asked] == [("p2", "1-1")]


def test_a_round_pages_description_counts_the_units_asked_and_their_tasks(tmp_path):
    """One unit asked, 省科技厅, which leads both tiny tasks (1-2 under its alias)."""
    from catalogue.pages import round_pages
    from catalogue.strings import Strings

    content = write_tiny_content(tmp_path)
    (content / "rounds.yaml").write_text("- as_of: 2021-06-30\n  due: 2021-07-15\n  units: [省科技厅]\n",
                                         encoding="utf-8")
    catalogue = check(Paths(content=content))
    (page,) = round_pages(catalogue, Strings.read(Paths().templates), catalogue.plans[0])
    assert page.description == ("截至2021年6月30日的进展报送：要求 1 个牵头单位报送 2 项任务截至2021年6月30日的进展，"
                                "报送截止2021年7月15日。")


def test_a_round_that_asks_nobody_stops_the_build(content_copy):
    (content_copy / "rounds.yaml").write_text(ROUND.replace("  units: [省国资委, 省教育厅]", "  units: []"),
                                              encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        check(Paths(content=content_copy))
    assert [(e.file, e.line, e.field) for e in raised.value.errors] == [("content/rounds.yaml", 4, "[1].units")]


def test_a_closed_round_takes_no_more_units(content_copy, tmp_path):
    from test_report import export

    (content_copy / "rounds.yaml").write_text(ROUND.replace("  units:", "  closed: 2022-01-20\n  units:"), encoding="utf-8")
    before = (content_copy / "rounds.yaml").read_bytes()
    with pytest.raises(UsageError, match="已于 2022-01-20 办结"):
        export(content_copy, tmp_path / "out", unit_name="省科技厅", due=dt.date(2022, 1, 15))
    assert (content_copy / "rounds.yaml").read_bytes() == before and not (tmp_path / "out").exists()


def test_a_second_round_is_added_below_the_first_which_keeps_every_byte(content_copy, tmp_path):
    from test_report import export

    rounds_file = content_copy / "rounds.yaml"
    rounds_file.write_text("# 报送轮次（手工记下的上半年一轮）\n" + ROUND.replace("2021-12-31", "2021-06-30"), encoding="utf-8")
    before = rounds_file.read_text(encoding="utf-8")
    export(content_copy, tmp_path / "out", unit_name="省科技厅", due=dt.date(2022, 1, 15))
    assert rounds_file.read_text(encoding="utf-8") == before + (
        "- as_of: 2021-12-31\n  due: 2022-01-15\n  units: [省科技厅]\n")


def test_a_round_the_export_recorded_says_when_it_went_out_only_once_the_office_writes_it(content_copy, tmp_path):
    from test_report import export

    export(content_copy, tmp_path / "tables", unit_name="省教育厅", due=dt.date(2022, 1, 15))
    site = tmp_path / "site"
    build(Paths(content=content_copy, out=site))
    head = parse_file(site / "rounds" / "2021-12-31" / "index.html").one("header", cls="page-head").text()
    assert "发出" not in head and "2022年1月15日" in head
    rounds = content_copy / "rounds.yaml"
    rounds.write_text(rounds.read_text(encoding="utf-8").replace("  due:", "  sent: 2022-01-05\n  due:"), encoding="utf-8")
    build(Paths(content=content_copy, out=site))
    head = parse_file(site / "rounds" / "2021-12-31" / "index.html").one("header", cls="page-head").text()
    assert "2022年1月5日发出" in head


def test_a_round_for_one_leaders_tasks_or_a_further_plan_is_recorded_as_such(content_copy, tmp_path):
    from test_report import export
    from tiny_content import add_plan, write_tiny_content

    export(content_copy, tmp_path / "by-leader", leader_name="孙菊生", everyone=True, due=dt.date(2022, 1, 15))
    entry = yaml.safe_load((content_copy / "rounds.yaml").read_text(encoding="utf-8"))[0]
    assert entry["leader"] == "孙菊生" and "plan" not in entry and "sent" not in entry
    tiny = write_tiny_content(tmp_path / "tiny")
    add_plan(tiny, "p2")
    export(tiny, tmp_path / "p2", plan_id="p2", everyone=True, as_of=dt.date(2022, 2, 20), due=dt.date(2022, 3, 1),
           today=dt.date(2022, 2, 21))
    entry = yaml.safe_load((tiny / "rounds.yaml").read_text(encoding="utf-8"))[0]
    assert entry["plan"] == "p2" and "leader" not in entry and entry["due"] == dt.date(2022, 3, 1)
