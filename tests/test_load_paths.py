"""The loader makes most values in its own loop (texts, keys, paths) and leaves the rest to
PyYAML's constructors; both ways, on YAML the real content never holds, give the values, types
and lines written out here by hand, and what PyYAML's own SafeLoader makes of the same text."""
from __future__ import annotations

import datetime as dt
import math

import pytest
import yaml

from catalogue import load
from catalogue.load import DuplicateKey, HostileYaml, parse_yaml

LOADERS = [load._LineLoader] + ([load._FastLineLoader] if load._FastLineLoader is not None else [])


def typed(value):
    """A value with the type of every part spelled out: 1, 1.0 and True are equal to Python."""
    if isinstance(value, dict):
        return {typed(key): typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


ODD = [
    # keys of every scalar type, each keeping its type
    ("1: a\n1.5: b\nfalse: c\n~: d\n'1': e\n",
     {1: "a", 1.5: "b", False: "c", None: "d", "1": "e"},
     {(): 1, (1,): 1, (1.5,): 2, (False,): 3, (None,): 4, ("1",): 5}),
    # numbers in YAML 1.1's spellings, and texts that only look like numbers
    ("x: 0x1F\ny: 0o17\nz: 017\nw: 1_000\nv: -.5\nu: .inf\ns: +12\nt: '12'\n",
     {"x": 31, "y": "0o17", "z": 15, "w": 1000, "v": "-.5", "u": math.inf, "s": 12, "t": "12"},
     {(): 1, ("x",): 1, ("y",): 2, ("z",): 3, ("w",): 4, ("v",): 5, ("u",): 6, ("s",): 7, ("t",): 8}),
    # dates: a day that does not exist stays text, for the validator to name, and so does a
    # date without its zeros (YAML reads it as a date only with a time)
    ("d: 2021-02-30\ne: 2021-02-03\nf: 2021-02-03 10:00:00\ng: 2021-2-3\n",
     {"d": "2021-02-30", "e": dt.date(2021, 2, 3), "f": dt.datetime(2021, 2, 3, 10), "g": "2021-2-3"},
     {(): 1, ("d",): 1, ("e",): 2, ("f",): 3, ("g",): 4}),
    # lists in lists, flow and block, empty collections and empty values
    ("- a\n- - b\n  - [1, {c: ~}]\n- {}\n- []\n- ''\n-\n",
     ["a", ["b", [1, {"c": None}]], {}, [], "", None],
     {(): 1, (0,): 1, (1,): 2, (1, 0): 2, (1, 1): 3, (1, 1, 0): 3, (1, 1, 1): 3, (1, 1, 1, "c"): 3,
      (2,): 4, (3,): 5, (4,): 6, (5,): 7}),
    # a key longer than a number may be, true/false in YAML 1.1's words, quoted and block texts
    ("a_key_longer_than_twenty_characters: yes\nb: No\nc: \"x\\ty\"\nd: |\n  one\n  two\n",
     {"a_key_longer_than_twenty_characters": True, "b": False, "c": "x\ty", "d": "one\ntwo\n"},
     {(): 1, ("a_key_longer_than_twenty_characters",): 1, ("b",): 2, ("c",): 3, ("d",): 4}),
    # keys that are not texts, with values below them
    ("true:\n  - a\n  - 2: [x]\n",
     {True: ["a", {2: ["x"]}]},
     {(): 1, (True,): 1, (True, 0): 2, (True, 1): 3, (True, 1, 2): 3, (True, 1, 2, 0): 3}),
    # a list or a mapping written as a key (YAML's "? "): its text is the key
    ("? [a, b]\n: c\n? {d: 1}\n: e\n",
     {"['a', 'b']": "c", "{'d': 1}": "e"},
     {(): 1, ("['a', 'b']",): 1, ("{'d': 1}",): 3}),
    # a document that is a single value, or nothing
    ("just text\n", "just text", {(): 1}),
    ("2021-01-01\n", dt.date(2021, 1, 1), {(): 1}),
    ("# only a comment\n", None, {}),
]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("text, data, lines", ODD, ids=[repr(case[0])[:30] for case in ODD])
def test_odd_yaml_gives_the_values_types_and_lines_written_here(loader, text, data, lines):
    document = load._parse_with(loader, text, "odd.yaml")
    assert typed(document.data) == typed(data)
    assert document.lines == lines
    assert [tuple(map(type, key)) for key in document.lines] == [tuple(map(type, key)) for key in lines]


# PyYAML's own loader makes an impossible date an error, and cannot make a list a key.
LIKE_PYYAML = [case for case in ODD if "2021-02-30" not in case[0] and "?" not in case[0]]


@pytest.mark.parametrize("text, data, lines", LIKE_PYYAML, ids=[repr(case[0])[:30] for case in LIKE_PYYAML])
def test_odd_yaml_gives_what_pyyamls_own_constructor_gives(text, data, lines):
    assert typed(parse_yaml(text, "odd.yaml").data) == typed(yaml.load(text, Loader=yaml.SafeLoader))


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("text, key, first, line", [
    ("a: 1\na: 2\n", ("a",), 1, 2),
    ("x:\n  1: a\n  true: b\n", ("x", 1), 2, 3),       # true == 1 to Python: one key twice
    ("x:\n  1.0: a\n  1: b\n", ("x", 1.0), 2, 3),
    ("- {'': 1, \"\": 2}\n", (0, ""), 1, 1),
])
def test_a_key_written_twice_is_refused_naming_both_lines(loader, text, key, first, line):
    with pytest.raises(DuplicateKey) as duplicate:
        load._parse_with(loader, text, "odd.yaml")
    assert (duplicate.value.key, duplicate.value.first_line, duplicate.value.line) == (key, first, line)


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("text, line", [
    ("123456789012345678901: a\n", 1),                 # a key: as long a number as any value
    ("a: 1\n0o1234567890123456789012: a\n", 2),        # a key YAML reads as text, but looks like a number
    ("a:\n  - 1.234567890123456789e+10\n", 2),       # (without its sign, the exponent is text to YAML)
])
def test_a_number_too_long_is_refused_as_a_key_or_a_value(loader, text, line):
    with pytest.raises(HostileYaml) as hostile:
        load._parse_with(loader, text, "odd.yaml")
    assert (hostile.value.line, hostile.value.en) == (line, "a number longer than 20 characters.")


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
def test_long_texts_that_look_like_numbers_are_kept_where_yaml_reads_them_as_text(loader):
    document = load._parse_with(loader, "a: '123456789012345678901'\nb: 0o1234567890123456789012\n", "odd.yaml")
    assert document.data == {"a": "123456789012345678901", "b": "0o1234567890123456789012"}
    assert load._parse_with(loader, "0o1234567890123456789012\n", "odd.yaml").data == "0o1234567890123456789012"


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("text", ["<<: {a: 1}\n", "=: 1\n"])
def test_keys_with_a_tag_of_no_constructor_are_refused_by_pyyaml(loader, text):
    with pytest.raises(yaml.constructor.ConstructorError, match="could not determine a constructor"):
        load._parse_with(loader, text, "odd.yaml")


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
def test_nesting_is_refused_one_level_past_the_limit_without_the_walk_of_events(loader):
    inside = "{a: " * load.MAX_DEPTH + "1" + "}" * load.MAX_DEPTH
    assert load._parse_with(loader, f"- x\n- {'{a: ' * (load.MAX_DEPTH - 1)}1{'}' * (load.MAX_DEPTH - 1)}\n",
                            "odd.yaml").data[0] == "x"
    with pytest.raises(HostileYaml, match="nested more than"):
        load._parse_with(loader, f"- {inside}\n", "odd.yaml")


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_resumes_as_it_was_after_a_pause_whatever_happened_in_it(enabled):
    import gc

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with load.collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError), load.collector_paused():
            1 / 0
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("enabled", [True, False])
def test_what_is_made_in_a_pause_is_the_collector_s_oldest_generation_after_it(enabled):
    """Not left young: the first pass after the pause would walk all of it, alive."""
    import gc

    class Made:  # an instance the collector tracks, told apart from every other object
        pass

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with load.collector_paused():
            made = [Made() for _ in range(1000)]
            assert any(thing is made[0] for thing in gc.get_objects(generation=0))
        assert gc.get_count()[0] < 100
        assert any(thing is made[0] for thing in gc.get_objects(generation=2))
        assert not any(thing is made[-1] for thing in gc.get_objects(generation=0) + gc.get_objects(generation=1))
    finally:
        (gc.enable if was else gc.disable)()


