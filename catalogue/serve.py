"""Preview: build, serve the site on 127.0.0.1, build again on every change to content/,
templates/ or assets/, and reload the open browser tab (livereload).

Every build is the very build `python build.py` runs (pipeline.build), with the memory of the one
before kept in this process: a saved file makes again only the outputs it changes. The pages of
the edited tasks are written first and the tabs reloaded, then every other page that changed and
the tabs reloaded again; the open data, search index and feed follow. When a build
fails the last good site stays in place and every page is answered with the list of errors
instead, until a build succeeds; the tab reloads either way.
"""
from __future__ import annotations

import gc
import html
import logging
import multiprocessing
import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop
from tornado.web import OutputTransform, RequestHandler
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .errors import BuildError, ContentErrors, MachineError, describe_internal_error, printable
from .memory import Memory
from .pipeline import GC_THRESHOLDS, Live, Paths, Settings, build
from .write import guard_output

HOST = "127.0.0.1"
# Long enough for the writes of one save (a temporary file, then a rename: well under a millisecond
# apart), short beside the half second a preview may take from save to page.
SETTLE_SECONDS = 0.02
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp")
EXIT_OK, EXIT_USAGE = 0, 2


class Preview:
    """The watched folders, the kept build, and the outcome of the newest build.

    Builds are asked for by a worker thread, so the server keeps answering while one runs: the
    watcher (inotify through watchdog, no polling) wakes the worker, which has the build made
    with the memory of the last one and asks the event loop to reload the tabs once the pages of
    the edited tasks are written, and again once every page is. `build.py serve` has the builds
    made in a process of their own (BuildProcess), which keeps the memory; otherwise they run in
    the worker's thread.
    """

    def __init__(self, paths: Paths, settings: Settings, say: Callable[[str], None],
                 progress: Callable[[str], None], url: str, separate_process: bool = False):
        self.paths = paths
        self.settings = settings
        self.url = url
        self.say = say
        self.progress = progress
        self.folders = [paths.content, paths.templates, paths.assets]
        self.memory = Memory.for_preview()
        self.error_page: str | None = None  # set while the newest build failed
        # How many times the tabs were told to reload: each page carries the number it was
        # served under (EpochScript), and reloads itself if a reload was called for since.
        self.epoch = 0
        self.changes: set[str] = set()
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.builds = BuildProcess(paths, settings) if separate_process else None
        self.loop: IOLoop | None = None

    def note(self, path: str) -> None:
        """Called by the watcher's thread for each file created, changed, moved or removed."""
        name = os.path.basename(path)
        if name.startswith(".") or name.endswith(IGNORED_SUFFIXES) or "/." in path:
            return
        with self.lock:
            self.changes.add(path)
            self.wake.set()
            if self.builds is not None:
                self.builds.waiting.value = 1

    def take_changes(self) -> list[str]:
        # Editors save in bursts (a temporary file, a rename): gather what comes within a moment.
        time.sleep(SETTLE_SECONDS)
        with self.lock:
            changes, self.changes = sorted(self.changes), set()
            self.wake.clear()
            if self.builds is not None:
                self.builds.waiting.value = 0
        return changes

    def rebuild(self, reload: Callable[[], None] = lambda: None) -> bool:
        """Build; `reload` once the pages are in place (or the error page is ready). On failure
        keep the last good site and prepare the error page."""
        if self.builds is not None:
            failure, summary = self.builds.build(reload, self.progress)
        else:
            live = Live(superseded=self.wake.is_set, first_written=reload, edited_written=reload)
            failure, summary = build_once(self.paths, self.settings, self.memory, self.progress, live)
        self.error_page = failure
        if failure is None:
            self.say(summary)
        return failure is None

    def work(self) -> None:
        """The worker thread: rebuild after each batch of changes, then reload every tab."""
        while True:
            self.wake.wait()
            changes = self.take_changes()
            if not changes:
                continue
            self.progress("changed: " + ", ".join(_short(path) for path in changes[:5])
                          + (f" and {len(changes) - 5} more" if len(changes) > 5 else ""))
            # A stylesheet alone is swapped in place; anything else reloads the page.
            single_css = len(changes) == 1 and changes[0].endswith(".css")
            target = changes[0] if single_css and self.error_page is None else "*"
            reloaded = []

            def reload() -> None:
                self.error_page = None  # the new pages are in place: serve them
                reloaded.append(target)
                self.reload_tabs(target)

            if not self.rebuild(reload) or not reloaded:  # the error page, or a change that made no page
                self.reload_tabs("*")
            # The build leaves the collector of cycles to this idle moment (pipeline.build pauses
            # it): the last build's model goes now, not at some later build's expense.
            if self.builds is None and not self.wake.is_set():
                gc.collect()

    def reload_tabs(self, target: str) -> None:
        """Tell every tab to reload, once what they are to show is in place (the pages written,
        or the error page set): the epoch moves after that, so a page served under the new one
        already shows it."""
        self.epoch += 1
        self.loop.add_callback(LiveReloadHandler.reload_waiters, target)

    def start(self) -> None:
        """Watch the folders and start the worker; called from the server's event loop."""
        self.loop = IOLoop.current()
        observer = Observer()
        handler = _Forward(self)
        for folder in self.folders:
            observer.schedule(handler, str(folder), recursive=True)
        observer.daemon = True
        observer.start()
        threading.Thread(target=self.work, name="preview-builds", daemon=True).start()


