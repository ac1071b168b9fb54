"""Nothing the build is given can hurt it or its user: the output folder is the build's alone,
hostile YAML is refused before it is expanded, every failure is a message, and what `check`
accepts `build` builds."""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import build as build_command
from catalogue import write
from catalogue.errors import ContentErrors, MachineError, UsageError
from catalogue.pipeline import PROJECT_ROOT, Paths, Settings, build, check
from catalogue.serve import Preview, error_page
from catalogue.write import MARKER, guard_output
from tiny_content import dump, write_tiny_content

SECRET = "private-value-4b1d"


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def tiny(tmp_path) -> Path:
    return write_tiny_content(tmp_path)


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The command line in its own process, as CI and editors run it. The timeout only turns a
    hang into a failure; it is no speed target."""
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), *args], cwd=cwd or PROJECT_ROOT,
                          capture_output=True, text=True, timeout=timeout)


def errors_of(content: Path) -> list:
    with pytest.raises(ContentErrors) as raised:
        check(Paths(content=content))
    return raised.value.errors


def edit(content: Path, name: str, change) -> None:
    path = content / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump(data), encoding="utf-8")


# The output folder ---------------------------------------------------------------------------

def test_out_dot_in_a_folder_with_files_refuses_and_touches_nothing(tmp_path, tiny):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_cli("--content", str(tiny), "--out", ".", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "拒绝执行" in result.stderr and "refused" in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("where", ["repository", "content", "templates", "inside-content", "enclosing-content"])
def test_folders_the_build_reads_are_refused(where, tmp_path):
    out = {"repository": PROJECT_ROOT, "content": PROJECT_ROOT / "content",
           "templates": PROJECT_ROOT / "templates", "inside-content": PROJECT_ROOT / "content" / "tasks",
           "enclosing-content": PROJECT_ROOT.parent}[where]
    with pytest.raises(UsageError):
        guard_output(out, Paths().read())


def test_root_home_and_the_current_folder_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path)
    for out in (Path("/"), tmp_path / "home", Path("."), tmp_path, Path("~")):
        with pytest.raises(UsageError):
            guard_output(out, [])


def test_an_empty_out_argument_is_a_usage_error(tiny):
    result = run_cli("check", "--content", str(tiny), "--out", "")
    assert result.returncode == 2
    assert "empty folder name" in result.stderr


def test_a_folder_holding_someone_elses_files_is_refused(tmp_path, tiny):
    out = tmp_path / "public"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    assert build_command.main(["--content", str(tiny), "--out", str(out), "-q"]) == 2
    assert (out / "thesis.docx").read_bytes() == b"years of work"
    assert sorted(p.name for p in out.iterdir()) == ["thesis.docx"]


def test_a_file_or_a_symlink_as_out_is_refused(tmp_path, tiny):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(target)
    a_file = tmp_path / "report.txt"
    a_file.write_text("report", encoding="utf-8")
    for out in (link, a_file):
        assert build_command.main(["--content", str(tiny), "--out", str(out), "-q"]) == 2
    assert link.is_symlink() and (target / "keep.txt").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]
    assert a_file.read_text(encoding="utf-8") == "report"


def test_an_empty_folder_and_an_earlier_output_are_accepted(tmp_path, tiny):
    out = tmp_path / "site"
    out.mkdir()
    build(Paths(content=tiny, out=out))
    assert (out / MARKER).is_file() and (out / "index.html").is_file()
    (out / "stale.html").write_text("old", encoding="utf-8")
    build(Paths(content=tiny, out=out))
    assert not (out / "stale.html").exists(), "an earlier output is replaced whole"


def test_leftovers_of_a_killed_build_and_foreign_folders_are_kept(tmp_path, tiny):
    """The build removes only what it made in this run, by name: a killed build's folder is named
    in the summary, never removed by its pattern (it could be someone's backup of a site)."""
    out = tmp_path / "site"
    staged = tmp_path / ".site.new-killed"
    staged.mkdir()
    (staged / MARKER).write_bytes(b"")
    (staged / "index.html").write_text("half", encoding="utf-8")
    (tmp_path / ".site.old-empty").mkdir()
    foreign = tmp_path / ".site.new-notes"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("mine", encoding="utf-8")
    result = build(Paths(content=tiny, out=out))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.new-killed", ".site.new-notes", ".site.old-empty",
                                                          "content", "site"]
    assert (foreign / "mine.txt").read_text(encoding="utf-8") == "mine"
    assert (staged / "index.html").read_text(encoding="utf-8") == "half"
    assert ".site.new-killed" in result.summary() and ".site.new-notes" not in result.summary()