def test_reading_and_modelling_content_leave_no_garbage_in_cycles_for_the_paused_collector(tmp_path):
    """The premise of pausing the collector while content is read and modelled: what they let go
    is freed by reference counts alone, for sound content and broken content alike. (The model
    they make has cycles, and lives on: a build freezes it.)"""
    import gc

    from catalogue.errors import ContentErrors
    from catalogue.pipeline import Paths, Settings, _model
    from tiny_content import write_tiny_content

    sound = write_tiny_content(tmp_path / "sound")
    broken = write_tiny_content(tmp_path / "broken")
    (broken / "tasks" / "1-01.yaml").write_text("id: 1-1\ntext: [unclosed\n", encoding="utf-8")
    (broken / "tasks" / "1-02.yaml").write_text("id: 1-2\nid: 1-2\n", encoding="utf-8")
    (broken / "leaders.yaml").write_text("- name: \"\\x01\"\n  slug: a\n", encoding="utf-8")

    def read_and_model(root):
        try:
            return _model(load.read_content(root), Settings(), Paths(content=root))
        except ContentErrors as errors:
            return [error.en for error in errors.errors]

    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        made = [read_and_model(sound), read_and_model(broken)]
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
    assert [task.id for task in made[0].tasks] == ["1-1", "1-2"]
    assert any("still open" in message for message in made[1])
    assert any("appears twice" in message for message in made[1])
    assert any("invisible or invalid character" in message for message in made[1])


