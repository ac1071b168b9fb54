"""Charts drawn at build time: the status strips of term pages as inline SVG, each with a <title>
and <desc> that state every figure; the counts the home page's charts draw in HTML
(templates/_partials/charts.html); a target's progress; and the status colours' contrast.

Coordinates are in a fixed viewBox; CSS scales the SVG to the column. Numbers are written with
fixed decimals so that identical content gives identical bytes.
"""
from __future__ import annotations

from collections import Counter
from operator import attrgetter

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from .model import Section, Status, Task
from .strings import Strings

TEXT = "#1f2937"      # gray-800 on white: 14.7:1
TRACK = "#e5e7eb"
# The strips of term pages: as wide as their column, in a fixed viewBox scaled by CSS.
WIDTH = 320.0
FONT_SIZE = 15


@dataclass(frozen=True)
class Slice:
    """One status's share of a set of tasks."""

    status: Status
    count: int


_STATUS = attrgetter("status")


def status_counts(tasks: list[Task], statuses: list[Status]) -> list[Slice]:
    """How many of `tasks` have each status, in the registry's order (zero counts kept)."""
    return slices_of(status_tally(tasks, statuses), statuses)


def status_tally(tasks: list[Task], statuses: list[Status]) -> tuple[int, ...]:
    """The same as plain numbers: what a page's context holds (pages.TermEntry), pickled for its
    fingerprint without a call into Python per number, as a Slice would be."""
    # Counted in C, without a Python call per task: 730,000 tasks counted at 10,000 tasks.
    counts = Counter(map(id, map(_STATUS, tasks)))
    return tuple(counts[id(status)] for status in statuses)


def slices_of(tally: tuple[int, ...], statuses: list[Status]) -> list[Slice]:
    return [Slice(status, count) for status, count in zip(statuses, tally)]


def percent(part: int, whole: int) -> str:
    """A share as a whole percentage, for labels: 7%."""
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _svg(chart_id: str, width: float, height: float, title: str, desc: str, body: list[str],
         css_class: str) -> Markup:
    head = (
        f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}"'
        f' width="{_n(width)}" height="{_n(height)}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="{FONT_SIZE}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def describe(slices: list[Slice], say: Strings) -> str:
    """The figures in words: 共 10 项：序时推进 3 项（30%），滞后 1 项（10%）。"""
    total = sum(s.count for s in slices)
    parts = [say("chart.part", status=s.status.label, count=s.count, share=percent(s.count, total)) for s in slices]
    return say("chart.describe", total=total, parts=say.join(parts, "clauses"))


def stacked_bar(chart_id: str, slices: list[Slice], title: str, say: Strings, width: float = WIDTH,
                height: float = 12) -> Markup:
    """One bar split by status, as wide as the whole: the shape of a set of tasks at a glance."""
    total = sum(s.count for s in slices)
    body = [f'<rect width="{_n(width)}" height="{_n(height)}" fill="{TRACK}"/>']
    body += _segments(slices, 0, 0, width / total if total else 0, height)
    return _svg(chart_id, width, height, title, describe(slices, say), body, "chart chart-strip")


def _segments(slices: list[Slice], x: float, y: float, scale: float, height: float) -> list[str]:
    """Coloured segments, left to right in registry order, with a hairline gap between them."""
    parts = []
    for item in slices:
        if not item.count:
            continue
        length = item.count * scale
        parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(length)}" height="{_n(height)}"'
                     f' fill="{item.status.color}" stroke="#ffffff" stroke-width="1"/>')
        x += length
    return parts


def short_label(section: Section) -> str:
    """The section's numeral and the first clause of its title: 一、推动创新提速提效."""
    head = section.title
    for mark in "，,；;。":
        head = head.split(mark)[0]
    return f"{section.numeral}、{head}"


def progress_bar(fraction: float | None, width: float = 200, height: float = 12, interim: bool = False) -> Markup:
    """A target's progress, decorative: the page prints the same figures as text. A figure from
    inside the year is drawn pale, so that it does not read as the year's result."""
    body = [f'<rect width="{_n(width)}" height="{_n(height)}" rx="2" fill="{TRACK}"/>']
    if fraction:
        fill = "#93c5fd" if interim else "#1d4ed8"
        body.append(f'<rect width="{_n(width * fraction)}" height="{_n(height)}" rx="2" fill="{fill}"/>')
    return Markup(
        f'<svg class="progress" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}"'
        f' preserveAspectRatio="none" aria-hidden="true" focusable="false">' + "".join(body) + "</svg>"
    )


def _luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def tint(color: str, strength: float = 0.14) -> str:
    """The colour mixed into white: a badge background that dark text reads well on."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - (255 - c) * strength) for c in (r, g, b))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def badge_colors(color: str) -> tuple[str, str]:
    """(background, text) of a status badge whose text passes WCAG AA (4.5:1) whatever the colour:
    white on the colour itself when that reads well, else dark text on a tint of it."""
    if contrast(color, "#ffffff") >= 4.5:
        return color, "#ffffff"
    background = tint(color)
    if contrast(background, TEXT) >= 4.5:
        return background, TEXT
    return "#ffffff", TEXT
