"""The command line: python build.py [build|check|serve], its options and its exit status."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from catalogue.pipeline import PROJECT_ROOT

TASK_COUNT = len(list((PROJECT_ROOT / "content" / "tasks").glob("*.yaml")))


def run(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def break_task(content: Path, name: str = "1-01.yaml") -> None:
    path = content / "tasks" / name
    path.write_text(path.read_text(encoding="utf-8").replace("status: ", "status: broken: ", 1), encoding="utf-8")


def test_help_explains_every_command_option_and_exit_status():
    result = run("--help")
    assert result.returncode == 0
    help_text = " ".join(result.stdout.split())  # however argparse wraps it
    for word in ("build", "check", "serve", "--content", "--out", "--base-url", "--port",
                 "-q, --quiet", "-v, --verbose", "-h, --help"):
        assert word in help_text, f"--help does not mention {word}"
    for explanation in ("validate only", "live reload", "127.0.0.1", "overrides", "default: 8000",
                        "errors only", "each build step"):
        assert explanation in help_text, f"--help does not explain: {explanation}"
    assert re.search(r"exit status: 0 built/valid, 1 content errors, 2 usage error .*, 3 the machine refused .*"
                     r", 130 interrupted", help_text), help_text


@pytest.mark.parametrize("args", [("--no-such-option",), ("publish",), ("--port", "eighty"), ("-q", "-v")])
def test_wrong_usage_exits_2(args, tmp_path):
    result = run(*args, "--out", str(tmp_path / "site"))
    assert result.returncode == 2
    assert "usage: python build.py" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_build_writes_to_out_and_quiet_prints_nothing(tmp_path):
    out = tmp_path / "elsewhere" / "public"
    result = run("build", "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    for path in ("index.html", "tasks/1-1/index.html", "data/tasks.json", "source/document.txt"):
        assert (out / path).is_file(), path
    # Beside the site only the build's memory for the next build: no temporary folder is left.
    assert [path.name for path in out.parent.glob(".*")] == [".public.cache"]


def test_default_command_is_build_and_says_what_it_did(tmp_path):
    result = run("--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "built" in result.stdout and "已生成" in result.stdout
    assert (tmp_path / "site" / "index.html").is_file()


def test_verbose_shows_each_step(tmp_path):
    result = run("build", "--out", str(tmp_path / "site"), "-v")
    assert result.returncode == 0, result.stderr
    steps = [line for line in result.stdout.splitlines() if line.startswith("… ")]
    for step in ("reading content", "history", f"rendering {TASK_COUNT} tasks", "writing"):
        assert any(step in line for line in steps), f"no progress line for {step}: {steps}"
    # Each step with the time of day it was reached, to the millisecond, in order.
    times = [re.match(r"… (\d\d):(\d\d):(\d\d)\.(\d{3}) \S", line) for line in steps]
    assert all(times), steps
    seconds = [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in (t.groups() for t in times)]
    assert seconds == sorted(seconds) or max(seconds) - min(seconds) > 3600, steps  # a build across midnight


def test_content_option_reads_another_folder(content_copy, tmp_path):
    path = content_copy / "tasks" / "1-01.yaml"
    text = path.read_text(encoding="utf-8")
    text_line = next(line for line in text.splitlines() if line.startswith("text: "))
    path.write_text(text.replace(text_line, text_line + "（另一份内容）"), encoding="utf-8")
    result = run("build", "--content", str(content_copy), "--out", str(tmp_path / "site"), "-q")
    assert result.returncode == 0, result.stderr
    assert "（另一份内容）" in (tmp_path / "site" / "tasks/1-1/index.html").read_text(encoding="utf-8")


def test_base_url_overrides_site_yaml(tmp_path):
    out = tmp_path / "site"
    result = run("build", "--out", str(out), "--base-url", "https://mirror.example.net/gzbg", "-q")
    assert result.returncode == 0, result.stderr
    records = json.loads((out / "data/tasks.json").read_text(encoding="utf-8"))
    assert records[0]["url"] == "https://mirror.example.net/gzbg/tasks/1-1/"
    assert "https://mirror.example.net/gzbg/feed.xml" in (out / "feed.xml").read_text(encoding="utf-8")
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://mirror.example.net/gzbg/tasks/1-1/</loc>" in sitemap
    assert "example.org" not in sitemap


def test_check_validates_without_writing(tmp_path):
    result = run("check", "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert f"{TASK_COUNT} tasks" in result.stdout and f"共 {TASK_COUNT} 项任务" in result.stdout
    assert "内容检查通过" in result.stdout
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("command", ["build", "check"])
def test_content_errors_exit_1_with_file_and_line_and_keep_the_last_site(command, content_copy, tmp_path):
    out = tmp_path / "site"
    assert run("build", "--content", str(content_copy), "--out", str(out), "-q").returncode == 0
    before = (out / "index.html").read_bytes()
    break_task(content_copy)
    line = next(n for n, text in enumerate((content_copy / "tasks/1-01.yaml").read_text(encoding="utf-8")
                                           .splitlines(), 1) if text.startswith("status: broken: "))
    result = run(command, "--content", str(content_copy), "--out", str(out))
    assert result.returncode == 1
    assert f"content/tasks/1-01.yaml:{line}" in result.stderr
    assert "YAML 格式错误" in result.stderr and "YAML does not parse" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "index.html").read_bytes() == before, "a failed build leaves the last good site"


def test_missing_content_folder_is_reported_not_raised(tmp_path):
    result = run("check", "--content", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / 'nowhere'}\n  内容文件夹不存在" in result.stderr
    assert "the content folder does not exist" in result.stderr