def build_once(paths: Paths, settings: Settings, memory: Memory, progress: Callable[[str], None],
               live: Live) -> tuple[str | None, str]:
    """One build of the preview: (None, its summary), or (the error page, "") with the errors
    printed, the last good site kept."""
    try:
        return None, build(paths, settings, memory, progress, live=live).summary()
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr, flush=True)
        return error_page(errors), ""
    except (BuildError, MachineError) as error:
        print(f"build failed: {error}", file=sys.stderr, flush=True)
        return error_page(None, str(error)), ""
    except Exception as error:  # a template or code being edited; the preview must stay up
        problem = describe_internal_error(error)
        print(problem, file=sys.stderr, flush=True)
        return error_page(None, problem), ""


class BuildProcess:
    """The preview's builds in a process of their own, which keeps their memory. In the server's
    process a build and the server took turns at the interpreter's lock: each request the server
    answered held the build up, and each build held the answers up. The process is made again if
    it stops."""

    def __init__(self, paths: Paths, settings: Settings):
        self.paths, self.settings = paths, settings
        # Spawned, not forked: a fork would copy the server's threads' locks in whatever state.
        self.context = multiprocessing.get_context("spawn")
        # 1 while a newer change waits: the build in progress gives up what it has left to make.
        # Shared memory, not a multiprocessing.Event, whose semaphores the preview, ended by
        # Ctrl+C without running their finalizers, would leave to a warning of "leaked" ones.
        self.waiting = self.context.RawValue("b", 0)
        self.connection = None
        self._start()

    def _start(self) -> None:
        if self.connection is not None:  # the end of a pipe to a process that stopped
            self.connection.close()
        self.connection, theirs = self.context.Pipe()
        self.process = self.context.Process(target=_builds, args=(self.paths, self.settings, theirs, self.waiting),
                                            name="preview-builds", daemon=True)
        self.process.start()
        theirs.close()

    def build(self, reload: Callable[[], None], progress: Callable[[str], None]) -> tuple[str | None, str]:
        if not self.process.is_alive():
            self._start()
        try:
            self.connection.send("build")
            while True:
                kind, *said = self.connection.recv()
                if kind == "progress":
                    progress(said[0])
                elif kind == "written":
                    reload()
                else:
                    return said[0], said[1]
        except (EOFError, OSError):
            self.process.join(1)
            problem = (f"the build process stopped (exit status {self.process.exitcode}); the next change starts"
                       " another — 生成网站的进程意外停止，下一次修改时将重新启动")
            print(problem, file=sys.stderr, flush=True)
            return error_page(None, problem), ""


