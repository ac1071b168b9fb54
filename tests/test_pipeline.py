"""The pipeline's own mechanics: line tracking, output collisions, the atomic swap."""
from __future__ import annotations

import pytest

from catalogue.errors import BuildError
from catalogue import load
from catalogue.load import parse_yaml
from catalogue.urls import relative
from catalogue.write import claim, write_site


def test_lines_are_recorded_for_nested_values():
    document = parse_yaml("id: 1-1\ntargets:\n  - label: a\n    actual: 3\nupdates: []\n", "t.yaml")
    assert document.line("id") == 1
    assert document.line("targets", 0, "actual") == 4
    assert document.line("updates") == 5
    assert document.line("targets", 0, "missing") == 3, "falls back to the enclosing value"


def test_an_impossible_date_stays_text_for_the_validator():
    document = parse_yaml("deadline: 2021-13-45\n", "t.yaml")
    assert document.data["deadline"] == "2021-13-45"


@pytest.mark.parametrize("first, second", [("a: 123\nb: '123'\n", "a: '123'\nb: 123\n"),
                                           ("a: on\nb: 'on'\n", "a: 'on'\nb: on\n"),
                                           ("a: 2021-03-01\nb: '2021-03-01'\n", "a: '2021-03-01'\nb: 2021-03-01\n")])
def test_a_quoted_value_stays_text_whichever_way_the_same_value_came_before(first, second):
    # The loader keeps the tag each plain value resolved to: a quoted one must not get it.
    plain_first, quoted_first = parse_yaml(first, "t.yaml").data, parse_yaml(second, "t.yaml").data
    assert isinstance(plain_first["b"], str) and isinstance(quoted_first["a"], str)
    assert not isinstance(plain_first["a"], str) and not isinstance(quoted_first["b"], str)
    assert plain_first["a"] == quoted_first["b"]


def test_keys_equal_in_value_keep_their_own_type_from_file_to_file():
    # 1, 1.0 and true are equal to Python: the one object shared between files must not cross types.
    first = parse_yaml("1: a\nx:\n  - 1\n", "a.yaml")
    second = parse_yaml("true: b\nx:\n  true: 2\n", "b.yaml")
    third = parse_yaml("1.0: c\n", "c.yaml")
    assert [type(key) for key in first.data] == [int, str] and [type(key) for key in second.data] == [bool, str]
    assert [type(key) for key in third.data] == [float]
    assert [type(key[-1]) for key in second.lines if key] == [bool, str, bool]
    assert second.line("x", True) == 3 and first.line("x", 0) == 3


def test_files_share_their_keys_but_not_their_values_up_to_a_bound(monkeypatch):
    first = parse_yaml("status: on_track\nnote: 已完成\n", "a.yaml")
    second = parse_yaml("note: 已完成\nstatus: on_track\n", "b.yaml")
    assert next(iter(first.data)) is list(second.data)[1]
    assert [key for key in first.lines if key == ("note",)][0] is [key for key in second.lines if key == ("note",)][0]
    # Values stay each file's own: a page's fingerprint must not hang on which are one object.
    assert first.data["status"] == second.data["status"] and first.data["status"] is not second.data["status"]
    monkeypatch.setattr(load, "_SHARED", {})
    monkeypatch.setattr(load, "SHARED_LIMIT", 3)
    parse_yaml("a: x\nb: y\nc: z\n", "e.yaml")
    assert len(load._SHARED) == 3


def test_two_producers_writing_one_path_is_an_error_naming_both():
    owner: dict[str, str] = {}
    claim(owner, "search/index.html", "pages")
    claim(owner, "search/index.html", "pages")  # a producer may name its own path again
    with pytest.raises(BuildError, match="pages.*search"):
        claim(owner, "search/index.html", "search")


def test_a_producer_cannot_write_outside_the_site():
    with pytest.raises(BuildError):
        claim({}, "../escape.html", "evil")


def test_write_replaces_the_whole_site_and_leaves_no_staging_folder(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"one", "old.html": b"stale"}, out)
    write_site({"index.html": b"two"}, out)
    assert (out / "index.html").read_bytes() == b"two"
    assert not (out / "old.html").exists(), "files of the previous build do not linger"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_relative_links_work_from_any_depth():
    assert relative("index.html", "tasks/1-1/index.html") == "tasks/1-1/index.html"
    assert relative("tasks/1-1/index.html", "index.html") == "../../index.html"
    assert relative("tasks/1-1/index.html", "tasks/1-2/index.html") == "../1-2/index.html"
    assert relative("sections/1/index.html", "sections/1/index.html#sub-2") == "index.html#sub-2"
    assert relative("404.html", "assets/css/site.css") == "assets/css/site.css"


