"""The build, top to bottom: load, validate, model, render, write.

`build()` is the only way a site is made: the command line, the preview server and the tests
all call it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .admin import admin_outputs
from .corrections import attach_corrections, source_text_outputs
from .errors import ContentError, ContentErrors
from .exports import export_outputs
from .feed import feed_outputs
from .history import apply_history, git_commits
from .load import Content, Document, display_path, read_content, read_document
from .publish import apply_settings
from .model import Catalogue
from .model_builder import build_catalogue
from .pages import PLANS_LISTED, Page, all_pages, cited_plans
from .render import render_pages, render_selected, robots, sitemaps, tasks_shown
from .search import search_outputs
from .strings import Strings
from .validate import TaskCheckMemo, validate
from .write import (Outputs, copy_tree_outputs, digest, guard_output, leftovers, merge_outputs, write_changed,
                    write_site)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    content: Path = PROJECT_ROOT / "content"
    out: Path = PROJECT_ROOT / "site"
    templates: Path = PROJECT_ROOT / "templates"
    assets: Path = PROJECT_ROOT / "assets"

    def read(self) -> list[Path]:
        """The folders a build reads, which its output must stay clear of."""
        return [self.content, self.templates, self.assets]


@dataclass(frozen=True)
class BuildResult:
    catalogue: Catalogue
    files: int
    pages: int
    seconds: float
    leftovers: tuple[Path, ...] = ()  # staging folders of interrupted builds, left in place

    def summary(self) -> str:
        text = (f"built {self.pages} pages ({self.files} files) in {self.seconds:.2f} s"
                f" — 已生成 {self.pages} 个页面")
        if self.leftovers:
            names = ", ".join(path.name for path in self.leftovers)
            text += (f"\nleft by an interrupted build, not removed: {names}; delete them when no build is running"
                     f" — 中断的构建留下的文件夹（未删除）：{names}")
        if not self.catalogue.site.base_url:
            text += ("\nno base_url: relative links only; no canonical links, no sitemap.xml, "
                     "no feed — 未设置 base_url：只用相对链接，不生成 sitemap.xml 和 feed.xml。"
                     "Set base_url in content/site.yaml or pass --base-url to publish.")
        return text


def produce(catalogue: Catalogue, paths: Paths) -> Outputs:
    """Every file of the site, by its path in site/, before anything is written."""
    say = Strings.read(paths.templates)
    producers: list[tuple[str, Callable[[], Outputs]]] = [
        ("pages", lambda: render_pages(catalogue, say, paths.templates)),
        ("open data", lambda: export_outputs(catalogue)),
        ("search index", lambda: search_outputs(catalogue)),
        ("feed", lambda: feed_outputs(catalogue)),
        ("source text", lambda: source_text_outputs(catalogue)),
        ("assets", lambda: copy_tree_outputs(paths.assets, "assets")),
        ("editor form", lambda: admin_outputs(catalogue, say, paths.templates, paths.content.name)),
    ]
    return merge_outputs([(name, make()) for name, make in producers])


def build(paths: Paths = Paths(), base_url: str | None = None,
          progress: Callable[[str], None] = lambda message: None,
          site: dict[str, str] | None = None, site_defaults: dict[str, str] | None = None,
          check_site: Callable[[Catalogue], None] | None = None) -> BuildResult:
    """Load and validate content, render everything, then swap it into paths.out.

    `site` overrides fields of site.yaml (the command line); `site_defaults` fills the ones it
    leaves empty (what CI knows); `check_site` may refuse the resolved settings (a publishing
    build refuses placeholders) before anything is rendered."""
    settings = Settings(base_url, site or {}, site_defaults or {})
    return _build(paths, settings, progress, keep_content=False, check_site=check_site)[0]


@dataclass(frozen=True)
class Settings:
    """What the command line and the CI environment add to site.yaml."""

    base_url: str | None = None
    site: dict[str, str] = field(default_factory=dict)
    site_defaults: dict[str, str] = field(default_factory=dict)


def _build(paths: Paths, settings: Settings, progress: Callable[[str], None], keep_content: bool = True,
           check_site: Callable[[Catalogue], None] | None = None, checks: TaskCheckMemo | None = None):
    started = time.perf_counter()
    out = guard_output(paths.out, paths.read())  # refuse a folder that is not ours before any work
    progress("reading content")
    content = read_content(paths.content)
    catalogue = _model(content, settings, paths, checks)
    if check_site:
        check_site(catalogue)
    if not keep_content:
        content = None  # the parsed files and their line numbers: a third of the peak memory
    commits = git_commits(paths.content)
    known = apply_history(catalogue, commits)
    progress("history from dated updates (not a git checkout)" if known is None
             else f"history from dated updates and {known} commits")
    progress(f"rendering {len(catalogue.tasks)} tasks")
    outputs = produce(catalogue, paths)
    progress(f"writing {len(outputs)} files")
    write_site(outputs, paths.out, paths.read())
    pages = sum(1 for path in outputs if path.endswith(".html"))
    result = BuildResult(catalogue, len(outputs), pages, time.perf_counter() - started,
                         tuple(leftovers(out)))
    return result, content, commits, outputs


def _model(content: Content, settings: Settings, paths: Paths, checks: TaskCheckMemo | None = None) -> Catalogue:
    """Validate parsed content and model it, with the settings and the corrections of the
    source text."""
    errors = validate(content, memo=checks)
    if errors:
        raise ContentErrors(errors)
    catalogue = build_catalogue(content)
    if settings.base_url:
        catalogue.site.base_url = settings.base_url if settings.base_url.endswith("/") else settings.base_url + "/"
    apply_settings(catalogue.site, settings.site, settings.site_defaults)
    attach_corrections(catalogue, content)
    return catalogue


def _page_plans(pages) -> dict[str, str | None]:
    """Each page's path and the id of the plan it is of (None: a page of every plan)."""
    return {page.path: page.plan.id if page.plan else None for page in pages}


