"""The Jinja environment the pages are rendered in: the templates' filters (`rel`, `markdown`,
`zh_date`, `number`…) and globals (status counts, a term page's filters, each task's list item
made once).

Every template also gets `catalogue`, `site`, `plan` and `page_path` (render.py); the `rel`
filter turns a site path (or anything with a `.path`) into a link relative to the page being
rendered (the environment's `page_path`), so one site/ works at a domain root, under a sub-path
and from disk.

The shared macros are imported without the page's context: Jinja then makes them once per build,
not once per page, where each page's copy was a cycle of objects (macros, their closures and
context) that only the cycle collector could free, a sixth of a build of 10,000 tasks.
"""
from __future__ import annotations

import functools
import re
import types
from collections import Counter
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2.compiler import CodeGenerator
from markupsafe import Markup, escape

try:  # markupsafe's escaping of text, in C, before it wraps the result (markupsafe 3)
    from markupsafe import _escape_inner as _escape_text
except ImportError:
    def _escape_text(text: str) -> str:
        return str(escape(text))

from . import charts
from .memory import CODE_VERSION
from .model import ASKED_STATES, ENTITIES, Catalogue, Section, Task, plain_number, zh_date
from .pages import TaskGroup
from .strings import Strings
from .urls import links_from

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

SAFE_LINK = re.compile(r"^(https?://|[^:]*$)", re.IGNORECASE)


@functools.cache
def markdown_parser() -> "MarkdownIt":
    """CommonMark with raw HTML off, no images (nothing loads from another host) and links only
    to http(s) or relative addresses. One for the process: its rules and parsers hold each other,
    so a parser made per build (per Jinja environment) was some ninety objects in cycles that
    only the collector of cycles frees, at every build of content that holds Markdown."""
    # Imported for the first note that holds Markdown, not at every start: most notes hold none
    # (_plain_paragraph), and a build that renders a few pages again seldom meets one.
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    md.disable("image")
    md.validateLink = lambda url: bool(SAFE_LINK.match(url.strip()))
    return md


# A note of one line without ASCII punctuation (but %, which CommonMark gives no meaning and
# leaves unescaped: progress is reported in percent), tab or surrounding space has no Markdown in
# it: CommonMark makes it one paragraph of the text as it is, with nothing to escape.
_PLAIN = r"[^\x00-\x24\x26-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\s]+"
_MARKDOWN_FREE = re.compile(f"{_PLAIN}(?: {_PLAIN})*")


def _plain_paragraph(text: str | None) -> str | None:
    """What md.render gives for a note without Markup, without running the parser; else None."""
    if text and _MARKDOWN_FREE.fullmatch(text):
        return f"<p>{text}</p>\n"
    return None


def number(value: float | int | None) -> str:
    """1500, 2.5, 12,345 — never 1500.0 or 1.23e+06; thousands grouped from five digits up."""
    if value is None:
        return ""
    text = plain_number(value)
    whole, dot, fraction = text.partition(".")
    if len(whole.lstrip("-")) >= 5:
        whole = f"{int(whole):,}"
    return whole + dot + fraction


def marked_text(task: Task, say: Strings) -> Markup:
    """The task's text with each corrected or doubtful passage in a <mark> that links to its note."""
    text = Markup.escape(task.text)
    for correction in task.corrections:
        if correction.field != "text":
            continue
        passage = Markup.escape(correction.passage)
        kind = "doubt" if correction.is_doubt else "correction"
        title = say("corrections.doubt") if correction.is_doubt else say("corrections.corrected")
        text = text.replace(passage, Markup(
            f'<mark class="{kind}" title="{title}"><a href="#{correction.anchor}">{passage}</a></mark>'), 1)
    return Markup(text)


