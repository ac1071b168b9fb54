"""What the site may claim from its evidence: met, missed or interim as a figure's date and the
target's comparator say; the rules an editor's file must keep for that (a status the updates
support, an outcome with its source, a search that found nothing said as such); the research
tool that turns found outcomes into updates; and the editor guide agreeing with the code.

Expectations are written by hand from the cases, never computed by the catalogue's code."""
from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
import yaml

from catalogue.load import read_content
from catalogue.model import Source, Target
from catalogue.schema import SOURCE_KINDS
from catalogue.strings import Strings
from catalogue.pipeline import PROJECT_ROOT, Paths, build
from catalogue.validate import validate
from html_dom import parse_file
from tiny_content import write_tiny_content

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import apply_outcomes  # noqa: E402

YEAR_END = dt.date(2021, 12, 31)


def target(**fields) -> Target:
    return Target(label="指标", year_end=YEAR_END, **fields)


@pytest.mark.parametrize("fields, interim, verdict", [
    # At least 1000: over, under, exactly at it.
    ({"target": 1000, "comparator": "at_least", "actual": 1432, "actual_date": YEAR_END}, False, True),
    ({"target": 1000, "comparator": "at_least", "actual": 999, "actual_date": YEAR_END}, False, False),
    ({"target": 1000, "comparator": "at_least", "actual": 1000, "actual_date": YEAR_END}, False, True),
    # A ceiling: under is met.
    ({"target": 5, "comparator": "at_most", "actual": 4.2, "actual_date": YEAR_END}, False, True),
    ({"target": 5, "comparator": "at_most", "actual": 5.1, "actual_date": YEAR_END}, False, False),
    # An exact count short by a little is short.
    ({"target": 5658.6, "comparator": "exactly", "actual": 5658.2, "actual_date": YEAR_END}, False, False),
    # About: the comparator cannot judge; the editor's reading can.
    ({"target": 38, "comparator": "about", "actual": 35.0, "actual_date": YEAR_END}, False, None),
    ({"target": 38, "comparator": "about", "actual": 35.0, "actual_date": YEAR_END, "achieved": False}, False, False),
    # July's figure is interim, whatever it says.
    ({"target": 1277, "comparator": "exactly", "actual": 1217, "actual_date": dt.date(2021, 7, 31)}, True, None),
    ({"target": 1277, "comparator": "exactly", "actual": 1300, "actual_date": dt.date(2021, 7, 31)}, True, None),
    # A source that says the target was reached by November, without a figure: reached.
    ({"target": 1277, "comparator": "exactly", "actual_date": dt.date(2021, 11, 30), "achieved": True}, False, True),
    # No figure, no reading.
    ({"target": 1277, "comparator": "exactly"}, False, None),
    # Milestones: reached early is reached; not reached by June may still be.
    ({"kind": "milestone", "achieved": True, "achieved_date": dt.date(2021, 5, 1)}, False, True),
    ({"kind": "milestone", "achieved": False, "achieved_date": dt.date(2021, 6, 30)}, True, None),
    ({"kind": "milestone", "achieved": False, "achieved_date": YEAR_END}, False, False),
    ({"kind": "milestone", "achieved": None}, False, None),
])
def test_met_missed_or_interim_as_the_date_and_the_comparator_say(fields, interim, verdict):
    case = target(**fields)
    assert case.interim is interim
    assert case.verdict is verdict


SAY = Strings.read(PROJECT_ROOT / "templates")


def test_a_status_line_names_its_evidence_and_only_a_submission_is_reported():
    assert SAY.according_to(Source(title="x", kind="news")) == "据新闻报道"
    assert SAY.according_to(Source(title="x", kind="news", publisher="江西日报")) == "据新闻报道"
    assert SAY.according_to(Source(title="x", kind="statistical_bulletin")) == "据统计公报"
    assert SAY.according_to(Source(title="x", kind="lead_unit_submission", publisher="省发展改革委")) == "据省发展改革委报送"
    assert SAY.according_to(Source(url="https://example.org/a")) == "据网页资料"
    assert SAY.according_to(Source(title="an address cited without one")) == ""
    assert [kind for kind in SOURCE_KINDS if "报送" in SAY.according_to(Source(title="x", kind=kind))] == [
        "lead_unit_submission"]