def _shown_on(pages: list[Page]) -> dict[str, set[str]]:
    """Task key (its plan and id) -> paths of the pages that show it (render.tasks_shown)."""
    shown: dict[str, set[str]] = {}
    for page in pages:
        for task in tasks_shown(page) or ():
            shown.setdefault(task.key, set()).add(page.path)
    return shown


@dataclass
class Session:
    """A build the preview keeps, so that a saved task file re-renders only the pages that
    show that task (as Hugo's server does), found from the model: the task's own page and its
    neighbours', and the pages of its section, leaders, units and status, before and after the
    change. Pages that summarise a plan (its home, its indexes) are rendered again when one of
    its tasks changed, the site's home each time, and every page stating a plan's as-of date when
    that date moved. A change to anything but a task file of a plan already built builds
    everything again.

    rebuild() writes the pages, which is what the open tab shows; complete() then brings the
    open data, the search index and the feed up to date, unless a newer change is waiting: then
    it gives up, and the complete() after the next rebuild does it.
    """

    paths: Paths
    base_url: str | None
    progress: Callable[[str], None]
    content: Content | None = None
    catalogue: Catalogue | None = None
    commits: dict | None = None
    page_plans: dict[str, str | None] = field(default_factory=dict)  # each page's path -> its plan's id
    shown: dict[str, set[str]] = field(default_factory=dict)
    digests: dict[str, bytes] = field(default_factory=dict)
    pending: set[Path] = field(default_factory=set)  # changed since the last good build
    incomplete: bool = False
    checks: TaskCheckMemo = field(default_factory=TaskCheckMemo)

    def full(self) -> BuildResult:
        """Build everything, as `python build.py` does."""
        self.checks = TaskCheckMemo()
        result, content, commits, outputs = _build(self.paths, Settings(self.base_url), self.progress,
                                                   checks=self.checks)
        pages = all_pages(result.catalogue, Strings.read(self.paths.templates), self.paths.templates)
        self.content, self.catalogue, self.commits = content, result.catalogue, commits
        self.page_plans = _page_plans(pages)
        self.shown = _shown_on(pages)
        # Pages are rendered as they are written; read back what was written rather than
        # render them again.
        self.digests = {path: digest((self.paths.out / path).read_bytes()) for path in outputs}
        self.pending.clear()
        self.incomplete = False
        return result

    def _task_list(self, path: Path) -> list[Document] | None:
        """The parsed task files of the plan whose tasks/ folder holds `path`; None when `path`
        is not a task file of a plan the session knows (a new plan builds everything)."""
        if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
            return None
        root = self.paths.content.resolve()
        if path.parent == root / "tasks":
            return self.content.tasks
        if path.parent.name == "tasks" and path.parent.parent.parent == root / "plans":
            return next((plan.tasks for plan in self.content.plans if plan.id == path.parent.parent.name), None)
        return None

    def rebuild(self, changed: list[Path]) -> BuildResult:
        """Build again after `changed` files changed: only the pages that show a changed task
        when only task files changed, everything otherwise."""
        self.pending.update(Path(p).resolve() for p in changed)
        if self.catalogue is None:
            return self.full()
        task_lists = {path: self._task_list(path) for path in self.pending}
        if None in task_lists.values():
            return self.full()
        started = time.perf_counter()
        root = self.paths.content.resolve()
        files = {path.relative_to(root).as_posix() for path in self.pending}
        shown_files = {display_path(path, root) for path in self.pending}
        content = self.content
        for tasks in {id(tasks): tasks for tasks in task_lists.values()}.values():
            tasks[:] = [d for d in tasks if d.file not in shown_files]
        content.problems = [p for p in content.problems if p.file not in shown_files]
        for path in sorted(self.pending):
            if path.exists():
                document = read_document(path, root)
                (content.problems if isinstance(document, ContentError) else task_lists[path]).append(document)
        for tasks in {id(tasks): tasks for tasks in task_lists.values()}.values():
            tasks.sort(key=lambda document: document.file)
        catalogue = _model(content, Settings(self.base_url), self.paths, self.checks)
        apply_history(catalogue, self.commits)
        changed = [task for model in (self.catalogue, catalogue) for task in model.tasks if task.file in files]
        changed_ids = {task.key for task in changed}
        changed_now = {id(task) for task in catalogue.tasks if task.key in changed_ids}
        touched_plans = {task.plan.id for task in changed}
        # Every footer names the kinds of source the site cites: a save citing a new kind changes them all.
        everything = (replace(catalogue.site, as_of=None) != replace(self.catalogue.site, as_of=None)
                      or catalogue.cited_kinds != self.catalogue.cited_kinds)
        redated = self._redated(catalogue)
        # The pages of plans the save left alone are neither made nor rendered: their tasks and
        # dates are as they were. Unless every plan's home lists every plan, with its date.
        scoped = not everything and len(catalogue.plans) > PLANS_LISTED
        say = Strings.read(self.paths.templates)
        made = all_pages(catalogue, say, self.paths.templates, touched_plans | redated if scoped else None)
        pages = [(page, tasks_shown(page)) for page in made]
        # A page shows other tasks than before only if it shows a changed task before or after
        # the change (or is a neighbour's page that did): patch the map for those pages alone.
        shown = self.shown
        before = set().union(*(shown.get(task_id, ()) for task_id in changed_ids))
        now_showing: dict[str, set[str]] = {}
        for page, tasks in pages:
            # isdisjoint over ids: 400,000 tasks listed on the pages of 10,000, looked up in C.
            if tasks and (page.path in before or not changed_now.isdisjoint(map(id, tasks))):
                now_showing[page.path] = {task.key for task in tasks}
        wanted = before | set(now_showing)
        selected = [page for page, tasks in pages
                    if everything or page.path in wanted or (page.in_sitemap and tasks is None and (
                        page.plan is None or page.plan.id in touched_plans or getattr(page, "plans", None)))]
        # Pages state the date a plan's statuses are reported as of, which a new update moves.
        if redated and not everything:
            chosen = {id(page) for page in selected}
            selected += [page for page, tasks in pages
                         if id(page) not in chosen and _states_as_of(catalogue, page, redated)]
        outputs = render_selected(catalogue, say, self.paths.templates, selected)
        page_plans = _page_plans(page for page, _ in pages)
        if scoped:  # the pages of the plans left alone, as the last build made them
            page_plans.update((path, plan_id) for path, plan_id in self.page_plans.items()
                              if plan_id not in touched_plans | redated and path not in page_plans)
        if page_plans.keys() != self.page_plans.keys():
            outputs.update(sitemaps(catalogue, made if not scoped else all_pages(catalogue, say, self.paths.templates)))
            outputs["robots.txt"] = robots(catalogue)
        written = write_changed(outputs, self.paths.out, self.digests, remove=self.page_plans.keys() - page_plans.keys())
        for paths in shown.values():
            paths.difference_update(wanted)
        for path, keys in now_showing.items():
            for key in keys:
                shown.setdefault(key, set()).add(path)
        self.catalogue, self.page_plans = catalogue, page_plans
        self.pending.clear()
        self.incomplete = True
        self.progress(f"re-rendered {len(selected)} pages for {len(changed_ids)} changed tasks, "
                      f"{written} files written")
        return BuildResult(catalogue, written, len(selected), time.perf_counter() - started)

    def _redated(self, catalogue: Catalogue) -> set[str]:
        """Ids of the plans whose as-of date differs from the last build's."""
        before = {plan.id: plan.as_of for plan in self.catalogue.plans}
        return {plan.id for plan in catalogue.plans if before.get(plan.id) != plan.as_of}

    def complete(self, superseded: Callable[[], bool] = lambda: False) -> int | None:
        """After rebuild(): the open data, search index and feed of the new model, and how many
        files changed; None, with nothing written, when `superseded()` turned true on the way
        (the search index alone takes 10 s at 10,000 tasks: the next save should not wait)."""
        if not self.incomplete:
            return 0

        def checkpoint() -> None:
            if superseded():
                raise _Superseded

        produced = []
        try:
            for name, make in (("open data", export_outputs),
                               ("search index", lambda catalogue: search_outputs(catalogue, checkpoint=checkpoint)),
                               ("feed", feed_outputs)):
                checkpoint()
                produced.append((name, make(self.catalogue)))
        except _Superseded:
            return None
        self.incomplete = False
        return write_changed(merge_outputs(produced), self.paths.out, self.digests)


def _states_as_of(catalogue: Catalogue, page: Page, plan_ids: set[str]) -> bool:
    """Whether a page states the as-of date of one of these plans: every page of one plan does
    (its footer); with one plan, every page; otherwise a page of every plan does when its footer
    cites such a plan's document."""
    if page.plan is not None:
        return page.plan.id in plan_ids
    if len(catalogue.plans) == 1:
        return True
    return any(plan.id in plan_ids for plan in cited_plans(catalogue, page))


class _Superseded(Exception):
    """A newer change waits: the outputs being made are already out of date."""


def check(paths: Paths = Paths()) -> Catalogue:
    """Validate content without writing anything; raise ContentErrors on problems."""
    return _model(read_content(paths.content), Settings(), paths)
