"""The preview's incremental rebuild (pipeline.Session) gives the site a full build gives."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalogue.errors import ContentErrors
from catalogue.pipeline import PROJECT_ROOT, Paths, Session, build, check
from tiny_content import dump


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def session_on_a_copy(tmp_path: Path) -> tuple[Path, Paths, Session]:
    """The real content copied into tmp_path, and a preview session over it, not yet built."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    paths = Paths(content=content, out=tmp_path / "site")
    return content, paths, Session(paths, None, lambda message: None)


@pytest.mark.parametrize("kind", ["news", "lead_unit_submission"])
def test_a_saved_task_file_rebuilds_what_a_full_build_would(tmp_path, kind):
    """A news report, a kind of source the site cites already, changes the pages that show the
    task; the first submission changes every footer, which names the kinds of source cited."""
    content, paths, session = session_on_a_copy(tmp_path)
    whole = session.full()

    task_file = content / "tasks" / "2-03.yaml"
    text = task_file.read_text(encoding="utf-8")
    assert "status: no_information" in text and "updates: []" in text
    task_file.write_text(
        text.replace("status: no_information", "status: lagging")
            .replace("updates: []", "updates:\n  - date: 2021-03-05\n    status: lagging\n"
                                    "    note: 进度滞后于计划。\n    source: {title: 进展报告, date: 2021-03-05,"
                                    f" kind: {kind}}}\n")
            .replace("text: ", "text: 增量预览测试，", 1),
        encoding="utf-8")
    result = session.rebuild([task_file])
    # An update older than the newest one leaves the as-of date every page states alone.
    if kind == "news":
        assert 0 < result.pages < 60, "only the pages that show the task, and the summaries"
    else:
        assert result.pages > whole.pages / 2, "every page with a footer"
    session.complete()

    build(Paths(content=content, out=tmp_path / "full"))
    incremental, full = tree(tmp_path / "site"), tree(tmp_path / "full")
    assert sorted(incremental) == sorted(full)
    assert [path for path in full if incremental[path] != full[path]] == []
    assert "增量预览测试" in (tmp_path / "site" / "tasks" / "2-3" / "index.html").read_text(encoding="utf-8")


def test_a_change_beyond_task_files_builds_everything(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    session = Session(Paths(content=content, out=tmp_path / "site"), None, lambda message: None)
    whole = session.full()
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("short_title: ", "short_title: 新", 1),
                         encoding="utf-8")
    again = session.rebuild([site_yaml])
    assert again.pages == whole.pages
    assert "新重点工作" in (tmp_path / "site" / "tasks" / "1-1" / "index.html").read_text(encoding="utf-8")


def test_saves_one_after_another_keep_matching_a_full_build(tmp_path):
    """The map of which pages show which task is patched at each save, not rebuilt: a task
    that moves to other units and loses its neighbour, then its neighbour edited, then the
    move undone, each time give what a full build gives."""
    content, paths, session = session_on_a_copy(tmp_path)
    session.full()
    moved, neighbour = content / "tasks" / "2-03.yaml", content / "tasks" / "2-04.yaml"
    original = moved.read_text(encoding="utf-8")
    saves = [
        (moved, original.replace("lead_units: [省工业和信息化厅]", "lead_units: [省发展改革委]")
                        .replace("responsible_units: [省发展改革委, ", "responsible_units: [")),
        (neighbour, neighbour.read_text(encoding="utf-8").replace("text: ", "text: 邻项改动，", 1)),
        (moved, original),
    ]
    for step, (path, text) in enumerate(saves):
        path.write_text(text, encoding="utf-8")
        result = session.rebuild([path])
        assert 0 < result.pages < 80
        session.complete()
        build(Paths(content=content, out=tmp_path / f"full-{step}"))
        incremental, full = tree(tmp_path / "site"), tree(tmp_path / f"full-{step}")
        assert sorted(incremental) == sorted(full), step
        assert [p for p in full if incremental[p] != full[p]] == [], step



