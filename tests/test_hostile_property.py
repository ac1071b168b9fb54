"""Property: whatever value lands in whatever field of whatever content file (the registries, the
task files, the corrections list, a further plan's folder), there is no traceback; either `check`
refuses it with messages naming content files, or `build` succeeds and every page, the feed, the
sitemap, the search index and the data files are well-formed, with no script from content in any
page. Likewise for tables: whatever cells a table holds, `import` refuses it having written
nothing, or writes a plan that `check` accepts or refuses by file and line.

CI runs a small fixed set of examples (derandomized: the same ones every run). A longer session,
on new examples:
    HOSTILE_EXAMPLES=2000 HOSTILE_RANDOM=1 .venv/bin/python -m pytest -s tests/test_hostile_property.py
"""
from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import json
import os
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from catalogue.errors import ContentErrors
from catalogue.pipeline import Paths, build, check
from tiny_content import add_plan, add_source, dump, write_tiny_content

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "40"))
# CI replays the same examples every run; HOSTILE_RANDOM=1 explores new ones.
DERANDOMIZE = os.environ.get("HOSTILE_RANDOM") != "1"
INJECTED = "<script>alert(1)</script>"
UNSAFE_IN_OUTPUT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

SCRIPT_LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*(?:javascript|vbscript|data):""", re.IGNORECASE)
FILES = ("site.yaml", "statuses.yaml", "leaders.yaml", "units.yaml", "sections.yaml",
         "tasks/1-01.yaml", "tasks/1-02.yaml", "source/corrections.yaml",
         "plans/p2/plan.yaml", "plans/p2/sections.yaml", "plans/p2/tasks/1-01.yaml")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The tiny content with a corrections list, the source text and a further plan whose task
    continues one of the first plan's: every kind of file the build reads."""
    content = write_tiny_content(tmp_path_factory.mktemp("tiny"))
    add_source(content)
    add_plan(content, continues="2021/1-2")
    check(Paths(content=content))  # the template itself is sound
    return content