# --- rules an editor's file keeps ------------------------------------------------------------

def task_file(content, name="1-02.yaml"):
    path = content / "tasks" / name
    return path, yaml.safe_load(path.read_text(encoding="utf-8"))


def save(path, task):
    path.write_text(yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems(content) -> list[tuple[str, str]]:
    """(field, Chinese message) of every error the check reports."""
    return [(error.field, error.zh) for error in validate(read_content(content))]


NEWS = {"title": "进展报道", "date": dt.date(2021, 9, 1), "kind": "news", "url": "https://news.example.test/1"}


@pytest.mark.parametrize("change, field, words", [
    # An update is information: the initial status (暂无进展信息) no longer fits.
    (lambda t: t.update(status="no_information", updates=[{**t["updates"][0], "status": "no_information"}]),
     "updates[1].status", "有进展记录的任务不能是“暂无进展信息”"),
    # A reading that contradicts the figure.
    (lambda t: t["targets"][0].update(actual=1600, actual_date=dt.date(2021, 12, 31), achieved=False),
     "targets[1].achieved", "achieved 写的是“未达成”"),
    # A search that found nothing, beside an outcome.
    (lambda t: t["targets"][0].update(searched=dt.date(2021, 12, 1)), "targets[1].searched", "就不应再写 searched"),
    # A source without any day.
    (lambda t: t["updates"][0].update(source={"title": "报道", "kind": "news", "url": "https://news.example.test/2"}),
     "updates[1].source", "来源缺少日期"),
    # A page cited by the day it was read must be findable.
    (lambda t: t["updates"][0].update(source={"title": "报道", "kind": "news", "accessed": dt.date(2021, 8, 1)}),
     "updates[1].source.url", "必须有网址"),
    (lambda t: t["updates"][0].update(source={**NEWS, "accessed": dt.date(2021, 9, 2)}),
     "updates[1].source.accessed", "不要再写 accessed"),
    # A reprint that does not say what it reprints.
    (lambda t: t["updates"][0].update(source={**NEWS, "copy_of": {"title": "原文"}}),
     "updates[1].source.copy_of.publisher", "publisher"),
    # A title that stops inside a list.
    (lambda t: t.update(title="加强婴幼儿、老年人、残疾人等"), "title", "停在列举中间"),
    (lambda t: t.update(title="新增高新技术企业和"), "title", "停在列举中间"),
])
def test_each_claim_rule_names_its_field(tmp_path, change, field, words):
    content = write_tiny_content(tmp_path)
    path, task = task_file(content)
    change(task)
    save(path, task)
    found = problems(content)
    assert len(found) == 1, found
    assert found[0][0] == field and words in found[0][1], found


def test_what_the_rules_allow_builds(tmp_path):
    content = write_tiny_content(tmp_path)
    path, task = task_file(content)
    task["title"] = "新增高新技术企业"
    task["targets"].append({"label": "研发强度", "target": 2, "unit": "%", "comparator": "about",
                            "actual": 1.7, "actual_date": dt.date(2021, 12, 31), "achieved": False,
                            "source": {**NEWS, "copy_of": {"publisher": "江西日报", "title": "原文", "date": dt.date(2021, 9, 1)}}})
    task["targets"].append({"label": "引进团队", "target": 50, "unit": "个", "comparator": "at_least",
                            "actual": None, "actual_date": None, "searched": dt.date(2021, 12, 1)})
    task["updates"].append({"date": dt.date(2021, 12, 1), "status": "partly_met", "note": "一项达到，一项未达到。",
                            "source": {"title": "未注明日期的报道", "kind": "news", "url": "https://news.example.test/3",
                                       "accessed": dt.date(2021, 12, 1)}})
    task["status"] = "partly_met"
    save(path, task)
    assert problems(content) == []
    build(Paths(content=content, out=tmp_path / "site"))
    page = parse_file(tmp_path / "site" / "tasks" / "1-2" / "index.html").one("main")
    status_line = page.one("p", cls="task-status").text()
    assert "部分完成" in status_line and "据新闻报道（网页未注明日期，本站查阅于2021年12月1日）" in status_line
    cards = {card.one("h3").text(): " ".join(card.text().split()) for card in page.find_all("li", cls="target")}
    assert "截至2021年6月30日：800家" in cards["新增高新技术企业"] and "年内数据" in cards["新增高新技术企业"]
    assert "未达到目标" in cards["研发强度"] and "该网页为转载，原载江西日报《原文》" in cards["研发强度"]
    assert "本站于2021年12月1日查找公开来源，未找到实际完成值" in cards["引进团队"]
    gap = " ".join(page.one("p", cls="evidence-gap").text().split())
    assert gap.startswith("本项 3 个指标和节点中，1 个未达到，1 个只有年内数据，1 个本站尚未找到结果。")


def test_a_site_without_any_evidence_says_so_and_speaks_of_no_submission(tmp_path):
    content = write_tiny_content(tmp_path)
    path, task = task_file(content)
    task.update(status="no_information", updates=[], targets=[], deadline=None)
    del task["deadline"]
    save(path, task)
    build(Paths(content=content, out=tmp_path / "site"))
    footer = parse_file(tmp_path / "site" / "index.html").one("footer").text()
    assert "本站尚未收录任何有出处的进展信息" in footer and "报送" not in footer
    page = parse_file(tmp_path / "site" / "tasks" / "1-2" / "index.html").one("main")
    assert "本站尚未收集到本项任务有出处的进展信息" in page.text() and "未报送" not in page.text()


# --- the research tool --------------------------------------------------------------------------

RESEARCH = {
    "sources": [
        {"key": "bulletin", "title": "统计公报", "publisher": "省统计局", "date": dt.date(2022, 3, 1),
         "url": "https://stats.example.test/2021", "kind": "statistical_bulletin"},
        {"key": "undated", "title": "白皮书摘要", "accessed": dt.date(2022, 5, 1), "url": "https://copy.example.test/w",
         "kind": "research_report", "copy_of": {"publisher": "省大数据中心", "title": "白皮书"}},
        {"key": "no-day", "title": "年报", "date": "2022-03", "url": "https://stats.example.test/m", "kind": "news"},
    ],
    "outcomes": [
        {"task": "1-2", "source": "bulletin", "status": "completed", "note": "全年新增高新技术企业1600家。",
         "actuals": [{"label": "新增高新技术企业", "actual": 1600, "actual_date": dt.date(2021, 12, 31)}]},
        {"task": "1-1", "source": "undated", "status": "in_progress", "note": "示范区建设推进。"},
        {"task": "1-1", "source": "no-day", "status": "completed", "note": "不会写入。"},
    ],
}


def test_research_becomes_dated_updates_once(tmp_path):
    content = write_tiny_content(tmp_path)
    research = tmp_path / "research.yaml"
    research.write_text(yaml.safe_dump(RESEARCH, allow_unicode=True), encoding="utf-8")
    outputs, skipped = apply_outcomes.apply_all(research, content)
    assert sorted(path.name for path in outputs) == ["1-01.yaml", "1-02.yaml"]
    assert len(skipped) == 1 and "no-day" in skipped[0] and "2022-03" in skipped[0]
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    first, second = (yaml.safe_load((content / "tasks" / name).read_text(encoding="utf-8"))
                     for name in ("1-01.yaml", "1-02.yaml"))
    assert first["status"] == "in_progress"
    assert first["updates"] == [{"date": dt.date(2022, 5, 1), "status": "in_progress", "note": "示范区建设推进。",
                                 "source": {"title": "白皮书摘要", "url": "https://copy.example.test/w",
                                            "kind": "research_report", "accessed": dt.date(2022, 5, 1),
                                            "copy_of": {"publisher": "省大数据中心", "title": "白皮书"}}}]
    assert second["status"] == "completed" and second["updates"][-1]["date"] == dt.date(2022, 3, 1)
    assert second["targets"][0]["actual"] == 1600 and second["targets"][0]["source"]["publisher"] == "省统计局"
    assert problems(content) == []
    again, _ = apply_outcomes.apply_all(research, content)
    assert again == {}, "nothing twice"


def test_research_marks_the_targets_searched_for_and_refuses_a_copy_without_its_original(tmp_path):
    content = write_tiny_content(tmp_path)
    path, task = task_file(content)
    task["targets"].append({"label": "引进团队", "target": 50, "unit": "个", "comparator": "at_least",
                            "actual": None, "actual_date": None})
    save(path, task)
    research = tmp_path / "research.yaml"
    day = dt.date(2021, 12, 1)
    research.write_text(yaml.safe_dump({"searched": {"date": day, "targets": [
        {"task": "1-2", "label": "引进团队"}, {"task": "1-2", "label": "新增高新技术企业"}]}}, allow_unicode=True),
        encoding="utf-8")
    outputs, _ = apply_outcomes.apply_all(research, content)
    marked = yaml.safe_load(outputs[path])
    # The target with a figure keeps it and gets no search day.
    assert [t.get("searched") for t in marked["targets"]] == [None, day]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"sources": [{**RESEARCH["sources"][1], "copy_of": {"publisher": "省大数据中心"}}],
                                   "outcomes": [RESEARCH["outcomes"][1]]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(apply_outcomes.SourceError, match="original"):
        apply_outcomes.apply_all(bad, content)


# --- the editor guide agrees with the code ----------------------------------------------------

def test_the_editor_guide_lists_every_status_and_kind_of_source_as_the_code_has_them():
    guide = (PROJECT_ROOT / "docs" / "editor-guide.md").read_text(encoding="utf-8")
    statuses = yaml.safe_load((PROJECT_ROOT / "content" / "statuses.yaml").read_text(encoding="utf-8"))
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+?) \|", guide, re.M))
    for status in statuses:
        assert rows.get(status["code"]) == status["label"], status["code"]
    kinds = dict(re.findall(r"^\s*\| `([a-z_]+)` \| [^|]+ \| ([^|]+?) \|", guide, re.M))
    for kind in SOURCE_KINDS:
        expected = SAY.according_to(Source(title="x", kind=kind, publisher="（单位名称）"))
        assert kinds.get(kind) == expected, kind