def test_git_ignores_the_staging_folders():
    paths = [".site.new-abc123/index.html", ".site.old-x/a", "public/.public.new-1/b"]
    result = subprocess.run(["git", "check-ignore", *paths], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.stdout.splitlines() == paths


# The machine refusing -----------------------------------------------------------------------

def _fail_after(monkeypatch, count: int, raise_):
    """Make the writer fail on its count-th file, half-way through a site."""
    original = write.write_file
    calls = {"n": 0}

    def write_file(path, data):
        calls["n"] += 1
        if calls["n"] == count:
            raise_()
        return original(path, data)

    monkeypatch.setattr(write, "write_file", write_file)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_disk_that_fills_or_refuses_half_way_leaves_the_old_site_byte_identical(tmp_path, tiny, monkeypatch, capsys, code):
    out = tmp_path / "site"
    build(Paths(content=tiny, out=out))
    before = snapshot(out)
    (tiny / "tasks" / "1-01.yaml").write_text((tiny / "tasks" / "1-01.yaml").read_text(encoding="utf-8")
                                              .replace("落实", "全面落实"), encoding="utf-8")
    def refuse():
        raise OSError(code, os.strerror(code))

    _fail_after(monkeypatch, 10, refuse)
    with pytest.raises(MachineError):
        build(Paths(content=tiny, out=out))
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"], "no staging folder is left"
    _fail_after(monkeypatch, 10, refuse)
    status = build_command.main(["--content", str(tiny), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 3
    reason_zh = {errno.ENOSPC: "磁盘空间不足", errno.EROFS: "文件系统只读", errno.EACCES: "没有写入权限"}[code]
    assert len(err) == 1 and f": {os.strerror(code)};" in err[0] and f"{reason_zh}，网站未更新，原有网站保持不变" in err[0]
    assert snapshot(out) == before


def test_ctrl_c_half_way_leaves_the_old_site_and_says_so_in_one_line(tmp_path, tiny, monkeypatch, capsys):
    out = tmp_path / "site"
    build(Paths(content=tiny, out=out))
    before = snapshot(out)

    def interrupt():
        raise KeyboardInterrupt

    _fail_after(monkeypatch, 5, interrupt)
    status = build_command.main(["--content", str(tiny), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 130
    assert len(err) == 1 and "interrupted" in err[0]
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_an_internal_error_is_one_line_naming_where_not_a_traceback(tmp_path, tiny, monkeypatch, capsys):
    import catalogue.pipeline as pipeline

    def broken(*args):
        return {}["missing"]

    monkeypatch.setattr(pipeline, "page_families", broken)
    status = build_command.main(["--content", str(tiny), "--out", str(tmp_path / "site")])
    err = capsys.readouterr().err
    assert status == 3
    assert "Traceback" not in err
    assert "internal error at tests/test_hostile_input.py" in err and "KeyError" in err


def test_the_preview_error_page_never_shows_a_traceback(tmp_path, tiny, monkeypatch):
    import catalogue.serve as serve

    preview = Preview(Paths(content=tiny, out=tmp_path / "site"), Settings(), lambda m: None, lambda m: None, "http://x/")

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(serve, "build", broken)
    assert preview.rebuild() is False
    assert "Traceback" not in preview.error_page and 'File "' not in preview.error_page
    assert "ZeroDivisionError" in preview.error_page and "test_hostile_input.py" in preview.error_page


def test_the_preview_notices_a_folder_named_like_a_task_file(tmp_path, tiny):
    from watchdog.events import DirCreatedEvent, DirModifiedEvent

    from catalogue.serve import _Forward

    preview = Preview(Paths(content=tiny, out=tmp_path / "site"), Settings(), lambda m: None, lambda m: None, "http://x/")
    assert preview.rebuild() is True
    folder = tiny / "tasks" / "x.yaml"
    folder.mkdir()
    forward = _Forward(preview)
    forward.on_any_event(DirModifiedEvent(str(tiny / "tasks")))
    forward.on_any_event(DirCreatedEvent(str(folder)))
    changes = preview.take_changes()
    assert changes == [str(folder)]
    assert preview.rebuild() is False
    assert "x.yaml" in preview.error_page and "这是一个文件夹" in preview.error_page


# Hostile YAML --------------------------------------------------------------------------------

ALIAS_BOMB = "a: &a [1,1,1,1,1,1,1,1,1]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))

HOSTILE_TASK_FILES = {
    "alias bomb": (ALIAS_BOMB, "锚点或别名"),
    "recursive alias": ("updates: &u [*u]\n", "锚点或别名"),
    "anchor": ("id: &x 1-1\n", "锚点或别名"),
    "python tag": ("text: !!python/object/apply:os.system [echo]\n", "标签"),
    "local tag": ("text: !secret x\n", "标签"),
    "3,000 deep": ("a: " + "[" * 3000 + "]" * 3000 + "\n", "嵌套超过"),
    "400-digit number": ("number: " + "9" * 400 + "\n", "数字超过"),
    "5,000-digit number": ("number: " + "9" * 5000 + "\n", "数字超过"),
    "5,000-digit float": ("number: 1." + "5" * 5000 + "\n", "数字超过"),
    "unknown escape": ('text: "a\\qb"\n', "YAML 格式错误"),
    "not UTF-8": (b"text: \xb8\xc4\n", "UTF-8"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_TASK_FILES))
def test_hostile_yaml_is_a_clear_error_naming_the_file(case, tiny):
    text, expected = HOSTILE_TASK_FILES[case]
    path = tiny / "tasks" / "1-01.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = run_cli("check", "--content", str(tiny))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    first = result.stderr.split("\n\n")[0]
    assert first.startswith("content/tasks/1-01.yaml"), first
    assert expected in first


NESTED_BY_INDENTATION = "\n".join(" " * level + f"k{level}:" for level in range(13)) + " 1\n"


@pytest.mark.parametrize("text", [
    "a:\n  b: " + "[" * 12 + "1" + "]" * 12 + "\n",  # 14 deep: two blocks, then brackets
    NESTED_BY_INDENTATION,                             # 13 deep by one space a level
    "9" * 30 + ": x\n",                                # a long number as a key
    "list:\n- 1\n- " + "1" * 25 + "\n",               # and as an item
])
def test_a_file_parsed_without_the_event_walk_is_refused_as_the_walk_refuses_it(text):
    """Most files skip the walk of YAML events (no anchor, alias or tag is possible in them, no
    deep nesting likely): their composed values are checked instead, with the same message on
    the same line."""
    from catalogue import load

    assert not load._may_be_hostile(text)
    with pytest.raises(load.HostileYaml) as walked:
        load._refuse_hostile(text, load._LineLoader)
    with pytest.raises(load.HostileYaml) as parsed:
        load.parse_yaml(text, "content/tasks/1-01.yaml")
    assert (parsed.value.line, parsed.value.zh) == (walked.value.line, walked.value.zh)


def test_a_huge_task_file_is_refused_without_being_read(tiny):
    path = tiny / "tasks" / "1-01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("落实", "落实" + "很" * 2_500_000), encoding="utf-8")
    errors = errors_of(tiny)
    assert [e.file for e in errors] == ["content/tasks/1-01.yaml"]
    assert "文件过大" in errors[0].zh


def test_symlinks_are_refused_and_their_values_never_printed(tmp_path, tiny):
    outside = tmp_path / "outside.yaml"
    outside.write_text((tiny / "tasks" / "1-01.yaml").read_text(encoding="utf-8").replace("落实", SECRET),
                       encoding="utf-8")
    (tiny / "tasks" / "1-01.yaml").unlink()
    (tiny / "tasks" / "1-01.yaml").symlink_to(outside)
    (tiny / "tasks" / "broken.yaml").symlink_to(tmp_path / "nowhere.yaml")
    result = run_cli("check", "--content", str(tiny))
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    assert "content/tasks/1-01.yaml\n  该文件是符号链接" in result.stderr
    assert "content/tasks/broken.yaml\n  该文件是符号链接" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_symlinked_registry_and_tasks_folder_are_refused(tmp_path, tiny):
    (tmp_path / "units.yaml").write_text((tiny / "units.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tiny / "units.yaml").unlink()
    (tiny / "units.yaml").symlink_to(tmp_path / "units.yaml")
    (tiny / "tasks").rename(tmp_path / "tasks")
    (tiny / "tasks").symlink_to(tmp_path / "tasks")
    files = {e.file for e in errors_of(tiny)}
    assert {"content/units.yaml", "content/tasks"} <= files


def test_a_folder_named_like_a_task_file_is_an_error_not_a_crash(tiny):
    (tiny / "tasks" / "x.yaml").mkdir()
    result = run_cli("check", "--content", str(tiny))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/tasks/x.yaml\n  这是一个文件夹" in result.stderr and "不要以 .yaml 结尾" in result.stderr
    assert run_cli("--content", str(tiny), "--out", str(tiny.parent / "site")).returncode == 1


def test_a_pipe_is_refused_without_waiting_on_it(tiny):
    os.mkfifo(tiny / "tasks" / "fifo.yaml")
    errors = errors_of(tiny)
    assert any(e.file == "content/tasks/fifo.yaml" and "不是普通文件" in e.zh for e in errors)


# What check accepts, build builds ------------------------------------------------------------

def _task_change(change):
    return lambda content: edit(content, "tasks/1-02.yaml", change)


def _update(**fields):
    return _task_change(lambda task: task["updates"][-1].update(fields))


CHECK_REFUSES = {
    "lone surrogate in a note": (_update(note="\ud800"), "tasks/1-02.yaml", "U+D800"),
    "bell character in the text": (_task_change(lambda t: t.update(text="新增\x07企业")), "tasks/1-02.yaml", "U+0007"),
    "escape sequence in a unit name": (lambda c: edit(c, "units.yaml", lambda u: u[0].update(name="省科技厅\x1b[31m")),
                                       "units.yaml", "U+001B"),
    "NUL in a field name": (_task_change(lambda t: t.update({"te\x00xt": "x"})), "tasks/1-02.yaml", "U+0000"),
    "update dated 2099": (_update(date=dt.date(2099, 12, 31)), "tasks/1-02.yaml", "晚于今天"),
    "update dated before the document": (_update(date=dt.date(2020, 1, 1)), "tasks/1-02.yaml", "早于文件印发日期"),
    "actual dated in the future": (_task_change(lambda t: t["targets"][0].update(actual_date=dt.date(2099, 1, 1))),
                                   "tasks/1-02.yaml", "晚于今天"),
    "as_of in the future": (lambda c: edit(c, "site.yaml", lambda s: s.update(as_of=dt.date(2099, 1, 1))),
                            "site.yaml", "晚于今天"),
    "subsection 1000": (lambda c: edit(c, "sections.yaml", lambda s: s[0]["subsections"][1].update(number=1000)),
                        "sections.yaml", "1 到 999"),
    "section 1000": (lambda c: edit(c, "sections.yaml", lambda s: s[0].update(number=1000)),
                     "sections.yaml", "1 到 999"),
    "slug with a trailing newline": (lambda c: edit(c, "leaders.yaml", lambda l: l[0].update(slug="luo-xiaoyun\n")),
                                     "leaders.yaml", "网址名"),
    "status code with a trailing newline": (lambda c: edit(c, "statuses.yaml", lambda s: s[2].update(code="on_track\n")),
                                            "statuses.yaml", "状态代码"),
    "URL with a trailing newline": (_update(source="https://www.jiangxi.gov.cn/\n"), "tasks/1-02.yaml", "网址"),
    "160-character status label": (lambda c: edit(c, "statuses.yaml", lambda s: s[2].update(label="很" * 160)),
                                   "statuses.yaml", "文字过长"),
    "1,500-character task text": (_task_change(lambda t: t.update(text="很" * 1500)), "tasks/1-02.yaml", "文字过长"),
    "10,000-character note": (_update(note="很" * 10000), "tasks/1-02.yaml", "文字过长"),
    "target of 1e300": (_task_change(lambda t: t["targets"][0].update(target=1e300)), "tasks/1-02.yaml", "数字过大"),
    "two-line target label": (_task_change(lambda t: t["targets"][0].update(label="新增\n企业")), "tasks/1-02.yaml",
                              "只能写一行"),
}


@pytest.mark.parametrize("case", sorted(CHECK_REFUSES))
def test_check_refuses_what_build_could_not_publish(case, tiny, tmp_path):
    change, file, expected = CHECK_REFUSES[case]
    change(tiny)
    result = run_cli("check", "--content", str(tiny))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    blocks = [block for block in result.stderr.split("\n\n") if block.startswith(f"content/{file}")]
    assert blocks and any(expected in block for block in blocks), result.stderr
    assert build_command.main(["--content", str(tiny), "--out", str(tmp_path / "site"), "-q"]) == 1
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("number, numeral", [(100, "一百"), (110, "一百一十")])
def test_a_subsection_past_99_builds_with_its_numeral(tiny, tmp_path, number, numeral):
    """Check accepts it, so build must build it, and write the numeral as a reader says it."""
    edit(tiny, "sections.yaml", lambda s: s[0]["subsections"][1].update(number=number))
    edit(tiny, "tasks/1-02.yaml", lambda t: t.update(subsection=number))
    build(Paths(content=tiny, out=tmp_path / "site"))
    page = (tmp_path / "site" / "tasks" / "1-2" / "index.html").read_text(encoding="utf-8")
    assert f"（{numeral}）" in page and "十十" not in page


def test_today_is_the_last_date_accepted(tiny):
    from catalogue.load import read_content
    from catalogue.validate import validate

    _update(date=dt.date(2022, 3, 1))(tiny)
    content = read_content(tiny)
    assert validate(content, today=dt.date(2022, 3, 1)) == []
    late = validate(content, today=dt.date(2022, 2, 28))
    assert [(e.file, e.field) for e in late] == [("content/tasks/1-02.yaml", "updates[1].date")]


@pytest.mark.parametrize("port", ["70000", "0", "-1", "http", "8080.5"])
def test_a_port_out_of_range_is_a_usage_error(port, capsys):
    assert build_command.main(["serve", "--port", port]) == 2
    assert "1 and 65535" in capsys.readouterr().err


def test_error_messages_never_carry_control_characters_or_surrogates():
    page = error_page(None, "bad \x1b[2J value \ud800")
    page.encode("utf-8")
    from catalogue.errors import ContentError

    error = ContentError("content/tasks/1-01.yaml", 3, "status", "未知的状态“x\x1b[2J\ud800”", "unknown 'x\x1b'")
    assert "\x1b" not in error.format() and "\ud800" not in error.format()
    error.format().encode("utf-8")


def test_a_swap_that_fails_at_the_last_rename_keeps_the_old_site(tmp_path, tiny, monkeypatch):
    """The new site is renamed in only after the old one is moved aside, never deleted first."""
    out = tmp_path / "site"
    build(Paths(content=tiny, out=out))
    before = snapshot(out)
    original = Path.rename

    def rename(self, target):
        if self.name.startswith(".site.new-"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return original(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(MachineError):
        build(Paths(content=tiny, out=out))
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]