@pytest.mark.parametrize("plans_listed", [12, 1], ids=["every-home-lists-the-plans", "only-the-site-home-does"])
def test_a_save_in_a_further_plan_rebuilds_only_its_pages_and_matches_a_full_build(tmp_path, monkeypatch,
                                                                                    plans_listed):
    """Three plans (benchmarks/synth.py): a task file of a further plan is rebuilt page by page
    like the first plan's, a new plan's folder builds everything, and each gives the site a full
    build gives. When plans' homes do not list every plan, the pages of the plans a save leaves
    alone are not even made."""
    from catalogue import pages, pipeline

    monkeypatch.setattr(pages, "PLANS_LISTED", plans_listed)
    monkeypatch.setattr(pipeline, "PLANS_LISTED", plans_listed)
    made = []
    monkeypatch.setattr(pipeline, "all_pages", lambda *args: made.append(args[3:]) or pages.all_pages(*args))
    content = tmp_path / "content"
    subprocess.run([sys.executable, str(PROJECT_ROOT / "benchmarks" / "synth.py"), "--tasks", "400",
                    "--out", str(content), "--no-git"], check=True, capture_output=True)
    paths = Paths(content=content, out=tmp_path / "site")
    session = Session(paths, None, lambda message: None)
    whole = session.full()
    assert len(whole.catalogue.plans) == 3

    def report(task_file: Path, day: dt.date, text: str) -> None:
        """Save `task_file` with a new update of `day` that changes its status, and `text` added."""
        task = yaml.safe_load(task_file.read_text(encoding="utf-8"))
        status = "completed" if task["status"] != "completed" else "lagging"
        update = {"date": day, "status": status, "note": "牵头单位报送。",
                  # A date object of its own: one used twice is dumped as a YAML alias.
                  "source": {"title": "牵头单位报送", "date": dt.date.fromordinal(day.toordinal()),
                             "kind": "lead_unit_submission"}}
        assert all(earlier["date"] < day for earlier in task["updates"] or [])
        task_file.write_text(dump({**task, "status": status, "text": text + task["text"],
                                   "updates": (task["updates"] or []) + [update]}), encoding="utf-8")

    hunan = content / "plans" / "hunan-2021"
    saves = [  # (task file, update date, whether the plan's as-of date moves)
        (hunan / "tasks" / "2-03.yaml", dt.date(2021, 9, 30), False),
        (hunan / "tasks" / "2-04.yaml", dt.date(2023, 3, 1), True),
        # The first plan's: older than its newest update (the day its last outcome was read), so its date stays.
        (content / "tasks" / "1-01.yaml", dt.date(2023, 4, 1), False),
    ]
    for step, (task_file, day, redated) in enumerate(saves):
        plan_id = task_file.parent.parent.name if task_file.parent.parent != content else "2021"
        as_of = session.catalogue.plans[[p.id for p in session.catalogue.plans].index(plan_id)].as_of
        assert (day > as_of) == redated, step
        report(task_file, day, f"第{step}次增量预览，")
        result = session.rebuild([task_file])
        plan = next(p for p in result.catalogue.plans if p.id == plan_id)
        assert plan.as_of == (day if redated else as_of)
        # Not redated: the pages that show the task, its plan's summaries and the site's; redated:
        # also every page of its plan, and the site's pages that cite its document.
        if redated:
            assert len(plan.tasks) < result.pages < whole.pages, step
        else:
            assert 0 < result.pages < 80, step
        session.complete()
        build(Paths(content=content, out=tmp_path / f"full-{step}"))
        incremental, full = tree(tmp_path / "site"), tree(tmp_path / f"full-{step}")
        assert sorted(incremental) == sorted(full), step
        assert [path for path in full if incremental[path] != full[path]] == [], step
        # Scoped: the pages of every plan, and the own pages of the plan saved (always the first's).
        assert made[-1] == (({plan_id},) if plans_listed == 1 else (None,)), step
    assert "第0次增量预览" in (tmp_path / "site" / "plans" / "hunan-2021" / "tasks" / "2-3" / "index.html").read_text(
        encoding="utf-8")

    # A plan the session has not built: everything, its pages included.
    shutil.copytree(content / "plans" / "hubei-2021", content / "plans" / "hubei-2022")
    plan_yaml = content / "plans" / "hubei-2022" / "plan.yaml"
    plan_yaml.write_text(plan_yaml.read_text(encoding="utf-8").replace("2021年", "2022年"), encoding="utf-8")
    again = session.rebuild([content / "plans" / "hubei-2022" / "tasks" / "1-01.yaml"])
    assert again.pages > whole.pages
    assert (tmp_path / "site" / "plans" / "hubei-2022" / "tasks" / "1-1" / "index.html").is_file()


