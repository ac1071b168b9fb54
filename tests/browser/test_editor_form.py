"""The editor form in Chromium, against Decap CMS's local backend (decap-server from npm, started
here on a free port and stopped after): an editor opens task 4-10, changes its status, adds an
update and saves. The file on disk then holds exactly those changes, in those lines alone, and
`build.py check` passes on it. Nothing is asked of another host.

The form's config says `local_backend: true`, whose address Decap fixes (localhost:8081); the
test's browser sends what the form asks there to the server on its free port."""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from catalogue.pipeline import PROJECT_ROOT, Paths, build
from tests.conftest import serve_directory
from tests.search_node import node

pytestmark = pytest.mark.browser

TASK = "4-10"
TASK_FILE = Path("content/tasks/4-10.yaml")
LOCAL_BACKEND = "http://localhost:8081/api/v1"  # Decap's address for `local_backend: true`
SERVER = PROJECT_ROOT / "tests" / "js" / "decap_server.mjs"


def start_local_backend(repository: Path, mode: str = "fs") -> tuple[subprocess.Popen, int]:
    """decap-server over `repository`, on a free port: the process and its port. Mode fs writes
    the file at each save; git makes each save a branch of `repository`, a git repository."""
    if not (PROJECT_ROOT / "node_modules" / "decap-server").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("node_modules/decap-server is missing: setup.sh runs npm ci")
        pytest.skip("node_modules/decap-server is missing (npm ci)")
    process = subprocess.Popen([node(), str(SERVER), str(repository), mode], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=repository)
    line = process.stdout.readline()
    if not line.strip().isdigit():
        process.kill()
        pytest.fail(f"decap-server did not start: {line}{process.stderr.read()}")
    return process, int(line)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def repository(tmp_path) -> Path:
    """A copy of the repository's content, which the form edits through decap-server."""
    root = tmp_path / "repository"
    shutil.copytree(PROJECT_ROOT / "content", root / "content")
    return root


@pytest.fixture
def admin(repository, tmp_path):
    """The site built from the copy, served on a free port, and decap-server over the copy:
    the admin page's address and the backend's port."""
    out = tmp_path / "site"
    build(Paths(content=repository / "content", out=out))
    server, url = serve_directory(out)
    process, port = start_local_backend(repository)
    yield url + "admin/index.html", port
    stop(process)
    server.shutdown()


def open_form(page, admin, entry: str | None = TASK, outside: list[str] | None = None):
    """Open the form (on `entry` of the first plan) logged in to the local backend; requests to
    any host but this machine are refused and listed in `outside`."""
    url, port = admin

    def route(request_route):
        request = request_route.request
        host = urlsplit(request.url).hostname
        if request.url.startswith(LOCAL_BACKEND):
            response = request_route.fetch(url=f"http://127.0.0.1:{port}/api/v1")
            request_route.fulfill(response=response)
        elif host in ("127.0.0.1", "localhost"):
            request_route.continue_()
        else:
            if outside is not None:
                outside.append(request.url)
            request_route.abort()

    page.context.route("**/*", route)
    page.goto(url + (f"#/collections/plan-2021/entries/{entry}" if entry else ""))
    page.get_by_role("button", name="登录").click()
    if entry:
        page.get_by_label("当前状态", exact=True).wait_for(timeout=60_000)


def statuses() -> list[dict]:
    return yaml.safe_load((PROJECT_ROOT / "content" / "statuses.yaml").read_text(encoding="utf-8"))


def choose(page, field, label: str) -> None:
    """Pick `label` in one of Decap's selects."""
    field.click()
    page.get_by_role("option", name=label, exact=True).click()


def add_update(page, day: str, status_label: str, note: str, source_title: str, kind_label: str) -> None:
    page.get_by_role("button", name="新增进展").click()
    page.get_by_label("日期", exact=True).last.fill(day)
    choose(page, page.get_by_label("状态", exact=True).last, status_label)
    page.locator("[contenteditable=true]").last.click()
    page.keyboard.type(note)
    page.get_by_label("标题", exact=True).last.fill(source_title)
    # Optional, as the check takes the day a page was read instead: the label says so.
    page.get_by_label(re.compile(r"^发布日期")).last.fill(day)
    choose(page, page.get_by_label("类别", exact=True).last, kind_label)


def publish(page, path: Path, before: str) -> str:
    """Save through the local backend (where a save is published at once) and wait for the file."""
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布", exact=True).click()
    last = None
    for _ in range(300):  # the page's own wait: the browser keeps answering the backend's route
        text = path.read_text(encoding="utf-8")
        # decap-server writes a file by emptying it first: a save is taken once the file holds
        # the same new text twice in a row, never the moment between.
        if text != before and text and text == last:
            return text
        last = text
        page.wait_for_timeout(100)
    pytest.fail("the form's save never reached the file")


def test_an_editor_changes_the_status_and_adds_an_update(page, admin, repository):
    path = repository / TASK_FILE
    before = path.read_text(encoding="utf-8")
    data = yaml.safe_load(before)
    outside: list[str] = []
    open_form(page, admin, outside=outside)

    registry = statuses()
    page.get_by_label("当前状态", exact=True).click()
    offered = page.get_by_role("option").all_inner_texts()
    assert offered == [status["label"] for status in registry]
    page.keyboard.press("Escape")

    # A status a news update may set: one that needs a closed reporting round cannot be.
    new = next(status for status in reversed(registry)
               if status["code"] != data["status"] and not status.get("needs_round"))
    day = (max(update["date"] for update in data["updates"]) + dt.timedelta(days=1)).isoformat()
    kind_code, kind_label = "news", "新闻报道"
    choose(page, page.get_by_label("当前状态", exact=True), new["label"])
    add_update(page, day, new["label"], "上市后备企业培育持续推进。", "试验来源", kind_label)
    after = publish(page, path, before)

    expected = dict(data, status=new["code"])
    expected["updates"] = data["updates"] + [{
        "date": dt.date.fromisoformat(day), "status": new["code"], "note": "上市后备企业培育持续推进。",
        "source": {"title": "试验来源", "date": dt.date.fromisoformat(day), "kind": kind_code}}]
    assert yaml.safe_load(after) == expected
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "-+" and not line.startswith(("---", "+++"))]
    assert diff == [f"-status: {data['status']}", f"+status: {new['code']}",
                    f"+  - date: {day}",
                    f"+    status: {new['code']}",
                    "+    note: 上市后备企业培育持续推进。",
                    "+    source:",
                    "+      title: 试验来源",
                    f"+      date: {day}",
                    f"+      kind: {kind_code}"]
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "check", "--content",
                           str(repository / "content")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert outside == []


def test_the_form_refuses_a_save_it_can_tell_is_wrong(page, admin, repository):
    """An update left empty is not saved: the form names each field it lacks, in Chinese."""
    path = repository / TASK_FILE
    before = path.read_text(encoding="utf-8")
    open_form(page, admin)
    page.get_by_role("button", name="新增进展").click()
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布", exact=True).click()
    for label in ("日期", "状态", "进展说明", "标题", "类别"):
        page.get_by_text(f"“{label}”是必填项").first.wait_for(timeout=10_000)
    # A page without a date of its own is cited by the day it was read: the check, not the form, asks for one of them.
    assert page.get_by_text("“网址”是必填项").count() == 0 and page.get_by_text("“发布日期”是必填项").count() == 0
    page.wait_for_timeout(1000)
    assert path.read_text(encoding="utf-8") == before