@pytest.mark.parametrize("text, walked", [
    ("a:\n" + " " * 12 + "b: 1\n", False),        # indented as deep as nesting may go
    ("a:\n" + " " * 13 + "b: 1\n", True),         # one space deeper
    (" " * 13 + "a: 1\n", True),                  # on the first line
    ("a: '" + " " * 13 + "x'\n", False),          # spaces inside a line are not indentation
    ("a:\r\n" + " " * 13 + "b: 1\r\n", True),     # Windows line ends
    ("a: x*y\n", True), ("a: x&y\n", True), ("a: x!\n", True),
    ("a: " + "[" * 6 + "]" * 6 + "\nb: " + "{c: " * 6 + "1" + "}" * 6 + "\n", False),  # 12 brackets
    ("a: " + "[" * 13 + "]" * 13 + "\n", True),
    ("a: " + "{b: " * 13 + "1" + "}" * 13 + "\n", True),
    ("a: XX\n", False), ("a: 1\n", False),
])
def test_the_walk_of_events_is_asked_for_by_marks_brackets_or_deep_indentation(text, walked):
    assert load._may_be_hostile(text) is walked


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("written, made", [
    ("0", 0), ("7", 7), ("1500", 1500), ("-3", -3), ("+12", 12), ("1_000", 1000), ("010", 8), ("0x10", 16),
    ("0b11", 3), ("1:30", 90), ("99999999999999999999", 99999999999999999999),
    ("2021-03-01", dt.date(2021, 3, 1)), ("2024-02-29", dt.date(2024, 2, 29)),
    ("2023-02-29", "2023-02-29"), ("2021-00-10", "2021-00-10"), ("2021-12-32", "2021-12-32"),
    ("2021-03-01t10:00:00", dt.datetime(2021, 3, 1, 10)), ("2021-3-1 1:00:00", dt.datetime(2021, 3, 1, 1)),
    ("1.5", 1.5), ("true", True), ("~", None),
])
def test_numbers_and_days_are_made_as_written_whichever_way_the_loader_makes_them(loader, written, made):
    value = load._parse_with(loader, f"a: {written}\n", "odd.yaml").data["a"]
    assert typed(value) == typed(made)


def test_files_share_the_paths_of_their_values_at_any_depth_whole_numbers_included():
    first = parse_yaml("a:\n  - b: x\n1:\n  c: y\na_key_longer_than_twenty_characters: 1\n", "a.yaml")
    second = parse_yaml("a_key_longer_than_twenty_characters: 2\n1:\n  c: z\na:\n  - b: w\n", "b.yaml")
    for path in [("a", 0, "b"), (1, "c"), ("a", 0), (1,), ("a_key_longer_than_twenty_characters",)]:
        assert [key for key in first.lines if key == path][0] is [key for key in second.lines if key == path][0], path
    assert list(first.data)[-1] is list(second.data)[0]


def test_a_list_below_a_key_of_true_keeps_its_paths_types_after_a_file_with_the_key_1():
    parse_yaml("1:\n  - a\n  - 2: [x]\n", "a.yaml")
    second = parse_yaml("true:\n  - a\n  - 2: [x]\n", "b.yaml")
    assert [tuple(map(type, key)) for key in second.lines] == [
        (), (bool,), (bool, int), (bool, int), (bool, int, int), (bool, int, int, int)]


def test_a_plans_task_files_are_read_in_the_order_of_their_names_whatever_the_folders(tmp_path):
    """The order the folder lists them in is the file system's (creation order, hash order): the
    build reads them by name, so that errors, and which of two files with one id comes first, do
    not hang on it."""
    from tiny_content import write_tiny_content

    content = write_tiny_content(tmp_path)
    folder = content / "tasks"
    texts = {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.yaml")}
    for path in folder.glob("*.yaml"):
        path.unlink()
    names = ["1-02.yaml", "0-zz.yml", "1-01.yaml", "1-10.yaml"]
    for name in names:  # written out of order
        (folder / name).write_text(texts.get(name, texts["1-01.yaml"]), encoding="utf-8")
    read = load.read_content(content)
    assert [document.file.rsplit("/", 1)[1] for document in read.tasks] == sorted(names)
