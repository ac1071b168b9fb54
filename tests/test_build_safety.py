"""A build either replaces site/ whole or leaves it as it was; the same content always gives the
same bytes; and nothing in content can make a page run script."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import build as build_command
from catalogue.errors import BuildError, ContentErrors
from catalogue.pipeline import PROJECT_ROOT, Paths, build
from html_dom import parse_file

SCRIPT = "<script>alert('x')</script>"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder and the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit_task(content: Path, task_file: str, change) -> None:
    path = content / "tasks" / task_file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def good_site(tmp_path, content_copy) -> Path:
    out = tmp_path / "out" / "site"
    build(Paths(content=content_copy, out=out))
    return out


def test_bad_content_leaves_the_last_good_site_untouched(good_site, content_copy):
    before = snapshot(good_site)
    (content_copy / "tasks" / "1-01.yaml").write_text("id: 1-1\nstatus: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentErrors):
        build(Paths(content=content_copy, out=good_site))
    assert snapshot(good_site) == before
    assert sorted(p.name for p in good_site.parent.iterdir()) == ["site"], "no staging folder is left"


def test_an_unknown_status_fails_before_anything_is_written(good_site, content_copy):
    before = snapshot(good_site)
    edit_task(content_copy, "2-01.yaml", lambda task: task.update(status="finished"))
    with pytest.raises(ContentErrors) as raised:
        build(Paths(content=content_copy, out=good_site))
    assert any(e.file.endswith("2-01.yaml") for e in raised.value.errors)
    assert snapshot(good_site) == before


def test_a_broken_template_leaves_the_site_untouched(good_site, content_copy, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    (templates / "task.html").write_text('{% extends "base.html" %}{% block main %}{{ page.task.nope.deeper }}{% endblock %}',
                                         encoding="utf-8")
    before = snapshot(good_site)
    with pytest.raises(BuildError, match="task.html"):
        build(Paths(content=content_copy, out=good_site, templates=templates))
    assert snapshot(good_site) == before
    assert sorted(p.name for p in good_site.parent.iterdir()) == ["site"]


def test_a_failed_build_from_the_command_line_keeps_the_site(good_site, content_copy, capsys):
    before = snapshot(good_site)
    (content_copy / "leaders.yaml").write_text("- name: [\n", encoding="utf-8")
    status = build_command.main(["--content", str(content_copy), "--out", str(good_site)])
    assert status == 1
    assert "leaders.yaml" in capsys.readouterr().err
    assert snapshot(good_site) == before


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path):
    first, second = tmp_path / "one" / "site", tmp_path / "two" / "site"
    build(Paths(out=first))
    build(Paths(out=second))
    assert snapshot(first) == snapshot(second)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_builds_in_other_processes_hash_seeds_and_time_zones_are_byte_identical(tmp_path):
    """Set iteration order follows PYTHONHASHSEED and local dates follow TZ: neither may reach
    the output. Each build runs in its own interpreter, as `python build.py` does."""
    sites = []
    for seed, zone in (("1", "Pacific/Kiritimati"), ("4242", "America/Los_Angeles"), ("random", "UTC")):
        out = tmp_path / f"seed-{seed}" / "site"
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": zone}
        result = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--out", str(out), "-q"],
                                cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        sites.append(files(out))
    first = sites[0]
    assert first
    for other in sites[1:]:
        assert sorted(other) == sorted(first)
        assert [name for name in first if other[name] != first[name]] == []


def test_output_carries_no_build_time(built_site):
    today_like = re.compile(r"20[2-9]\d-\d\d-\d\dT\d\d:\d\d")
    for page in built_site.rglob("*.html"):
        assert not today_like.search(page.read_text(encoding="utf-8")), page


def test_the_build_ends_with_one_accurate_summary_line(tmp_path, capsys):
    out = tmp_path / "site"
    assert build_command.main(["--out", str(out)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    # content/site.yaml sets no base_url, so the summary also says the links are relative only.
    assert len(lines) == 2 and "no base_url" in lines[1] and "sitemap.xml" in lines[1]
    assert not (out / "sitemap.xml").exists()
    match = re.fullmatch(r"built (\d+) pages \((\d+) files\) in \d+\.\d\d s — 已生成 (\d+) 个页面", lines[0])
    assert match, lines[0]
    # The site's files; the build's mark of ownership is not one of them.
    files = [p for p in out.rglob("*") if p.is_file() and p.relative_to(out).as_posix() != ".catalogue-site"]
    assert (out / ".catalogue-site").is_file()
    assert int(match.group(1)) == int(match.group(3)) == sum(1 for p in files if p.suffix == ".html")
    assert int(match.group(2)) == len(files)


def _all_script_elements(page: Path):
    return [e for e in parse_file(page).iter() if e.tag == "script"]


def test_script_in_task_text_and_update_markdown_is_shown_as_text(content_copy, tmp_path):
    def inject(task):
        task["text"] = task["text"] + SCRIPT
        task["status"] = "on_track"
        task["updates"] = [{
            "date": dt.date(2021, 6, 30),
            "status": "on_track",
            "note": (f"进展正常。{SCRIPT}\n\n<img src=x onerror=alert(1)>\n\n"
                     "<div onclick=\"alert(1)\">块</div>\n\n"
                     "[坏链接](javascript:alert(1)) [好链接](https://example.org/a) ![图](https://example.org/x.png)"),
            "source": "https://example.org/news/1",
        }]

    edit_task(content_copy, "1-01.yaml", inject)
    out = tmp_path / "site"
    build(Paths(content=content_copy, out=out))

    task_page = out / "tasks" / "1-1" / "index.html"
    document = parse_file(task_page)
    text = document.one("main").text()
    assert SCRIPT in text, "the task text shows the tag as written"
    assert text.count(SCRIPT) >= 2, "so does the update's note"
    for page in [task_page, out / "sections" / "1" / "index.html", out / "index.html"]:
        for script in _all_script_elements(page):
            assert "alert" not in script.text(), page
        for element in parse_file(page).iter():
            assert not any(name.startswith("on") for name in element.attrs), (page, element.tag)
            assert element.tag not in ("img", "iframe", "object", "embed"), (page, element.tag)
            href = element.get("href") or ""
            assert not href.lower().startswith(("javascript:", "data:")), (page, href)
    note = document.one("div", cls="update-note")
    assert note.find("a", href="https://example.org/a") is not None
    assert "<img src=x onerror=alert(1)>" in note.text()
    listing = parse_file(out / "sections" / "1" / "index.html").one("main").text()
    assert SCRIPT in listing