def escaped(value) -> str:
    """What `{{ value }}` writes into a page: markupsafe.escape's text, without wrapping it in a
    Markup that is only ever joined into the page (two calls into Python less for each of the
    2.6 million values a build of 10,000 tasks writes: a sixth of its rendering)."""
    if type(value) is str:
        return _escape_text(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_text(str(value))


class _CodeGenerator(CodeGenerator):
    """Jinja's compiler, writing `{{ value }}` through `escaped` where a template escapes."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src is None:
            self.write("environment.escaped(")
        else:
            super()._output_child_pre(node, frame, finalize)


# Compiling the templates is a third of a small build's rendering; Jinja keeps the compiled
# code per user in the temporary folder, keyed by each template's source, so an edited
# template is compiled again. The code also depends on ours (what _CodeGenerator writes; whether a
# filter is given the context is settled when compiling): its files are named by our code's version.
BYTECODE_CACHE = jinja2.FileSystemBytecodeCache(pattern=f"__catalogue_{CODE_VERSION}_%s.cache")


# Stands for a task's link in its cached list item (task_items): characters that HTML escaping
# leaves alone and no content has (a private-use character around a word).
LINK_SLOT = "\ue000task-link\ue000"


# What a template calls that can never ask for its context (Jinja's pass_context and the like
# mark a function or a class's __call__; none of these can carry the mark): a macro, a method
# written in C (a date's isoformat), the wording.
_NEVER_GIVEN_CONTEXT = frozenset({jinja2.runtime.Macro, types.BuiltinFunctionType, Strings})


class _Context(jinja2.runtime.Context):
    """Jinja's context, calling what can never ask for the context without first looking for the
    marks that ask for it: some 250,000 calls of the task pages' 10,000, a tenth of their
    rendering in Jinja's own checks."""

    def call(__self, __obj, *args, **kwargs):
        if type(__obj) not in _NEVER_GIVEN_CONTEXT:
            return super().call(__obj, *args, **kwargs)
        if kwargs:  # what Jinja passes along for a function given the context
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


class RecordingEnvironment(jinja2.Environment):
    """Jinja's environment noting, in `reads`, each attribute a template reads that the task files
    fill in (FROM_TASKS in model.py): the build fingerprints a page with what those held when it
    was rendered (fingerprint.py). A template reads through getattr (a.b) or getitem (a["b"],
    and the attribute= of filters such as map and selectattr).

    Code a template calls reads the model on its behalf unseen: it may read only what it is given
    (the tasks passed to status_counts came from a read or the page's context), never fetch more
    from the task files itself."""

    reads: set
    task_items_made: dict
    # The page being rendered (render.py sets it), which `rel` makes links relative to: the
    # shared macros, imported without the page's context, link from it too.
    page_path: str = ""
    code_generator_class = _CodeGenerator
    context_class = _Context
    escaped = staticmethod(escaped)

    def make_globals(self, d):
        # A template's globals as a dict, not Jinja's ChainMap over the environment's: every page's
        # context starts from a copy of them, and a ChainMap is copied, and its keys compared with
        # those of each template a page imports, key by key in Python (a fortieth of a build of
        # 10,000 tasks). The environment's globals are all set before the first template loads.
        return {**self.globals, **(d or {})}

    def getattr(self, obj, attribute: str):
        # The name first: of the 3.5 million attributes a build of 10,000 tasks reads, nearly all
        # stop at that one test of membership, without a call into a method.
        if attribute in FROM_TASKS_NAMES and attribute in FROM_TASKS.get(obj.__class__, ()):
            self.reads.add((obj, attribute))
        try:  # jinja2.Environment.getattr, without a call more per attribute of every page
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj, argument):
        tracked = FROM_TASKS.get(obj.__class__)
        if tracked is not None and argument in tracked:
            self.reads.add((obj, argument))
        return super().getitem(obj, argument)


FROM_TASKS = {cls: cls.FROM_TASKS for cls in ENTITIES if cls.FROM_TASKS}
FROM_TASKS_NAMES = frozenset().union(*FROM_TASKS.values())


