"""`python build.py serve` in a private copy of the project: an edit is served, a broken file
shows its error while the server stays up, and the fixed file brings the site back."""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalogue.pipeline import PROJECT_ROOT

TASK_FILE = "content/tasks/1-01.yaml"
TASK_PAGE = "tasks/1-1/"
STARTUP_SECONDS = 90
CHANGE_SECONDS = 10  # generous bound for a loaded CI machine; the latency itself is reported


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_project(target: Path) -> Path:
    for name in ("catalogue", "templates", "assets", "content"):
        shutil.copytree(PROJECT_ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(PROJECT_ROOT / "build.py", target / "build.py")
    return target


@dataclass
class Preview:
    process: subprocess.Popen
    url: str
    root: Path
    log: Path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def wait_for(self, path: str, predicate, seconds: float, what: str) -> tuple[int, str, float]:
        """Poll `path` until predicate(status, body); return them and the seconds it took."""
        started = time.perf_counter()
        status, body = None, ""
        while time.perf_counter() - started < seconds:
            assert self.process.poll() is None, f"serve exited while waiting for {what}:\n{self.output()}"
            try:
                status, body = self.get(path)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                status, body = None, ""
            if status is not None and predicate(status, body):
                return status, body, time.perf_counter() - started
            time.sleep(0.02)
        pytest.fail(f"timed out after {seconds} s waiting for {what} (last status {status}):\n"
                    f"{body[:2000]}\n--- serve output ---\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def edit(self, old: str, new: str) -> None:
        path = self.root / TASK_FILE
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {TASK_FILE}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def launch(root: Path, log: Path) -> Preview:
    """Start `python build.py serve --port <free>` in `root`."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--port", str(port), "-v"],
            cwd=root, stdout=output, stderr=subprocess.STDOUT,
        )
    return Preview(process, f"http://127.0.0.1:{port}/", root, log)


def stop(server: Preview) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture
def preview(tmp_path) -> Preview:
    """`python build.py serve` running in a copy of the project, its first build done."""
    server = launch(copy_project(tmp_path / "project"), tmp_path / "serve.log")
    try:
        server.wait_for(TASK_PAGE, lambda status, body: status == 200, STARTUP_SECONDS, "the first build")
        yield server
    finally:
        stop(server)


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_edit_break_fix(preview: Preview, capsys):
    original = (preview.root / TASK_FILE).read_text(encoding="utf-8")
    text_line = next(line for line in original.splitlines() if line.startswith("text: "))
    marker = "（预览测试改动）"

    # An edit is served.
    preview.edit(text_line, text_line + marker)
    status, body, latency = preview.wait_for(
        TASK_PAGE, lambda status, body: marker in body, CHANGE_SECONDS, "the edited text")
    assert status == 200
    assert "/livereload.js" in body, "the page must carry the live-reload script"
    edited = (preview.root / TASK_FILE).read_text(encoding="utf-8")

    # A broken file: the server stays up and every page shows the error, with file and line.
    preview.edit("status: ", "status: broken: ")
    broken_line = line_of((preview.root / TASK_FILE).read_text(encoding="utf-8"), "status: broken: ")
    status, body, error_latency = preview.wait_for(
        TASK_PAGE, lambda status, body: 'id="build-error"' in body, CHANGE_SECONDS, "the error page")
    assert status == 500
    assert f"{TASK_FILE}:{broken_line}" in body
    assert "YAML 格式错误" in body and "YAML does not parse" in body
    assert "/livereload.js" in body, "the error page must reload by itself once the file is fixed"
    assert preview.get("")[0] == 500, "every page shows the error while the build is broken"
    assert preview.get("data/tasks.json")[0] == 200, "files of the last good site are still served"
    assert marker in (preview.root / "site" / TASK_PAGE / "index.html").read_text(encoding="utf-8"), \
        "the last good site stays on disk"
    assert preview.process.poll() is None

    # Fixed: the site comes back.
    (preview.root / TASK_FILE).write_text(edited, encoding="utf-8")
    status, body, fix_latency = preview.wait_for(
        TASK_PAGE, lambda status, body: status == 200 and marker in body, CHANGE_SECONDS, "the recovered page")
    assert 'id="build-error"' not in body

    with capsys.disabled():
        print(f"\n  serve latency: edit {latency:.2f} s, break {error_latency:.2f} s, fix {fix_latency:.2f} s")


def test_starts_with_broken_content_and_recovers(tmp_path):
    """No good site yet: the server still starts, shows the errors, and builds once fixed."""
    root = copy_project(tmp_path / "project")
    task = root / TASK_FILE
    good = task.read_text(encoding="utf-8")
    task.write_text(good.replace("status: no_information", "status: 序时推进"), encoding="utf-8")
    server = launch(root, tmp_path / "serve.log")
    try:
        status, body, _ = server.wait_for(TASK_PAGE, lambda status, body: status == 500, STARTUP_SECONDS,
                                          "the error page")
        assert 'id="build-error"' in body and "未知的状态“序时推进”" in body and "unknown status" in body
        assert not (root / "site").exists()
        task.write_text(good, encoding="utf-8")
        server.wait_for(TASK_PAGE, lambda status, body: status == 200, CHANGE_SECONDS, "the first good build")
        status, body = server.get("no/such/page/")
        assert status == 404 and 'id="build-error"' not in body
    finally:
        stop(server)


def test_port_in_use_is_a_usage_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "build.py", "serve", "--port", str(port), "--out", str(tmp_path / "site"), "-q"],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 2
    assert f"127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.browser
def test_open_tab_reloads_by_itself(preview: Preview, page):
    """The test never reloads the tab: livereload does, after each rebuild."""
    original = (preview.root / TASK_FILE).read_text(encoding="utf-8")
    text_line = next(line for line in original.splitlines() if line.startswith("text: "))
    page.add_init_script("document.addEventListener('LiveReloadConnect', () => { window.liveReloadConnected = true; })")

    def connected() -> None:
        page.wait_for_function("() => window.liveReloadConnected === true", timeout=15000)

    page.goto(preview.url + TASK_PAGE)
    connected()
    preview.edit(text_line, text_line + "（浏览器自动刷新）")
    page.get_by_text("（浏览器自动刷新）").first.wait_for(timeout=CHANGE_SECONDS * 1000)

    connected()
    preview.edit("status: ", "status: broken: ")
    page.locator("#build-error").wait_for(timeout=CHANGE_SECONDS * 1000)
    assert re.search(r"content/tasks/1-01\.yaml:\d+", page.locator("#build-error").inner_text())

    connected()
    (preview.root / TASK_FILE).write_text(original, encoding="utf-8")
    # Asked of the page as it is at each moment: a tab may reload more than once (the edited
    # task's page first, then every page; and a reload its connection missed).
    page.wait_for_function("() => !document.getElementById('build-error') && window.liveReloadConnected"
                           " && !document.body.innerText.includes('（浏览器自动刷新）')", timeout=CHANGE_SECONDS * 1000)


@pytest.mark.browser
def test_a_tab_that_missed_a_reload_between_two_pages_reloads_once_connected(preview: Preview, page):
    """A reload sent while a tab had its page but not yet its connection reached no one. Here the
    tab's livereload is held back until the edit's reload has been sent: once it connects, the
    page reloads by itself and shows the edit."""
    page.route("**/livereload.js*", lambda route: route.abort(), times=1)
    page.goto(preview.url + TASK_PAGE)
    served_under = re.search(r'e!=="(\d+)"', page.content()).group(1)
    text_line = next(line for line in (preview.root / TASK_FILE).read_text(encoding="utf-8").splitlines()
                     if line.startswith("text: "))
    builds = preview.log.read_text(encoding="utf-8").count("built ")
    preview.edit(text_line, text_line + "（错过的刷新）")
    # Until the edit's build is done: it reloads the tabs twice (the task's page, then every page).
    deadline = time.monotonic() + CHANGE_SECONDS
    while preview.log.read_text(encoding="utf-8").count("built ") == builds and time.monotonic() < deadline:
        time.sleep(0.05)
    assert preview.get("livereload/epoch")[1] != served_under
    assert "（错过的刷新）" not in page.content()
    asked, loaded = [], []
    page.on("response", lambda response: asked.append(1) if response.url.endswith("/livereload/epoch") else None)
    page.on("load", lambda _: loaded.append(1))
    page.evaluate("""() => { const script = document.createElement("script");
        script.src = "/livereload.js?port=" + location.port; document.head.appendChild(script); }""")
    page.get_by_text("（错过的刷新）").first.wait_for(timeout=CHANGE_SECONDS * 1000)
    # The page it reloaded to asks too, finds the epoch it was served under, and stays.
    deadline = time.monotonic() + CHANGE_SECONDS
    while len(asked) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert len(asked) == 2
    page.wait_for_timeout(700)
    assert (len(asked), len(loaded)) == (2, 1), "one reload, then none"


def test_the_epoch_goes_into_pages_alone_before_their_head_ends_with_their_length():
    from catalogue.serve import EpochScript

    script = EpochScript(None, 7)
    page = b"<html><head><title>t</title></head><body></head></body></html>"
    status, headers, chunk = script.transform_first_chunk(
        200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(page))}, page, True)
    assert chunk == page.replace(b"</head>", script.script + b"</head>", 1)
    assert b'e!=="7"' in script.script and chunk.count(script.script) == 1
    assert int(headers["Content-Length"]) == len(chunk)
    for kind, body in (("text/css", b"</head>"), ("text/html", b"<p>no head</p>")):
        assert script.transform_first_chunk(200, {"Content-Type": kind}, body, True)[2] == body


def test_the_preview_s_builds_run_in_a_process_of_their_own_which_keeps_their_memory(tmp_path):
    """build.py serve's Preview has its builds made in another process: the site is built there,
    an edit is built again with that process's memory (the tabs told twice: the edited task's
    page, then every page), an error comes back as the error page, and a process that dies is
    reported and then started again."""
    import os
    import signal

    from catalogue.pipeline import Paths, Settings
    from catalogue.serve import Preview
    from tiny_content import write_tiny_content

    content = write_tiny_content(tmp_path)
    said: list[str] = []
    preview = Preview(Paths(content=content, out=tmp_path / "site"), Settings(), said.append, lambda message: None,
                      "http://x/", separate_process=True)
    first = preview.builds.process.pid
    assert first != os.getpid()
    assert preview.rebuild() is True and (tmp_path / "site" / "index.html").is_file()
    assert preview.memory.parsed == {}, "the memory is the builds' process's"
    task = content / "tasks" / "1-01.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("text: ", "text: 琥珀", 1), encoding="utf-8")
    reloads: list[str] = []
    assert preview.rebuild(lambda: reloads.append("reload")) is True
    assert reloads == ["reload", "reload"]
    assert "琥珀".encode() in (tmp_path / "site" / "tasks" / "1-1" / "index.html").read_bytes()
    assert said[-1].startswith("built ") and "made again" in said[-1], \
        "the second build remembered the first"

    # A newer change noted while it builds: the builds' process gives up the open data and the
    # search index, which the next build makes.
    task.write_text(task.read_text(encoding="utf-8").replace("text: ", "text: 琥珀二", 1), encoding="utf-8")
    preview.note(str(task))
    assert preview.rebuild() is True
    assert "琥珀二".encode() in (tmp_path / "site" / "tasks" / "1-1" / "index.html").read_bytes()
    assert "琥珀二".encode() not in (tmp_path / "site" / "data" / "tasks.json").read_bytes()
    assert preview.take_changes() == [str(task)]
    assert preview.rebuild() is True
    assert "琥珀二".encode() in (tmp_path / "site" / "data" / "tasks.json").read_bytes()

    task.write_text(task.read_text(encoding="utf-8").replace("status: ", "status: unknown_", 1), encoding="utf-8")
    assert preview.rebuild() is False and "unknown_" in preview.error_page

    os.kill(first, signal.SIGKILL)
    preview.builds.process.join(10)
    restart = preview.builds._start
    preview.builds._start = lambda: None  # as if it had died once found alive
    assert preview.rebuild() is False and "build process stopped" in preview.error_page
    preview.builds._start = restart
    task.write_text(task.read_text(encoding="utf-8").replace("status: unknown_", "status: ", 1), encoding="utf-8")
    assert preview.rebuild() is True and preview.error_page is None, "another process, which builds"
    assert preview.builds.process.pid != first


def test_ctrl_c_stops_the_preview_and_its_builds_process_quietly(tmp_path):
    """Ctrl+C (SIGINT to the terminal's process group: the server and its builds' process) ends
    both with the preview's one line, no traceback, and no warning about what the builds'
    process shared with the server."""
    import os
    import signal

    root = copy_project(tmp_path / "project")
    port = free_port()
    process = subprocess.Popen([sys.executable, "build.py", "serve", "--port", str(port)], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                               # as a terminal starts it: a background job of a script ignores SIGINT
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        server = Preview(process, f"http://127.0.0.1:{port}/", root, tmp_path / "unused.log")
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                if server.get(TASK_PAGE)[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0, output
    assert output.rstrip().endswith("stopped — 预览已停止"), output
    assert "Traceback" not in output and "leaked" not in output and "Warning" not in output, output