def test_one_pages_links_are_what_posixpath_relpath_makes_of_every_target():
    """urls.links_from (a page's links, its part worked out once), against relpath as the oracle,
    with a fragment or query kept, from every depth, to targets in and out of the page's folders."""
    import posixpath

    from catalogue.urls import links_from

    pages = ["index.html", "404.html", "tasks/1-1/index.html", "tasks/index.html", "plans/2022/units/x/index.html",
             "sections/1/index.html", "sectionsx/index.html", "agencies/page/2/index.html"]
    targets = ["index.html", "assets/css/site.css", "tasks/1-2/index.html", "tasks/1-1/index.html", "tasks",
               "tasks/index.html", "sections/1/index.html", "sections/10/index.html", "sectionsx/a.html",
               "plans/2022/units/y/index.html", "plans/2022/index.html", "agencies/page/3/index.html"]
    for page in pages:
        link = links_from(page)
        start = posixpath.dirname(page) or "."
        for target in targets:
            expected = posixpath.relpath(target, start)
            for suffix in ("", "#sub-2", "?q=数字"):
                assert link(target + suffix) == expected + suffix, (page, target + suffix)
                assert relative(page, target + suffix) == expected + suffix
        assert link("#top") == posixpath.basename(page) + "#top"


def test_the_fast_parser_reads_every_content_file_as_the_pure_python_one_does(project_root):
    from catalogue import load

    if load._FastLineLoader is None:
        pytest.skip("PyYAML was built without libyaml")
    files = sorted((project_root / "content").rglob("*.yaml"))
    assert len(files) > 170
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = load._parse_with(load._FastLineLoader, text, path.name)
        pure = load._parse_with(load._LineLoader, text, path.name)
        assert (fast.data, fast.lines) == (pure.data, pure.lines), path


def test_a_file_the_parser_rejects_is_reported_with_the_pure_python_message(tmp_path):
    import yaml

    from catalogue import load
    from catalogue.load import read_document

    path = tmp_path / "broken.yaml"
    path.write_text("id: 1-1\ntext: x\nstatus: x: y\n", encoding="utf-8")
    error = read_document(path, tmp_path)
    with pytest.raises(yaml.MarkedYAMLError) as pure:
        load._parse_with(load._LineLoader, path.read_text(encoding="utf-8"), path.name)
    assert error.line == pure.value.problem_mark.line + 1 == 3
    assert error.en == f"YAML does not parse: {pure.value.problem}"


def test_an_unclosed_bracket_or_quote_is_reported_where_it_opens_in_both_languages(tmp_path):
    from catalogue.load import read_document

    path = tmp_path / "broken.yaml"
    for opened, where_zh in (('text: "unclosed', "引号没有闭合"), ("text: [unclosed", "方括号或花括号没有闭合")):
        lines = ["id: 1-1", "section: 1", opened] + [f"field{n}: {n}" for n in range(9)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        error = read_document(path, tmp_path)
        assert error.line == 3, (opened, error)
        assert error.zh.startswith(f"YAML 格式错误：{where_zh}"), error.zh
        assert "still open on line" in error.en


def test_relative_links_agree_with_posixpath_on_every_pair_of_site_paths():
    import itertools
    import posixpath

    paths = ["index.html", "404.html", "tasks/1-1/index.html", "tasks/8-40/index.html", "tasks",
             "sections/1/index.html", "assets/css/site.css", "search/index.js", "data/tasks.csv",
             "agencies/index.html", "agencies/finance/index.html", "status/on_track/index.html"]
    for page, target in itertools.product(paths, repeat=2):
        expected = posixpath.relpath(target, posixpath.dirname(page) or ".")
        assert relative(page, target) == expected, (page, target)


def test_a_build_leaves_garbage_in_cycles_that_does_not_grow_with_the_site(tmp_path):
    """The collector of cycles is paused while a site is made (pipeline.build): what a build
    makes in cycles and lets go must not grow with its tasks and pages, or a build of 100,000
    tasks would keep it all to its end. Two tasks and 166 leave the same: the environment of the
    templates and what it holds, once the build has let go of the items it kept (Renderer.close)."""
    import gc
    from pathlib import Path

    from catalogue.pipeline import PROJECT_ROOT, Paths, build
    from tiny_content import write_tiny_content

    def garbage_in_cycles(content: Path) -> int:
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            result = build(Paths(content=content, out=tmp_path / f"site-{content.parent.name}"))
            gc.collect()
            assert len(result.catalogue.tasks) > 0
            return len(gc.garbage)
        finally:
            gc.set_debug(0)
            gc.garbage.clear()

    small = garbage_in_cycles(write_tiny_content(tmp_path / "tiny"))
    real = garbage_in_cycles(PROJECT_ROOT / "content")
    assert abs(real - small) < 100, (small, real)


def test_what_a_build_leaves_is_not_left_to_the_collector_s_youngest_generation(tmp_path):
    """Frozen before the collector resumes and unfrozen as its oldest generation: the next pass
    of the youngest does not go through everything the build made (the whole model and site at
    10,000 tasks) as if it were new."""
    import gc

    from catalogue.pipeline import Paths, build
    from tiny_content import write_tiny_content

    content = write_tiny_content(tmp_path)
    gc.collect()
    result = build(Paths(content=content, out=tmp_path / "site"))
    assert gc.isenabled()
    assert any(thing is result.catalogue for thing in gc.get_objects(generation=2))
    assert not any(thing is result.catalogue for thing in gc.get_objects(generation=0) + gc.get_objects(generation=1))
