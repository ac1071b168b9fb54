"""The charts' exact SVG for small sets of tasks, with every coordinate worked out by hand from
the layout (320 units wide), and the colour arithmetic against the WCAG figures. The home page's
charts are HTML: tests/test_pages.py checks their figures."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from catalogue.charts import (Slice, _n, badge_colors, contrast, describe, percent, progress_bar, short_label,
                              stacked_bar, status_counts, tint)
from catalogue.model import Section, Status
from catalogue.pipeline import PROJECT_ROOT
from catalogue.strings import Strings

ON_TRACK = Status(code="on_track", label="序时推进", color="#1d4ed8", meaning="", order=0)
LAGGING = Status(code="lagging", label="进度滞后", color="#b91c1c", meaning="", order=1)
DONE = Status(code="completed", label="已完成", color="#15803d", meaning="", order=2)
STATUSES = [ON_TRACK, LAGGING, DONE]

SAY = Strings.read(PROJECT_ROOT / "templates")


def tasks(*statuses: Status) -> list:
    return [SimpleNamespace(status=status) for status in statuses]


def svg_head(css_class: str, chart_id: str, width: str, height: str, title: str, desc: str) -> str:
    return (f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
            f' width="{width}" height="{height}" role="img"'
            f' aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="15">'
            f'<title id="{chart_id}-title">{title}</title><desc id="{chart_id}-desc">{desc}</desc>')


def test_status_counts_keep_the_registry_order_and_the_zeros():
    counted = status_counts(tasks(LAGGING, ON_TRACK, LAGGING, LAGGING), STATUSES)
    assert [(s.status.code, s.count) for s in counted] == [("on_track", 1), ("lagging", 3), ("completed", 0)]


@pytest.mark.parametrize("part, whole, shown", [(1, 3, "33%"), (2, 3, "67%"), (3, 3, "100%"), (0, 5, "0%"),
                                                (0, 0, "0%"), (7, 0, "0%")])
def test_percent_is_a_rounded_whole_number(part, whole, shown):
    assert percent(part, whole) == shown


@pytest.mark.parametrize("value, written", [(160.0, "160"), (53.333333, "53.33"), (2.5, "2.5"), (0.0, "0"),
                                            (-0.001, "0"), (-2.25, "-2.25"), (10.1, "10.1"), (100.0, "100")])
def test_coordinates_have_at_most_two_decimals_and_no_trailing_zeros(value, written):
    assert _n(value) == written


def test_describe_states_every_figure():
    slices = [Slice(ON_TRACK, 3), Slice(LAGGING, 1), Slice(DONE, 0)]
    assert describe(slices, SAY) == "共 4 项：序时推进 3 项（75%），进度滞后 1 项（25%），已完成 0 项（0%）。"


def test_stacked_bar_exact_svg():
    chart = stacked_bar("s", [Slice(ON_TRACK, 3), Slice(LAGGING, 0), Slice(DONE, 1)], "形状", SAY)
    segment = ' stroke="#ffffff" stroke-width="1"/>'
    assert str(chart) == (
        svg_head("chart chart-strip", "s", "320", "12", "形状",
                 "共 4 项：序时推进 3 项（75%），进度滞后 0 项（0%），已完成 1 项（25%）。")
        + '<rect width="320" height="12" fill="#e5e7eb"/>'
        + '<rect x="0" y="0" width="240" height="12" fill="#1d4ed8"' + segment
        + '<rect x="240" y="0" width="80" height="12" fill="#15803d"' + segment
        + "</svg>")


def test_stacked_bar_of_a_given_size_and_of_nothing():
    chart = stacked_bar("s", [Slice(ON_TRACK, 1), Slice(LAGGING, 1)], "半", SAY, width=100, height=8.5)
    assert '<rect width="100" height="8.5" fill="#e5e7eb"/>' in chart
    assert '<rect x="0" y="0" width="50" height="8.5" fill="#1d4ed8"' in chart
    assert '<rect x="50" y="0" width="50" height="8.5" fill="#b91c1c"' in chart
    assert 'viewBox="0 0 100 8.5" width="100" height="8.5"' in chart
    # Each segment starts where all those before it end, not where the one before it would alone.
    three = stacked_bar("t", [Slice(ON_TRACK, 1), Slice(LAGGING, 1), Slice(DONE, 2)], "三", SAY, width=100)
    assert '<rect x="25" y="0" width="25" height="12" fill="#b91c1c"' in three
    assert '<rect x="50" y="0" width="50" height="12" fill="#15803d"' in three
    empty = stacked_bar("e", [Slice(ON_TRACK, 0)], "空", SAY)
    assert str(empty).count("<rect") == 1


@pytest.mark.parametrize("title, label", [
    ("推动创新提速提效，加快实现创新驱动", "一、推动创新提速提效"), ("甲,乙", "一、甲"), ("甲；乙", "一、甲"),
    ("甲;乙", "一、甲"), ("甲。乙", "一、甲"), ("没有标点", "一、没有标点"), ("甲；乙，丙", "一、甲"),
    ("发展XR产业，壮大数字经济", "一、发展XR产业"),
])
def test_short_label_is_the_numeral_and_the_first_clause(title, label):
    assert short_label(Section(number=1, title=title, declared_count=0)) == label


def test_progress_bar_exact_svg():
    head = ('<svg class="progress" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 12"'
            ' preserveAspectRatio="none" aria-hidden="true" focusable="false">')
    track = '<rect width="200" height="12" rx="2" fill="#e5e7eb"/>'
    assert str(progress_bar(0.25)) == head + track + '<rect width="50" height="12" rx="2" fill="#1d4ed8"/></svg>'
    assert str(progress_bar(None)) == head + track + "</svg>"
    assert str(progress_bar(0)) == head + track + "</svg>"
    small = str(progress_bar(1.0, width=80, height=6))
    assert 'viewBox="0 0 80 6"' in small and '<rect width="80" height="6" rx="2" fill="#1d4ed8"/>' in small


@pytest.mark.parametrize("first, second, ratio", [
    ("#ffffff", "#000000", 21.0),
    ("#ff0000", "#000000", 5.252),   # luminance 0.2126
    ("#00ff00", "#000000", 15.304),  # 0.7152
    ("#0000ff", "#000000", 2.444),   # 0.0722
    ("#000000", "#0a0a0a", 1.0607),  # 10/255 is below 0.03928: divided by 12.92
    ("#777777", "#ffffff", 4.478),   # the grey WCAG tutorials quote as just failing AA
    ("#767676", "#ffffff", 4.542),   # and the one just passing
    ("#ffffff", "#ffffff", 1.0),
])
def test_contrast_matches_the_wcag_figures_either_way_round(first, second, ratio):
    assert contrast(first, second) == pytest.approx(ratio, abs=0.001)
    assert contrast(second, first) == pytest.approx(ratio, abs=0.001)


def test_the_status_colours_have_the_contrast_their_registry_states():
    # content/statuses.yaml gives each colour's contrast with white to two decimals.
    for colour, stated in [("#6b7280", 4.83), ("#6d28d9", 7.10), ("#1d4ed8", 6.70), ("#b91c1c", 6.47),
                           ("#15803d", 5.02), ("#0f766e", 5.47)]:
        assert round(contrast(colour, "#ffffff"), 2) == stated, colour


@pytest.mark.parametrize("colour, strength, mixed", [
    ("#1d4ed8", 0.14, "#dfe6fa"),  # 255 - (255 - c) * 0.14 per channel: 223.36, 230.22, 249.54
    ("#000000", 0.14, "#dbdbdb"),  # 219.3
    ("#1d4ed8", 0.0, "#ffffff"),
    ("#1d4ed8", 1.0, "#1d4ed8"),
    ("#808080", 0.5, "#c0c0c0"),   # 191.5 rounds to the even 192
])
def test_tint_mixes_the_colour_into_white(colour, strength, mixed):
    assert tint(colour, strength) == mixed


def test_tint_defaults_to_fourteen_percent():
    assert tint("#fbbf24") == "#fef6e0"


@pytest.mark.parametrize("colour, colours", [
    ("#6b7280", ("#6b7280", "#ffffff")),   # 4.83:1 with white: white text on the colour
    ("#1d4ed8", ("#1d4ed8", "#ffffff")),
    ("#808080", ("#ededed", "#1f2937")),   # 3.95:1 only: dark text on its tint
    ("#fbbf24", ("#fef6e0", "#1f2937")),
])
def test_badge_colours(colour, colours):
    assert badge_colors(colour) == colours