def test_a_rebuild_reports_what_a_fresh_check_reports_though_it_checks_only_saved_files(tmp_path):
    """The preview checks again only the task files saved since the last build; an error that
    an unchanged file gets from a saved one (an id now taken twice) is still reported, and goes
    when the saved file is put right."""
    content, paths, session = session_on_a_copy(tmp_path)
    session.full()
    first = content / "tasks" / "1-01.yaml"
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("id: 1-1\n", "id: 1-2\n", 1), encoding="utf-8")

    with pytest.raises(ContentErrors) as raised:
        session.rebuild([first])
    with pytest.raises(ContentErrors) as fresh:
        check(paths)
    reported = [(e.file, e.line, e.en) for e in raised.value.errors]
    assert reported == [(e.file, e.line, e.en) for e in fresh.value.errors]
    assert [(file, en.split(";")[0]) for file, _, en in reported] == [
        ("content/tasks/1-01.yaml", "id '1-2' does not match the file name '1-01.yaml'"),
        ("content/tasks/1-01.yaml", "id '1-2' disagrees with section 1 and number 1."),
        ("content/tasks/1-02.yaml", "id '1-2' is already used by content/tasks/1-01.yaml."),
    ]

    first.write_text(text, encoding="utf-8")
    session.rebuild([first])
    assert session.catalogue.task("1-2").file == "tasks/1-02.yaml"


def test_outputs_given_up_for_a_newer_save_are_made_after_it(tmp_path):
    """complete() gives up, writing nothing, once a newer change waits; the save after it is
    still rebuilt page by page, and its complete() brings every file to what a full build gives."""
    content, paths, session = session_on_a_copy(tmp_path)
    whole = session.full()
    first, second = content / "tasks" / "1-01.yaml", content / "tasks" / "3-02.yaml"
    for task_file, words in ((first, "第一次保存，"), (second, "第二次保存，")):
        task_file.write_text(task_file.read_text(encoding="utf-8").replace("text: ", f"text: {words}", 1),
                             encoding="utf-8")
    session.rebuild([first])
    written = tree(tmp_path / "site")
    asked = []
    # True from the third question on: past the open data, inside the search index.
    assert session.complete(superseded=lambda: asked.append(1) or len(asked) > 2) is None
    assert tree(tmp_path / "site") == written
    assert b"\xe7\xac\xac\xe4\xb8\x80\xe6\xac\xa1" not in written["search/index.js"]  # 第一次

    again = session.rebuild([second])
    assert again.pages < whole.pages / 3
    assert session.complete() > 0
    build(Paths(content=content, out=tmp_path / "full"))
    incremental, full = tree(tmp_path / "site"), tree(tmp_path / "full")
    assert sorted(incremental) == sorted(full)
    assert [path for path in full if incremental[path] != full[path]] == []
    assert "第一次保存".encode() in full["search/index.js"] and "第二次保存".encode() in full["search/index.js"]