def make_environment(templates_dir: Path, catalogue: Catalogue, say: Strings) -> RecordingEnvironment:
    env = RecordingEnvironment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=BYTECODE_CACHE,
        # An environment lives for one build: no need to stat every template on every page.
        auto_reload=False,
        # A dict, not a cache of the 400 most recently used behind a lock: a build loads a dozen.
        cache_size=-1,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.reads = set()

    # The task whose item task_items is making: its link is left as a slot, filled per page.
    item_of: list[Task | None] = [None]

    # The links of the page being rendered (urls.links_from), made again for the next page.
    page_links: list = [None, None]

    def links():
        if env.page_path is not page_links[0]:
            page_links[:] = env.page_path, links_from(env.page_path)
        return page_links[1]

    # Given the context it does not read: Jinja works out a filter that is not given it while
    # compiling, where the link to a constant path would be made from no page at all.
    @jinja2.pass_context
    def rel(_context, target) -> str:
        if target is item_of[0]:
            return LINK_SLOT
        return links()(target if isinstance(target, str) else target.path)

    # Each task's item, cut where its link goes: one per task, whatever page depth links to it
    # (one per depth held twice as much, 250 MB at 100,000 tasks, to the end of the build). An
    # item that does not cut in two (the slot's characters also in its text) is kept as ():
    # it is rendered whole on each page.
    # Each item keeps the reads made while making it, which count for every page that shows it,
    # and the task's path, which is worked out from its plan's (Task.path) 170,000 times otherwise.
    items: dict[tuple[str, int], tuple[tuple[str, ...], set, str]] = {}
    # The environment ends in a cycle (its globals' closures hold it) that only the collector of
    # cycles frees: the build lets go of the items when it is done with them (Renderer.close).
    env.task_items_made = items

    def item(macro, task: Task) -> tuple[tuple[str, ...], set, str]:
        made = items.get((macro.name, id(task)))
        if made is None:
            item_of[0], outer, env.reads = task, env.reads, set()
            try:
                parts = tuple(str(macro(task)).split(LINK_SLOT))
            finally:
                item_of[0], reads, env.reads = None, env.reads, outer
            made = items[macro.name, id(task)] = (parts if len(parts) == 2 else (), reads, task.path)
        return made

    # A list's items in one call from its template, not one per task: a term page lists some
    # forty, and calls from a template cost more than the joining.
    def task_items(macro, tasks: list[Task], between: str) -> Markup:
        link, made, read = links(), [], []
        for task in tasks:
            parts, reads, path = item(macro, task)
            if reads:
                read.append(reads)
            made.append(_escape_text(link(path)).join(parts) if parts else str(macro(task)))
        env.reads.update(*read)
        return Markup(between.join(made))

    env.filters.update(
        rel=rel,
        markdown=lambda text: Markup(_plain_paragraph(text) or markdown_parser().render(text or "")),
        zh_date=zh_date,
        number=number,
        percent=charts.percent,
        marked_text=lambda task: marked_text(task, say),
    )
    env.globals.update(
        status_counts=lambda tasks: charts.status_counts(tasks, catalogue.statuses),
        status_slices=lambda tally: charts.slices_of(tally, catalogue.statuses),
        filter_choices=lambda groups: filter_choices(groups, catalogue),
        # Pure, called for every badge on every page, for the handful of status colours.
        task_items=task_items,
        badge_colors=functools.lru_cache(maxsize=None)(charts.badge_colors),
        progress_bar=charts.progress_bar,
        describe=lambda slices: charts.describe(slices, say),
        stacked_bar=lambda chart: charts.stacked_bar(chart.id, charts.slices_of(chart.tally, catalogue.statuses),
                                                     chart.title, say),
        say=say,
        according_to=say.according_to,
        heading=say.heading,
        short_label=charts.short_label,
        asked_states={state: say(f"asked.{state}") for state in ASKED_STATES},
        evidence=say.evidence,
    )
    return env


# A term page's list gets filters once it is longer than a phone screen or two.
FILTER_FROM_TASKS = 12
_TASKS, _STATUS_CODE, _SECTION = attrgetter("tasks"), attrgetter("status.code"), attrgetter("section")


def filter_choices(groups: list[TaskGroup], catalogue: Catalogue) -> dict[str, list[tuple[str, str, int]]]:
    """The status and section filters of a term page: (value, label, tasks) for each value
    its listed tasks take, in registry order; a filter with one value is left out."""
    # Gathered and counted in C, without a Python call per task: 175,000 tasks at 10,000 tasks.
    listed = list(chain.from_iterable(map(_TASKS, groups)))
    tasks = list(dict(zip(map(id, listed), listed)).values())  # each task once
    if len(tasks) < FILTER_FROM_TASKS:
        return {}
    by_status = Counter(map(_STATUS_CODE, tasks))
    sections = list(map(_SECTION, tasks))
    by_section = Counter(map(id, sections))
    choices = {
        "status": [(status.code, status.label, by_status[status.code])
                   for status in catalogue.statuses if by_status[status.code]],
        # In registry order, without walking every section of the catalogue for every page.
        "section": [(section.key, section_choice_label(section, catalogue), by_section[id(section)])
                    for section in sorted(dict(zip(map(id, sections), sections)).values(), key=Section.sort_key)],
    }
    return {name: values for name, values in choices.items() if len(values) > 1}


def section_choice_label(section: Section, catalogue: Catalogue) -> str:
    """A section as a filter names it: with its plan's short title once there are several."""
    label = charts.short_label(section)
    return f"{section.plan.short_title} {label}" if section.plan and len(catalogue.plans) > 1 else label