def _builds(paths: Paths, settings: Settings, connection, waiting) -> None:
    """The builds' process: a build with the memory of the last each time it is asked, saying
    what the server needs to know as it goes. It ends with the server (its end of the pipe)."""
    gc.set_threshold(*GC_THRESHOLDS)
    memory = Memory.for_preview()
    send = connection.send

    def written() -> None:
        send(("written",))

    def superseded() -> bool:
        return waiting.value == 1

    live = Live(superseded=superseded, first_written=written, edited_written=written)
    try:
        while connection.recv() == "build":
            send(("done", *build_once(paths, settings, memory, lambda message: send(("progress", message)), live)))
            # As in Preview.work: the last build's leftovers collected while waiting.
            if not superseded():
                gc.collect()
    except (EOFError, OSError, KeyboardInterrupt):  # the server has stopped
        return


class _Forward(FileSystemEventHandler):
    def __init__(self, preview: Preview):
        self.preview = preview

    def on_any_event(self, event) -> None:
        # A folder appearing or going (say one named x.yaml) changes what the build reads; one
        # whose contents changed is reported through those contents.
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        self.preview.note(os.path.abspath(event.src_path))
        if getattr(event, "dest_path", ""):
            self.preview.note(os.path.abspath(event.dest_path))


def _short(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2rem auto;
       max-width: 60rem; padding: 0 1rem; line-height: 1.6; color: #111; }
h1 { color: #b91c1c; font-size: 1.5rem; }
li { margin: 0 0 1rem; padding: .75rem 1rem; border-left: .3rem solid #b91c1c; background: #fef2f2;
     list-style: none; }
ol { padding: 0; }
code, pre { font-family: ui-monospace, "Noto Sans Mono CJK SC", monospace; }
.where { font-weight: bold; }
.en { color: #444; }
.fix { color: #14532d; }
pre { white-space: pre-wrap; background: #fef2f2; padding: 1rem; }
"""


def error_page(errors: ContentErrors | None, problem: str = "") -> str:
    """The page every address shows while the build is broken: each error with its file, line,
    field, Chinese and English message and the fix; or, without content errors, `problem`."""
    esc = html.escape
    items = []
    for error in errors.listed() if errors else ():
        where = error.file if error.line is None else f"{error.file}:{error.line}"
        fix = ""
        if error.hint_zh or error.hint_en:
            fix = f'<div class="fix">→ {esc(error.hint_zh)}' + (f' <span class="en">({esc(error.hint_en)})</span>' if error.hint_en else "") + "</div>"
        items.append(
            f'<li><div class="where"><code>{esc(where)}</code>'
            + (f" — <code>{esc(error.field)}</code>" if error.field else "")
            + f'</div><div lang="zh-CN">{esc(error.zh)}</div><div class="en" lang="en">{esc(error.en)}</div>{fix}</li>'
        )
    unlisted = errors.unlisted() if errors else None
    if unlisted:
        items.append(f'<li class="unlisted"><div lang="zh-CN">{esc(unlisted[0])}</div>'
                     f'<div class="en" lang="en">{esc(unlisted[1])}</div></li>')
    count = len(errors.errors) if errors else 0
    body = (f"<p>内容检查发现 {count} 个问题，网站未更新。改正后保存文件，本页会自动刷新。<br>"
            f'<span class="en" lang="en">{count} problem(s) found in content; the site was not rebuilt. '
            f"Fix them and save: this page reloads by itself.</span></p>\n<ol>{''.join(items)}</ol>"
            if errors else
            "<p>生成网站时出错，网站未更新。改正后保存文件，本页会自动刷新。<br>"
            '<span class="en" lang="en">The build failed; the site was not rebuilt. '
            f"Fix it and save: this page reloads by itself.</span></p>\n<pre>{esc(printable(problem))}</pre>")
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>内容有误 · Build error</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        '<main id="build-error">\n<h1>网站未能生成 <span class="en" lang="en">Build error</span></h1>\n'
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def _is_page(path: str) -> bool:
    """Whether a request asks for a page (not a stylesheet, script, image or data file)."""
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith((".html", ".htm")) or "." not in last


class PreviewHandler(StaticFileHandler):
    """Files of the built site; every page is the error page while the build is broken."""

    def initialize(self, path: str, default_filename: str | None = None, preview: Preview | None = None):
        super().initialize(path, default_filename)
        self.preview = preview

    def prepare(self) -> None:
        # Read before the page is: a page served under this epoch is at least as new as it.
        # Tornado runs a handler's output through its transforms, livereload's script among them.
        self._transforms = [*self._transforms, EpochScript(self.request, self.preview.epoch)]

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    async def get(self, path: str, include_body: bool = True) -> None:
        if self.preview.error_page is not None and _is_page(path):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(self.preview.error_page if include_body else None)
            return
        await super().get(path, include_body)

    def write_error(self, status_code: int, **kwargs) -> None:
        """A missing page gets the site's own 404.html, as on GitHub Pages."""
        not_found = Path(self.root) / "404.html"
        if status_code == 404 and not_found.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(not_found.read_bytes())
            return
        super().write_error(status_code, **kwargs)


class EpochScript(OutputTransform):
    """Puts into a page the preview's epoch it was served under, and a script that asks for the
    epoch once livereload has connected and reloads the page if it moved. A reload sent while a
    tab was between two pages (the page asked for, its connection not yet open) reached no one:
    a build that failed just after another left the tab on the last good page, not on the
    error page. MkDocs' preview carries its build epoch in each page for the same reason."""

    def __init__(self, request, epoch: int):
        super().__init__(request)
        self.script = EPOCH_SCRIPT.replace("EPOCH", str(epoch)).encode("ascii")

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
            chunk = chunk.replace(b"</head>", self.script + b"</head>", 1)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(self.script))
        return status_code, headers, chunk


EPOCH_PATH = "/livereload/epoch"  # beside livereload's own /livereload and /livereload.js
EPOCH_SCRIPT = ('<script>document.addEventListener("LiveReloadConnect",function(){'
                f'fetch("{EPOCH_PATH}",{{cache:"no-store"}}).then(function(r){{return r.text()}})'
                '.then(function(e){if(e!=="EPOCH")location.reload()})})</script>')


class EpochHandler(RequestHandler):
    """The preview's epoch, for EpochScript."""

    def initialize(self, preview: Preview):
        self.preview = preview

    def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(str(self.preview.epoch))


class ThreadedWatcher(Watcher):
    """Hands livereload's watcher slot to Preview: inotify events and a build thread instead
    of livereload's polling, which looks at every file every 0.8 s and holds back reloads that
    come within 3 s of the previous one."""

    def __init__(self, preview: Preview):
        super().__init__()
        self.preview = preview

    def start(self, callback) -> bool:
        """Called by the server once it listens."""
        self.preview.say(f"serving {self.preview.url} — 预览地址 {self.preview.url}"
                         "（按 Ctrl+C 停止 / press Ctrl+C to stop）")
        self.preview.start()
        return True


class PreviewServer(Server):
    def __init__(self, preview: Preview):
        super().__init__(watcher=ThreadedWatcher(preview))
        self.preview = preview

    def get_web_handlers(self, script):
        return [(EPOCH_PATH, EpochHandler, {"preview": self.preview}), (r"/(.*)", PreviewHandler, {
            "path": str(self.preview.paths.out), "default_filename": "index.html", "preview": self.preview,
        })]

    def _setup_logging(self) -> None:
        """Speak through `say` instead of livereload's and tornado's loggers."""
        logging.getLogger("tornado.access").disabled = True


def serve(paths: Paths, settings: Settings = Settings(), port: int = 8000,
          say: Callable[[str], None] = print, progress: Callable[[str], None] = lambda message: None) -> int:
    """Build, then serve paths.out on 127.0.0.1:port until interrupted; return the exit status."""
    guard_output(paths.out, paths.read())  # UsageError before anything is served or written
    preview = Preview(paths, settings, say, progress, url=f"http://{HOST}:{port}/", separate_process=True)
    preview.rebuild()
    try:
        PreviewServer(preview).serve(port=port, host=HOST, open_url_delay=None)
    except OSError as error:
        print(f"cannot serve on {preview.url}: {error.strerror or error}\n"
              f"端口 {port} 无法使用，请用 --port 换一个端口。", file=sys.stderr)
        return EXIT_USAGE
    say("stopped — 预览已停止")
    return EXIT_OK