def test_the_research_tool_reads_through_the_builds_door_and_writes_nothing_when_refused(tmp_path):
    content = write_tiny_content(tmp_path)
    research = tmp_path / "research.yaml"
    research.write_text(yaml.safe_dump(RESEARCH, allow_unicode=True), encoding="utf-8")
    secret = tmp_path / "secret.yaml"
    task = content / "tasks" / "1-02.yaml"
    secret.write_text(task.read_text(encoding="utf-8"), encoding="utf-8")
    task.unlink()
    task.symlink_to(secret)
    before = secret.read_bytes()
    assert apply_outcomes.main([str(research), "--content", str(content)]) == 2
    assert secret.read_bytes() == before and task.is_symlink()
    aliased = tmp_path / "aliased.yaml"
    aliased.write_text("sources: &s []\noutcomes: *s\n", encoding="utf-8")
    with pytest.raises(apply_outcomes.SourceError, match=r"aliased.yaml:1: YAML anchors"):
        apply_outcomes.apply_all(aliased, write_tiny_content(tmp_path / "other"))


def test_the_research_tool_names_the_task_file_it_refuses(tmp_path, capsys):
    content = write_tiny_content(tmp_path)
    research = tmp_path / "research.yaml"
    research.write_text(yaml.safe_dump(RESEARCH, allow_unicode=True), encoding="utf-8")
    (content / "tasks" / "1-01.yaml").write_text("id: 1-1\nid: 1-1\n", encoding="utf-8")
    assert apply_outcomes.main([str(research), "--content", str(content)]) == 2
    assert "content/tasks/1-01.yaml:2" in capsys.readouterr().err
