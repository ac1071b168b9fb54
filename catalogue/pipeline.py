"""The build, top to bottom: read, check, model, make the outputs, write.

`build()` is the only way a site is made: the command line, the preview server and the tests all
call it. Given the memory of an earlier build (memory.py) it parses only the files whose bytes it
has not seen, checks only those, and makes again only the outputs whose fingerprint changed
(fingerprint.py), writing only the files whose bytes changed; without one, or when the site is not
the one it remembers, it makes everything and writes a new site whole.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .admin import editor_form
from .corrections import attach_corrections, source_text_outputs
from .errors import BuildError, ContentErrors
from .exports import export_outputs
from .feed import feed_outputs
from .fingerprint import Fingerprints, Reads, digest, identities
from .history import apply_history, git_commits
from .load import Content, collector_paused, read_content
from .memory import FamilyMade, Made, Memory, PageMade, SiteMemory, site_stamp
from .model import Catalogue, noting_reads
from .model_builder import ModelMemo, build_catalogue, task_file
from .pages import Family, Page, page_families, task_pages
from .publish import apply_settings
from .reader import MAX_REGISTRY_BYTES, tree_files
from .render import Renderer, robots, sitemaps
from .search import search_outputs
from .strings import Strings
from .validate import TaskCheckMemo, validate
from .write import claim, copy_tree_outputs, guard_output, leftovers, remark, write_changed, write_site

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The collector of cycles' thresholds for a process that builds (build.py, the preview's builds):
# a build makes millions of small objects and frees few until it ends; the default thresholds walk
# the whole heap again and again for nothing (at 10,000 tasks a tenth of a build and a third of a
# preview's rebuild). mypy raises them the same way.
GC_THRESHOLDS = (200_000, 30, 30)


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
class Settings:
    """What the command line and the CI environment add to site.yaml: `site` overrides its
    fields, `site_defaults` fills those it leaves empty."""

    base_url: str | None = None
    site: dict[str, str] = field(default_factory=dict)
    site_defaults: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BuildResult:
    catalogue: Catalogue
    files: int
    pages: int
    seconds: float
    leftovers: tuple[Path, ...] = ()  # staging folders of interrupted builds, left in place
    made: int = 0     # pages made (rendered) by this build; the others were as the last build made them
    written: int = 0  # files written

    def summary(self) -> str:
        again = "" if self.made == self.pages else f"; {self.made} made again, {self.written} files written"
        text = (f"built {self.pages} pages ({self.files} files) in {self.seconds:.2f} s{again}"
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


@dataclass
class Output:
    """Files made together: a page, or the open data, the search index… `key` is the fingerprint
    of what they are made from (None: made at every build, they cost little); `make` returns them
    with what their templates read from the task files. The preview writes the `late` ones (slow
    to make) after the others."""

    name: str
    key: bytes | None
    make: Callable[[], tuple[Mapping[str, bytes], Reads]] | None
    late: bool = False

    def made(self) -> tuple[Mapping[str, bytes], Reads]:
        """Its files, made once: what they are made from (a page's context) is let go, not held
        until every output is made (the contexts of 15,000 pages, 50 MB at 10,000 tasks)."""
        make, self.make = self.make, None
        return make()


@dataclass(frozen=True)
class Live:
    """How the preview builds: it writes the pages and what costs little first and is told when
    they are in place (`first_written`); the open data, search index and feed follow, given up as
    soon as `superseded()` is true (a newer change waits: the next build makes them).

    Before all that, the pages of the tasks whose files changed are written as soon as the
    content is modelled, and `edited_written` told: the page an editor is looking at shows the
    edit without waiting for the build to work out which other pages changed."""

    superseded: Callable[[], bool]
    first_written: Callable[[], None] = lambda: None
    edited_written: Callable[[], None] = lambda: None


def build(paths: Paths = Paths(), settings: Settings = Settings(), memory: Memory | None = None,
          progress: Callable[[str], None] = lambda message: None,
          check_site: Callable[[Catalogue], None] | None = None, live: Live | None = None) -> BuildResult:
    """Read and check content, make the outputs, and write the site to paths.out.

    `check_site` may refuse the resolved settings (a publishing build refuses placeholders) before
    anything is made. `live` is the preview's way of writing (Live)."""
    # Python's collector of cycles is paused while a site is made (load.collector_paused): what a
    # build makes lives to its end (the parsed files, the model, the pages' contexts, the
    # renderer's caches) or is freed at once by its reference count, and each pass the collector
    # made through it found nothing (eight at 10,000 tasks with the default thresholds, half a
    # second; three with build.py's). What the build leaves, and the memory it was given, is then
    # the collector's oldest generation: its next passes go through the objects made after the
    # build, not through the build again. The preview collects what the last build left while it
    # waits for the next save.
    with collector_paused():
        return _build(paths, settings, memory, progress, check_site, live)


def _build(paths: Paths, settings: Settings, memory: Memory | None, progress: Callable[[str], None],
           check_site: Callable[[Catalogue], None] | None, live: Live | None) -> BuildResult:
    started = time.perf_counter()
    memory = memory if memory is not None else Memory()
    out = guard_output(paths.out, paths.read())  # refuse a folder that is not ours before any work
    progress("reading content")
    parsed_before = set(memory.parsed)
    content = read_content(paths.content, memory.parsed, memory.seen)
    catalogue = _model(content, settings, paths, memory.checks, memory.readings)
    if check_site:
        check_site(catalogue)
    memory.keep_only({document.digest for document in _documents(content)})
    known = apply_history(catalogue, git_commits(paths.content))
    progress("history from dated updates (not a git checkout)" if known is None
             else f"history from dated updates and {known} commits")
    say = Strings.read(paths.templates)
    render = Renderer(catalogue, say, paths.templates)
    site = memory.site_in(out)
    if site is not None:
        # The site is changed in place from here: a memory kept of it as it was is no longer its.
        remark(out)
        site.stamp = site_stamp(out)
    ahead = 0
    if live and site is not None:
        ahead = write_changed({page.path: render.bytes_of(page) for page in _edited_task_pages(
            catalogue, content, parsed_before, say)}, out, site.files)
        if ahead:
            progress(f"the pages of the edited tasks written: {ahead}")
            live.edited_written()
    fingerprints = Fingerprints(catalogue, _everything(content, paths, settings),
                                {task_file(content, document): document.digest for document in _task_documents(content)})
    filing = fingerprints.since(site.filing if site is not None else None)
    families, page_outputs = _page_outputs(page_families(catalogue, say, paths.templates), fingerprints, render, site)
    pages = [page for family in families.values() for page in family.pages]
    outputs = page_outputs + _other_outputs(catalogue, paths, say, render, pages, fingerprints, memory, live)
    progress(f"rendering {len(catalogue.tasks)} tasks ({len(pages)} pages): "
             + ("the whole site" if site is None else "what changed since the last build"))
    if site is None:
        memory.site = _write_whole(outputs, out, paths, fingerprints)
        written = len(memory.site.files)
        if live:
            live.first_written()
    else:
        written = ahead + _write_changes(outputs, out, site, fingerprints, live)
    memory.site.families, memory.site.filing = families, filing
    render.close()
    progress(f"writing: {render.rendered} pages made, {written} files written")
    html = sum(1 for path in memory.site.files if path.endswith(".html"))  # the pages, and the editor form
    return BuildResult(catalogue, len(memory.site.files), html, time.perf_counter() - started,
                       tuple(leftovers(out)), made=render.rendered, written=written)


def check(paths: Paths = Paths()) -> Catalogue:
    """Validate content without writing anything; raise ContentErrors on problems."""
    return _model(read_content(paths.content), Settings(), paths)


def _model(content: Content, settings: Settings, paths: Paths, checks: TaskCheckMemo | None = None,
           readings: ModelMemo | None = None) -> Catalogue:
    """Validate parsed content and model it, with the settings and the corrections of the
    source text."""
    # The model's cycles (a task and its section list each other) all live on: nothing for the
    # collector to find in what validating and modelling make.
    with collector_paused():
        errors = validate(content, memo=checks)
        if errors:
            raise ContentErrors(errors)
        catalogue = build_catalogue(content, readings)
    if settings.base_url:
        catalogue.site.base_url = settings.base_url if settings.base_url.endswith("/") else settings.base_url + "/"
    apply_settings(catalogue.site, settings.site, settings.site_defaults)
    attach_corrections(catalogue, content)
    return catalogue


def _edited_task_pages(catalogue: Catalogue, content: Content, parsed_before: set[bytes], say: Strings) -> list[Page]:
    """The pages of the tasks whose files hold bytes no earlier build parsed, as the build makes them."""
    edited = {task_file(content, document) for document in _task_documents(content)
              if document.digest not in parsed_before}
    if not edited:
        return []
    plans = [plan for plan in catalogue.plans if any(task.file in edited for task in plan.tasks)]
    return [page for plan in plans for page in task_pages(catalogue, say, plan) if page.task.file in edited]


def _task_documents(content: Content) -> list:
    return [*content.tasks, *(document for plan in content.plans for document in plan.tasks)]


def _documents(content: Content):
    """Every file of content/ parsed, the task files and the others."""
    yield from content.registries.values()
    yield from content.tasks
    for plan in content.plans:
        yield from plan.registries.values()
        yield from plan.tasks
    for government in content.governments:
        yield from government.registries.values()
    if content.corrections is not None:
        yield content.corrections


def _everything(content: Content, paths: Paths, settings: Settings) -> bytes:
    """What every output may be made from but the task files: the other files of content/, the
    templates and their wording, the settings."""
    task_files = {id(document) for document in _task_documents(content)}
    parts = [document.file.encode() + document.digest for document in _documents(content)
             if id(document) not in task_files]
    parts += [path.encode() + digest(data) for path, data in
              tree_files(paths.templates, MAX_REGISTRY_BYTES, paths.templates.name).items()]
    parts += [repr((settings, paths.content.name, content.source_text)).encode()]
    return digest(*parts)


NOTHING_READ: Reads = ""


def _page_outputs(families: list[Family], fingerprints: Fingerprints, render: Renderer,
                  site: SiteMemory | None) -> tuple[dict[str, FamilyMade], list[Output]]:
    """Each page an output of its own, fingerprinted by its context; and how each family of pages
    was made. A family whose reads of the task files find what they found when the site was
    written is not made again: its pages' fingerprints are those it made then, and it is made
    only if one of its pages must be rendered again (what its template read changed)."""
    made: dict[str, FamilyMade] = {}
    outputs: list[Output] = []
    earlier = site.families if site is not None else {}
    if any(family.everything != fingerprints.everything for family in earlier.values()):
        # None can be taken (a registry, a template or the settings changed): let them go before
        # every family is made again, rather than hold both to the end of the build.
        earlier = site.families = {}
    with noting_reads():  # watched from the first family to the last, not family by family
        for name, make in families:
            _family_outputs(name, make, made, outputs, fingerprints, render, earlier)
    return made, outputs


def _family_outputs(name: str, make: Callable[[], list[Page]], made: dict[str, FamilyMade], outputs: list[Output],
                    fingerprints: Fingerprints, render: Renderer, families: dict[str, FamilyMade]) -> None:
    if name in made:
        raise BuildError(f"two families of pages are named {name!r}")
    earlier = families.get(name)  # made from what every output is made from now (_page_outputs)
    if earlier is not None and fingerprints.unchanged(earlier.reads, earlier.found):
        made[name] = earlier
        pages_of = _made_once(make)
        outputs += [Output(page.path, page.key, _rendering_later(render, pages_of, page.path)) for page in earlier.pages]
        return
    with noting_reads() as noted:
        pages = make()
    reads = identities(noted)
    made[name] = FamilyMade(fingerprints.everything, reads, fingerprints.found(reads),
                            tuple(PageMade(page.path, page.in_sitemap, fingerprints.context(page)) for page in pages))
    outputs += [Output(page.path, record.key, _rendering(render, page)) for page, record in zip(pages, made[name].pages)]


def _made_once(make: Callable[[], list[Page]]) -> Callable[[], dict[str, Page]]:
    """The family's pages by path, made the first time they are asked for."""
    pages: dict[str, Page] = {}

    def pages_of() -> dict[str, Page]:
        if not pages:
            pages.update((page.path, page) for page in make())
        return pages
    return pages_of


def _rendering(render: Renderer, page: Page):
    def make():
        data, reads = render(page)
        return {page.path: data}, reads
    return make


def _rendering_later(render: Renderer, pages_of: Callable[[], dict[str, Page]], path: str):
    """Renders the page at `path` of a family not made yet."""
    def make():
        return _rendering(render, pages_of()[path])()
    return make


def _found_again(earlier: Made, output: Output, fingerprints: Fingerprints) -> bool:
    """Whether what the output's template read finds what it found when it was made. A late
    output the preview gave up keeps an older build's record (_write_changes), which the reads
    the last build left unread are not compared with: its reads are all digested again."""
    if output.late:
        return earlier.found == fingerprints.found(earlier.reads)
    return fingerprints.unchanged(earlier.reads, earlier.found)


class _Superseded(Exception):
    """A newer change waits: the outputs being made are already out of date."""


def _other_outputs(catalogue: Catalogue, paths: Paths, say: Strings, render: Renderer, pages: list[PageMade],
                   fingerprints: Fingerprints, memory: Memory, live: Live | None) -> list[Output]:
    """The files made from every task (open data, search index, feed, editor form), and those
    that cost nothing to make again (the assets, the source text, the sitemap)."""
    every_task = fingerprints.tasks
    form = editor_form(catalogue, say, paths.content.name)

    def checkpoint() -> None:
        if live is not None and live.superseded():
            raise _Superseded

    def made(outputs: Callable[[], Mapping[str, bytes]]):
        return lambda: (outputs(), NOTHING_READ)

    return [
        # The form's configuration names every leader and unit: its key is what it is made of.
        # Made before the search index, whose memory then fits in what dumping the form freed: the
        # other way round a build of 10,000 tasks peaks 30 MB higher.
        Output("editor form", fingerprints.of(form), made(lambda: form.files(render)), late=True),
        Output("open data", every_task,
               made(lambda: export_outputs(catalogue, say, memory.open_data, fingerprints.task_key)), late=True),
        Output("search index", every_task,
               made(lambda: search_outputs(catalogue, checkpoint=checkpoint, memory=memory.search,
                                           key_of=fingerprints.task_key)), late=True),
        Output("feed", every_task, made(lambda: feed_outputs(catalogue, say)), late=True),
        Output("source text", None, made(lambda: source_text_outputs(catalogue))),
        Output("assets", None, made(lambda: copy_tree_outputs(paths.assets, "assets"))),
        Output("sitemap", None, made(lambda: {**sitemaps(catalogue, pages), "robots.txt": robots(catalogue)})),
    ]


def _write_whole(outputs: list[Output], out: Path, paths: Paths, fingerprints: Fingerprints) -> SiteMemory:
    """Make every output and write a new site, swapped in whole once every file is written. Each
    output's files are written as soon as it is made and let go: the pages come first, rendered
    one at a time, then the others one after another, never all held at once."""
    made: dict[str, Made] = {}
    files: dict[str, bytes | None] = {}  # path -> digest; None: not taken (write_changed)
    owner: dict[str, str] = {}  # path -> the output that writes it

    def stream():
        for output in outputs:
            produced, reads = output.made()
            made[output.name] = Made(output.key, reads, fingerprints.found(reads), tuple(produced))
            for path in made[output.name].paths:
                claim(owner, path, output.name)
                data = produced[path]
                files[path] = None
                yield path, data

    write_site(stream(), out, paths.read())
    return SiteMemory(site_stamp(out), files, made)


def _write_changes(outputs: list[Output], out: Path, site: SiteMemory, fingerprints: Fingerprints,
                   live: Live | None) -> int:
    """Make again the outputs whose fingerprint changed, and write the files whose bytes changed
    into the site as it is; remove those no output makes now. Live (the preview), the late outputs
    are made and written after the others, and given up when a newer change waits; otherwise every
    file is renamed into place at once, once everything is made. Each file is handed to the writer
    as it is made, and let go once staged. Returns how many files were written."""
    batches = ([[output for output in outputs if not output.late], [output for output in outputs if output.late]]
               if live else [outputs])
    made: dict[str, Made] = {}
    owner: dict[str, str] = {}  # path -> the output that writes it
    written = 0
    given_up: list[Output] = []

    def stream(batch: list[Output]):
        """The files of the batch's outputs made again, as each is made."""
        nonlocal given_up
        for output in batch:
            earlier = site.made.get(output.name)
            if (output.key is not None and earlier is not None and earlier.key == output.key
                    and _found_again(earlier, output, fingerprints)):
                made[output.name] = earlier
                for path in earlier.paths:
                    claim(owner, path, output.name)
                continue
            try:
                if live and output.late and live.superseded():
                    raise _Superseded
                produced, reads = output.made()
            except _Superseded:
                given_up = batch[batch.index(output):]
                return
            record = made[output.name] = Made(output.key, reads, fingerprints.found(reads), tuple(produced))
            for path in record.paths:
                claim(owner, path, output.name)
                yield path, produced[path]

    for batch in batches:
        written += write_changed(stream(batch), out, site.files)
        if live and batch is batches[0]:
            live.first_written()
        if given_up:
            break
    # What an output given up made last time stays, as it is, until the next build makes it.
    kept = {name: site.made[name] for name in (output.name for output in given_up) if name in site.made}
    keep = set(owner) | {path for record in kept.values() for path in record.paths}
    write_changed({}, out, site.files, remove=sorted(set(site.files) - keep))
    site.made = {**made, **kept}
    return written