def _positions(template: Path) -> list[tuple[str, tuple, object]]:
    """Every place a value sits in the tiny content (each field, list item and whole file) with
    the value it holds."""
    found = []

    def walk(file, value, key):
        found.append((file, key, value))
        if isinstance(value, dict):
            for name, item in value.items():
                walk(file, item, key + (name,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(file, item, key + (index,))

    for file in FILES:
        walk(file, yaml.safe_load((template / file).read_text(encoding="utf-8")), ())
    return found


ODD_STRINGS = [
    "", " ", "\n", "no_information\n", "on_track", "completed", INJECTED, "javascript:alert(1)",
    "../../etc/passwd", "=HYPERLINK(\"http://x\")", "{{ 7*7 }}", "{% raw %}", "\u2028\u2029", "\u202e反转",
    "很" * 3000, "1-1", "1-2", "#zzzzzz", "#000000", "http://x\n", "https://example.org/a b",
    "https://www.jiangxi.gov.cn/", "各设区市政府", "南昌市政府", "省科技厅", "罗小云", "luo-xiaoyun",
    "NaN", "1e309", "0x1F", "yes", "null", "~", "2021-02-30", "2021-13-01", "九十九",
]
# Values a field could legitimately hold, so that many examples get past check to the build.
plausible_text = st.one_of(
    st.text(alphabet="省市县科技创新发展企业农村改革《》“”，。、（）％%0123456789abcXYZ&<>'\"*_#[]()!", min_size=1,
            max_size=30).map(str.strip).filter(bool),
    st.sampled_from([INJECTED, "<img src=x onerror=alert(1)>", "**粗体**与[链接](javascript:alert(1))", "{{ 7*7 }}"]),
)
plausible_values = st.one_of(
    plausible_text,
    st.integers(min_value=1, max_value=2),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.dates(min_value=dt.date(2021, 2, 10), max_value=dt.date(2022, 12, 31)),
    st.sampled_from(["on_track", "completed", "lagging", "at_most", "about", "exactly", "at_least",
                     "https://www.jiangxi.gov.cn/art/2022/1/17/a.html", INJECTED, "省科技厅", "南昌市政府"]),
)
hostile_values = st.one_of(
    st.sampled_from(ODD_STRINGS),
    st.text(alphabet=st.characters(categories=["L", "N", "P", "S", "Zs", "Cc", "Cf", "Cs", "Co"]), max_size=40),
    st.integers(min_value=-10**30, max_value=10**30),
    st.sampled_from([0, 1, 2, 3, 99, 100, 110, 999, 1000, 10**12, 10**13, 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    st.sampled_from([dt.date(2021, 2, 10), dt.date(2021, 12, 31), dt.date(2022, 1, 17)]),
    st.lists(st.sampled_from(ODD_STRINGS[:12] + [1, None]), max_size=3),
    st.dictionaries(st.sampled_from(["label", "date", "status", "note", "x", "1"]), st.sampled_from(ODD_STRINGS[:8]),
                    max_size=3),
)


def _set(data, key: tuple, value):
    if not key:
        return value
    holder = data
    for part in key[:-1]:
        holder = holder[part]
    holder[key[-1]] = value
    return data


def _mutate(content: Path, file: str, key: tuple, value) -> None:
    path = content / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        data = _set(data, key, value)
    except (KeyError, IndexError, TypeError):  # an earlier change reshaped this file
        return
    path.write_text(dump(data), encoding="utf-8")


class _Strict(html.parser.HTMLParser):
    def error(self, message):  # pragma: no cover - only older Pythons call it
        raise AssertionError(message)


def _assert_well_formed(out: Path) -> None:
    files = [p for p in out.rglob("*") if p.is_file()]
    assert (out / "index.html").is_file()
    for path in files:
        if path.is_relative_to(out / "assets" / "vendor"):
            continue  # third-party files copied unchanged, nothing from content in them
        data = path.read_bytes()
        if path.suffix in (".html", ".xml", ".js", ".json", ".csv", ".txt", ".css", ".svg"):
            text = data.decode("utf-8")  # raises on anything that is not UTF-8
            assert not UNSAFE_IN_OUTPUT.search(text), path
        if path.suffix == ".html":
            assert INJECTED not in text, f"unescaped script in {path}"
            assert not SCRIPT_LINK.search(text), f"a script link in {path}: {SCRIPT_LINK.search(text).group()}"
            assert text.lstrip().lower().startswith("<!doctype html>") and "</html>" in text, path
            _Strict().feed(text)
        elif path.suffix == ".xml":
            ElementTree.fromstring(data)
    json.loads((out / "data" / "tasks.json").read_text(encoding="utf-8"))
    rows = list(csv.reader(io.StringIO((out / "data" / "tasks.csv").read_text(encoding="utf-8-sig"))))
    assert len({len(row) for row in rows}) == 1
    script = (out / "search" / "index.js").read_text(encoding="utf-8")
    payload = script[script.index("window.CatalogueSearchData=") + len("window.CatalogueSearchData="):].rstrip()
    json.loads(payload.rstrip(";"))


def test_every_hostile_value_is_refused_by_check_or_built_well_formed(template, tmp_path_factory):
    positions = [(file, key) for file, key, _ in _positions(template)]
    # Free text (titles, notes, labels, names are not: a changed name is an unknown name) takes
    # any plausible text, so that many examples get past check and the build itself is tried.
    text_positions = [(file, key) for file, key, value in _positions(template)
                      if isinstance(value, str) and key and key[-1] in ("text", "note", "title", "label",
                                                                         "meaning", "description", "unit", "why")]
    outcomes = {"refused": 0, "built": 0}

    change = st.one_of(st.tuples(st.sampled_from(text_positions), plausible_text),
                       st.tuples(st.sampled_from(positions), st.one_of(plausible_values, hostile_values)))

    @settings(max_examples=EXAMPLES, derandomize=DERANDOMIZE, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(change, min_size=1, max_size=3))
    def one_example(changes):
        root = tmp_path_factory.mktemp("example")
        content = root / "content"
        shutil.copytree(template, content)
        for (file, key), value in changes:
            _mutate(content, file, key, value)
        try:
            check(Paths(content=content))
        except ContentErrors as refused:
            assert refused.errors
            for error in refused.errors:
                assert error.file.startswith("content/") and (root / error.file).exists(), error
                assert error.zh.strip() and error.en.strip()
            "\n".join(e.format() for e in refused.errors).encode("utf-8")  # printable, whatever came in
            outcomes["refused"] += 1
            return
        out = root / "site"
        build(Paths(content=content, out=out))
        _assert_well_formed(out)
        outcomes["built"] += 1

    one_example()
    print(f"hostile examples: {outcomes['refused']} refused by check, {outcomes['built']} built well-formed")
    assert outcomes["refused"] and outcomes["built"], "both branches must be exercised"


# Tables ------------------------------------------------------------------------------------------

TABLE_EXAMPLES = max(10, EXAMPLES // 2)
HEADER_ROW = ["序号", "工作任务", "牵头领导", "牵头单位", "责任单位", "完成时限"]
cell = st.one_of(
    st.none(), st.sampled_from(["一、推动创新（2项）", "二、扩大内需", "（一）强化平台", "罗小云", "省科技厅", "省科学技术厅",
                                "ＶＲ产业基地", "省科技厅、南昌市政府", "2023年底前", "序号", "工作任务"]),
    st.sampled_from(ODD_STRINGS), plausible_text,
    st.text(alphabet=st.characters(categories=["L", "N", "P", "S", "Zs", "Cc", "Cf"]), max_size=20),
    st.integers(min_value=-10**6, max_value=10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
)
# Rows shaped like a division table's (a section, a task), with any cell hostile, and rows of
# anything: most tables get past the reader, many past the import, some past check.
section_row = st.tuples(st.sampled_from(["一、推动创新（2项）", "二、扩大内需", "十二、其他（1项）", "（一）强化平台"]))
task_row = st.tuples(st.one_of(st.integers(1, 9), cell), st.one_of(plausible_text, cell),
                     st.one_of(st.sampled_from(["罗小云", "殷美根、罗小云", "周明远"]), cell),
                     st.one_of(st.sampled_from(["省科技厅", "省科学技术厅", "ＶＲ产业基地", "南昌市政府"]), cell),
                     st.one_of(st.sampled_from(["南昌市政府、九江市政府", ""]), cell), cell)
rows = st.lists(st.one_of(section_row.map(list), task_row.map(list), st.lists(cell, max_size=8)), max_size=12)


def _write_table(path: Path, table_rows: list[list]) -> bool:
    """The rows as a CSV or an XLSX file; False when the format cannot hold a value (openpyxl
    refuses control characters), so that the example is skipped."""
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(["" if value is None else value for value in row] for row in table_rows)
        return True
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = openpyxl.Workbook()
    try:
        for row in table_rows:
            book.active.append(row)
    except IllegalCharacterError:
        return False
    book.save(path)
    return True


def test_every_hostile_table_is_refused_with_nothing_written_or_imported_as_a_plan_check_can_judge(
        template, tmp_path_factory):
    import contextlib

    from hypothesis import assume

    import build as command_line

    outcomes = {"refused": 0, "imported": 0}

    @settings(max_examples=TABLE_EXAMPLES, derandomize=DERANDOMIZE, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.sampled_from([".csv", ".xlsx"]), st.booleans(), rows)
    # A table that imports, whatever the draw: which tables a derandomized run draws shifts with
    # what else the session has imported, and the other branch must be exercised all the same.
    @example(".csv", True, [["一、推动创新（2项）"], [1, "实施研发投入攻坚行动。", "罗小云", "省科技厅", "", "2023年底前"]])
    def one_table(suffix, with_header, body):
        root = tmp_path_factory.mktemp("table")
        content = root / "content"
        shutil.copytree(template, content)
        table = root / f"table{suffix}"
        assume(_write_table(table, ([HEADER_ROW] if with_header else []) + body))
        before = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            status = command_line.main(["import", str(table), "--plan", "x", "--content", str(content)])
        said = out.getvalue()
        assert "Traceback" not in said and "internal error" not in said, said
        if status != 0:
            assert status in (1, 2), said
            after = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
            assert after == before, "a refused import writes nothing"
            outcomes["refused"] += 1
            return
        assert (content / "plans" / "x" / "plan.yaml").is_file()
        assert not [p for p in (content / "plans").iterdir() if p.name.startswith(".")], "no staging folder is left"
        try:
            check(Paths(content=content))
        except ContentErrors as refused:
            for error in refused.errors:
                assert error.file.startswith("content/") and (root / error.file).exists(), error
        outcomes["imported"] += 1

    one_table()
    print(f"hostile tables: {outcomes['refused']} refused, {outcomes['imported']} imported")
    assert outcomes["refused"] and outcomes["imported"], "both branches must be exercised"
