"""Read content/: every YAML file parsed into plain data, with the line of every value kept so
that validation can point an editor at the exact line to fix."""
from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import operator
import os
import re
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ContentError, field_label
from .reader import (MAX_CORRECTIONS_BYTES, MAX_REGISTRY_BYTES, MAX_SOURCE_TEXT_BYTES, MAX_TASK_BYTES, Refused, Tree,
                     decode_text, read_bytes, read_text)

REGISTRIES = ("site", "sections", "leaders", "units", "statuses")
# Registries a content tree may do without: a plan not yet sorted into subjects still builds,
# and a site whose office has asked no unit for a report has no reporting rounds.
OPTIONAL_REGISTRIES = ("subjects", "rounds")

# Limits far above any real file (nesting 4 deep) and far below what could make a build slow or
# a page huge; the limits of size are the reader's (reader.py).
MAX_DEPTH = 12
MAX_NUMBER_CHARS = 20
# The plain scalars YAML would read as numbers (its int and float rules, loosely).
_NUMBER_LIKE = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?|[-+]?0[xob][0-9a-fA-F_]+")

Key = tuple  # a path into a document: ("targets", 0, "actual")


@dataclass
class Document:
    """One parsed YAML file: its data, the line (1-based) of each key path, and the digest of the
    bytes it was parsed from (by which a build with memory reuses it: Parsed)."""

    file: str
    data: object
    lines: Mapping[Key, int] = field(default_factory=dict)
    digest: bytes = b""

    def line(self, *key) -> int | None:
        """Line of the value at `key`, or of its nearest enclosing value that has one."""
        key = tuple(key)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)


@dataclass
class PlanContent:
    """A further plan, content/plans/<id>/: its plan.yaml, sections.yaml and tasks/."""

    id: str
    registries: dict[str, Document]
    tasks: list[Document]


@dataclass
class GovernmentContent:
    """A further government, content/governments/<id>/: government.yaml, leaders.yaml, units.yaml."""

    id: str
    registries: dict[str, Document]


@dataclass
class Content:
    """All of content/, parsed; `problems` holds files that could not be parsed. The files at
    the top of content/ are the first plan; `plans` are the others (content/plans/<id>/)."""

    root: Path
    registries: dict[str, Document]
    tasks: list[Document]
    problems: list[ContentError]
    plans: list[PlanContent] = field(default_factory=list)
    corrections: Document | None = None  # content/source/corrections.yaml, when there is one
    source_text: bytes | None = None     # content/source/*.txt, the scan, published unchanged
    governments: list[GovernmentContent] = field(default_factory=list)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates it cannot construct as strings, so a bad date becomes a
    validation message instead of a traceback."""


def _construct_timestamp_leniently(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_leniently)

# libyaml parses the 170 files some twenty times faster, which keeps a preview rebuild under a
# second. Its error texts differ from the pure-Python parser's, which _problem_zh translates,
# so a file that fails is parsed again by the pure-Python loader for the message.
_FastLineLoader = None
RESOLVED_TAGS_KEPT = 100_000
if hasattr(yaml, "CSafeLoader"):
    class _FastLineLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The C parser with the same lenient dates as _LineLoader.

        The C parser calls back into Python three times for every value it composes: for its
        tag (resolve) and around it (descend_resolver, ascend_resolver), 1.8 million calls at
        10,000 tasks. Each callback here is a function written in C, so none of them runs Python:
        - the tag of a plain value follows from the value alone, and content repeats its keys,
          names and codes from file to file: each distinct one is resolved once, by the regexes,
          and then found in a cache;
        - descend_resolver and ascend_resolver follow the path resolvers, and SafeLoader has
          none (checked below): a C function that ignores its arguments does what they do."""

        resolve = staticmethod(functools.lru_cache(maxsize=RESOLVED_TAGS_KEPT)(yaml.resolver.Resolver().resolve))
        descend_resolver = staticmethod(operator.is_)
        ascend_resolver = staticmethod(tuple)

    assert not _FastLineLoader.yaml_path_resolvers, "descend_resolver and ascend_resolver would have work to do"
    _FastLineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_leniently)


class HostileYaml(Exception):
    """YAML that editors never need and that could make the build hang or crash: anchors and
    aliases (an alias bomb expands a kilobyte into gigabytes), explicit tags, deep nesting,
    numbers of hundreds of digits. Refused before anything is built from the text."""

    def __init__(self, line: int, zh: str, en: str, hint_zh: str, hint_en: str):
        super().__init__(en)
        self.line, self.zh, self.en, self.hint_zh, self.hint_en = line, zh, en, hint_zh, hint_en


def _refuse_hostile(text: str, loader_class) -> None:
    """Walk the YAML events (a flat stream: nothing is expanded) and raise HostileYaml at the
    first construct an editor's file never contains."""
    depth = 0
    for event in yaml.parse(text, Loader=loader_class):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise HostileYaml(line, "不能使用 YAML 锚点或别名（& 和 *）。", "YAML anchors and aliases (& and *) are not allowed.",
                              "把要重复的内容直接写出来。", "write the repeated value out in full")
        if getattr(event, "tag", None) is not None and not _implicit(event):
            raise HostileYaml(line, "不能使用 YAML 标签（以 ! 开头）。", "YAML tags (starting with !) are not allowed.",
                              "去掉以 ! 开头的标签；需要文字时加引号。", "remove the tag; quote the value if it is text")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise HostileYaml(line, *_TOO_DEEP)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif (isinstance(event, yaml.ScalarEvent) and not event.style and len(event.value) > MAX_NUMBER_CHARS
              and _NUMBER_LIKE.fullmatch(event.value)):
            raise HostileYaml(line, *_TOO_LONG)


_TOO_DEEP = (f"嵌套超过 {MAX_DEPTH} 层。", f"nested more than {MAX_DEPTH} levels deep.",
             "检查缩进和括号。", "check the indentation and brackets")
_TOO_LONG = (f"数字超过 {MAX_NUMBER_CHARS} 位。", f"a number longer than {MAX_NUMBER_CHARS} characters.",
             "检查该数字是否多写了位数。", "check the number for extra digits")


def _implicit(event) -> bool:
    implicit = event.implicit
    return any(implicit) if isinstance(implicit, tuple) else bool(implicit)


def parse_yaml(text: str, file: str) -> Document:
    """Parse one YAML text, recording the line of every mapping value and list item."""
    if _FastLineLoader is not None:
        try:
            if _may_be_hostile(text):
                _refuse_hostile(text, _FastLineLoader)
            return _parse_with(_FastLineLoader, text, file)
        except yaml.YAMLError:
            pass  # parsed again below for the pure-Python parser's message
    _refuse_hostile(text, _LineLoader)
    return _parse_with(_LineLoader, text, file)


# A line indented deeper than MAX_DEPTH spaces.
_DEEP_INDENT = re.compile(f"^ {{{MAX_DEPTH + 1}}}", re.MULTILINE)


def _may_be_hostile(text: str) -> bool:
    """Whether the walk of the YAML events must look at this text before it is composed: an
    anchor, an alias or a tag needs one of & * !, and nesting deeper than a few levels needs
    brackets or indentation. A task file has none of that (the walk was a third of the time spent
    on YAML); the composed values are still checked for depth and long numbers (_to_python)."""
    return (any(mark in text for mark in "&*!") or text.count("[") + text.count("{") > MAX_DEPTH
            or _DEEP_INDENT.search(text) is not None)


def _parse_with(loader_class, text: str, file: str) -> Document:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        lines: dict[Key, int] = {}
        data = None
        if node is not None:  # a file of nothing but comments has none
            lines[()] = node.start_mark.line + 1
            data = _to_python(loader, node, (), lines)
    finally:
        loader.dispose()
    return Document(file=file, data=data, lines=lines)


class DuplicateKey(Exception):
    """A field written twice in one mapping: YAML would silently keep only the second."""

    def __init__(self, key: Key, first_line: int, line: int):
        super().__init__(key)
        self.key, self.first_line, self.line = key, first_line, line


# Every file of a kind has the same keys: one object each (a key, the path of a value in the
# lines of the file) for all the files, not one per file: 30 MB at 10,000 task files, whose values
# and lines are kept for the build's lifetime and the next's. Values are not shared: the pickled
# page contexts that fingerprint.py digests would then hang on which equal values are one object,
# which a memory loaded from the cache does not keep.
_SHARED: dict = {}
SHARED_LIMIT = 200_000


def _share(value):
    """`value` made the one object equal to it, unless SHARED_LIMIT objects are shared already:
    a text, or a path of texts and whole numbers only, since True == 1 == 1.0 and a key must keep
    its own type. Called for what _SHARED does not hold yet."""
    if len(_SHARED) >= SHARED_LIMIT:
        return value
    return _SHARED.setdefault(value, value)


_SCALAR, _MAPPING = yaml.ScalarNode, yaml.MappingNode


def _to_python(loader, node, key: Key, lines: dict[Key, int], shareable: bool = True):
    """The plain data of a composed node at `key`, the line of every mapping key and list item
    added to `lines`. Most nodes are scalars: each is made in its collection's loop (a text, the
    most of them, is the node's own value), so that only collections cost a call; a scalar of any
    other type is made by its constructor (_scalar). The paths below `key` are shared between
    files only while every part of them is a text or a whole number (`shareable`, _share)."""
    if type(node) is _SCALAR:
        return node.value if node.tag == _STR_TAG else _scalar(loader, node)
    if len(key) >= MAX_DEPTH:  # _refuse_hostile's depth check: a collection at `key` is len(key) + 1 deep
        raise HostileYaml(node.start_mark.line + 1, *_TOO_DEEP)
    if type(node) is _MAPPING:
        result = {}
        for key_node, value_node in node.value:
            # A key is text, and short, but for the odd file: as _key_name makes it, at less cost.
            if key_node.tag == _STR_TAG and type(key_node) is _SCALAR and len(key_node.value) <= MAX_NUMBER_CHARS:
                name = _SHARED.get(key_node.value) or _share(key_node.value)
            else:
                name = _key_name(loader, key_node)
            child = key + (name,)
            shared = shareable and (type(name) is str or type(name) is int)
            if shared:
                child = _SHARED.get(child) or _share(child)
            line = key_node.start_mark.line + 1
            if name in result:
                raise DuplicateKey(child, lines[child], line)
            lines[child] = line  # a value's line is its key's
            result[name] = (value_node.value if value_node.tag == _STR_TAG and type(value_node) is _SCALAR
                            else _to_python(loader, value_node, child, lines, shared))
        return result
    result = []
    for index, item in enumerate(node.value):
        child = key + (index,)
        if shareable:
            child = _SHARED.get(child) or _share(child)
        lines[child] = item.start_mark.line + 1
        result.append(item.value if item.tag == _STR_TAG and type(item) is _SCALAR
                      else _to_python(loader, item, child, lines, shareable))
    return result


def _key_name(loader, key_node):
    """A mapping key as the data holds it: a text (shared between files when written as one), a
    number, true or false, or null as they are; anything else (a list written as a key) as its text."""
    _refuse_long_number(key_node)
    if key_node.tag == _STR_TAG and type(key_node) is _SCALAR:
        name = key_node.value
        return _SHARED.get(name) or _share(name)
    name = loader.construct_object(key_node, deep=True)
    return name if isinstance(name, (str, int, float, bool, type(None))) else str(name)


def _scalar(loader, node):
    """A scalar that is not a text (a number, a date, true or false, null), made by the loader's
    constructor for its tag as construct_object would, without its bookkeeping for nodes reached
    twice (an alias, refused before composing). A tag with no constructor (<< and =) goes through
    construct_object, which says why it cannot be made."""
    _refuse_long_number(node)
    value, tag = node.value, node.tag
    # The numbers and days content is made of, as their constructors make them, at a tenth of
    # the cost: a whole number in decimal digits (without a leading zero, which YAML reads as
    # octal), a day written YYYY-MM-DD (one that is not in the calendar stays text, below).
    if tag == _INT_TAG and value.isdecimal() and (value[0] != "0" or value == "0"):
        return int(value)
    if tag == _TIMESTAMP_TAG and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    constructor = loader.yaml_constructors.get(tag)
    if constructor is None:
        return loader.construct_object(node, deep=True)
    return constructor(loader, node)


def _refuse_long_number(node) -> None:
    """_refuse_hostile's check of numbers, on a composed plain scalar (a list or a mapping written
    as a key has no style)."""
    if (type(node) is _SCALAR and not node.style and len(node.value) > MAX_NUMBER_CHARS
            and _NUMBER_LIKE.fullmatch(node.value)):
        raise HostileYaml(node.start_mark.line + 1, *_TOO_LONG)


_STR_TAG, _INT_TAG, _TIMESTAMP_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"


# Where a scanner error's context says where the broken construct began, that is the line to
# fix: an unclosed quote is found only at the end of the file, many lines later.
_STARTS_AT_CONTEXT = ("while scanning a quoted scalar", "while parsing a flow sequence",
                      "while parsing a flow mapping", "while scanning a block scalar")


# Files parsed by earlier builds, by the digest of their bytes: (data, lines). A build with memory
# parses only the files it has not seen (catalogue/memory.py). A task file's lines are not kept
# (None): only an error in it asks for them, and they were two fifths of what the memory holds.
Parsed = dict[bytes, tuple[object, dict | None]]


def read_document(path: Path | str, root: Path, limit: int = MAX_TASK_BYTES, parsed: Parsed | None = None,
                  tree: Tree | None = None, file: str | None = None, kept_lines: bool = True) -> Document | ContentError:
    """Parse a YAML file of content/ read through the reader, or say in both languages why it
    could not be read or where its YAML is broken. A file whose bytes are in `parsed` is not
    parsed again; one parsed now is added to it, without its lines unless `kept_lines`. With
    `tree` (a reading of `root` that remembers earlier ones), a file known unchanged is not even
    read again. `file` is how messages name it (display_path, by default)."""
    file = file if file is not None else display_path(Path(path), root)
    try:
        if tree is not None:
            digest, data = tree.digest_or_bytes(path, file, limit, file_digest,
                                                wanted=lambda digest: parsed is None or digest not in parsed)
        else:
            data = read_bytes(path, file, limit, within=root)
            digest = file_digest(data)
        known = parsed.get(digest) if parsed is not None else None
        if known is not None:
            data, lines = known
            return Document(file, data, lines if lines is not None else _LinesFoundAgain(path, root, limit, file, digest),
                            digest)
        text = decode_text(data, file)
    except Refused as refused:
        return refused.error
    document = _parse_document(text, file)
    if isinstance(document, Document):
        document.digest = digest
        if parsed is not None:
            parsed[document.digest] = (document.data, document.lines if kept_lines else None)
    return document


class _LinesFoundAgain(Mapping):
    """The lines of a file an earlier build parsed, not kept: found by parsing it again, through
    the same reader, the first time an error asks for one. Bytes other than those parsed then (the
    file changed since this build read it) give no lines: the error names the file alone."""

    # One for each task file of a build with memory: slots, and the path as the reader's text of it.
    __slots__ = ("_path", "_root", "_limit", "_file", "_digest", "_found")

    def __init__(self, path: Path, root: Path, limit: int, file: str, digest: bytes):
        self._path, self._root, self._limit, self._file, self._digest = str(path), root, limit, file, digest
        self._found: dict | None = None

    @property
    def _lines(self) -> dict:
        if self._found is None:
            document = read_document(Path(self._path), self._root, self._limit, file=self._file)
            self._found = document.lines if isinstance(document, Document) and document.digest == self._digest else {}
        return self._found

    def __getitem__(self, key):
        return self._lines[key]

    def __iter__(self):
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


def file_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _parse_document(text: str, file: str) -> Document | ContentError:
    try:
        return parse_yaml(text, file)
    except HostileYaml as hostile:
        return ContentError(file, hostile.line, "", hostile.zh, hostile.en, hostile.hint_zh, hostile.hint_en)
    except yaml.MarkedYAMLError as error:
        problem = error.problem or error.context or "syntax error"
        mark = error.problem_mark or error.context_mark
        if error.context in _STARTS_AT_CONTEXT and error.context_mark is not None:
            mark = error.context_mark
        line = mark.line + 1 if mark else None
        zh, en = _problem_zh(error.context, problem), problem
        if mark is not error.problem_mark and error.problem_mark is not None:
            zh += f"（到第 {error.problem_mark.line + 1} 行仍未闭合）"
            en = f"{error.context}, {problem} (still open on line {error.problem_mark.line + 1})"
        return ContentError(
            file, line, "",
            f"YAML 格式错误：{zh}",
            f"YAML does not parse: {en}",
            "检查该行的缩进、冒号后的空格和引号是否成对。",
            "check the indentation, the space after each colon and paired quotes",
        )
    except DuplicateKey as duplicate:
        name = duplicate.key[-1]
        return ContentError(
            file, duplicate.line, field_label(duplicate.key),
            f"字段“{name}”重复出现，第 {duplicate.first_line} 行已有；后写的会覆盖先写的，内容会丢失。",
            f"field '{name}' appears twice (first on line {duplicate.first_line}); "
            "the second would silently replace the first.",
            "把两处合并成一处（例如把新的进展并入已有的 updates 列表）。",
            "merge the two into one (e.g. add the new update to the existing updates list)",
        )
    except (yaml.YAMLError, ValueError) as error:
        # ValueError: a value the constructor cannot make (a date such as 2021-02-30 is kept as
        # text by the lenient loader; this is what is left). No value is echoed.
        return ContentError(file, None, "", f"YAML 格式错误：{type(error).__name__}",
                            f"YAML does not parse: {type(error).__name__}")


def _problem_zh(context: str | None, problem: str) -> str:
    if context == "while scanning a quoted scalar":
        return "引号没有闭合"
    if context in ("while parsing a flow sequence", "while parsing a flow mapping"):
        return "方括号或花括号没有闭合"
    known = {
        "mapping values are not allowed here": "此处不能出现“键: 值”（常见原因：冒号后缺空格或缩进不对）",
        "could not find expected ':'": "缺少冒号“:”",
        "found character '\\t' that cannot start any token": "不能使用制表符（Tab）缩进，请用空格",
        "found duplicate anchor": "重复的锚点",
        "expected <block end>, but found '-'": "列表项缩进不一致",
        "found unexpected end of stream": "引号没有闭合",
        "found undefined alias": "不能使用 YAML 别名（*）",
        "found character that cannot start any token": "该行有不能出现在开头的字符（如 @ 或 `），请给这段文字加引号",
        "found unknown escape character": "双引号内有无效的转义（\\），请改用单引号或去掉反斜杠",
        "expected ',' or ']'": "列表的方括号没有闭合",
        "expected ',' or '}'": "花括号没有闭合",
        "found a tab character": "不能使用制表符（Tab），请用空格",
        "expected <block end>": "缩进不一致",
        "found unacceptable character": "文件中有不可见的控制字符",
        "did not find expected key": "缩进不一致或缺少冒号",
        "did not find expected '-' indicator": "列表项缩进不一致",
        "could not find expected ':'": "缺少冒号“:”",
    }
    for english, chinese in known.items():
        if problem.startswith(english):
            return chinese
    return f"无法解析（{problem}）"


def display_path(path: Path, root: Path) -> str:
    """The path as an editor sees it in the repository: content/tasks/1-05.yaml."""
    try:
        return f"{root.name}/{path.relative_to(root).as_posix()}"
    except ValueError:
        return path.as_posix()


@contextmanager
def collector_paused():
    """Python's collector of cycles paused, then resumed as it was. For work that makes millions
    of objects that outlive it and no garbage in cycles (reading content/, modelling it): each of
    the collector's passes would go through the growing heap again and free nothing, a third of
    the time spent reading 10,000 task files and modelling them. Unreachable objects are still
    freed at once, by their reference counts.

    When it resumes, what was made is handed to the oldest generation: left young, the first
    allocation after would have the collector walk all of it (0.12 CPU s after loading the
    memory of 10,000 tasks) and find it alive."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # every generation into the permanent one, the young one's count zeroed,
        gc.unfreeze()  # then all of it into the oldest
        if enabled:
            gc.enable()


def read_content(root: Path, parsed: Parsed | None = None, seen: dict | None = None) -> Content:
    """Parse the registries and every task file; collect the files that do not parse. Files whose
    bytes are in `parsed` (those of earlier builds) are not parsed again; files `seen` unchanged
    (reader.Tree) are not read again."""
    with collector_paused():  # a parsed file is a tree of dicts, lists and values: no cycles
        return _read_content(root, parsed, seen)


def _read_content(root: Path, parsed: Parsed | None, seen: dict | None) -> Content:
    reading = _Reading(Path(root), [], parsed, Tree(Path(root), seen if seen is not None else {}))
    root, problems = reading.root, reading.problems
    if not root.is_dir():
        problems.append(ContentError(root.as_posix(), None, "", "内容文件夹不存在。",
                                     "the content folder does not exist.",
                                     "用 --content 指定内容文件夹。", "name the content folder with --content"))
        return Content(root=root, registries={}, tasks=[], problems=problems)
    registries = read_registries(reading, REGISTRIES + OPTIONAL_REGISTRIES)
    tasks = _read_tasks(root / task_folder(None), reading)
    plans = _read_plans(reading)
    governments = _read_governments(reading)
    corrections, source_text = _read_source(reading)
    return Content(root=root, registries=registries, tasks=tasks, problems=problems, plans=plans,
                   corrections=corrections, source_text=source_text, governments=governments)


@dataclass
class _Reading:
    """One reading of content/: its folder, the problems found so far, the files already parsed."""

    root: Path
    problems: list[ContentError]
    parsed: Parsed | None = None
    tree: Tree | None = None

    def document(self, path: Path | str, limit: int = MAX_TASK_BYTES, file: str | None = None,
                 kept_lines: bool = True) -> Document | None:
        """The parsed file, or None with its problem noted."""
        document = read_document(path, self.root, limit, self.parsed, self.tree, file, kept_lines)
        if isinstance(document, ContentError):
            self.problems.append(document)
            return None
        return document


SOURCE_FOLDER = "source"
CORRECTIONS_FILE = "source/corrections.yaml"


def _read_source(reading: _Reading) -> tuple[Document | None, bytes | None]:
    """content/source/: the corrections made to the scan, and the scan's text (the first .txt
    file by name), each when there is one."""
    root, problems = reading.root, reading.problems
    folder = root / SOURCE_FOLDER
    if not os.path.lexists(folder):
        return None, None
    if folder.is_symlink() or not folder.is_dir():
        problems.append(ContentError(display_path(folder, root), None, "",
                                     "source 须是 content/ 中的普通文件夹，不能是符号链接或文件。",
                                     "source must be a plain folder in content/, not a symbolic link or a file."))
        return None, None
    corrections = None
    if os.path.lexists(root / CORRECTIONS_FILE):
        corrections = reading.document(root / CORRECTIONS_FILE, MAX_CORRECTIONS_BYTES)
    texts = sorted(path for path in folder.iterdir() if path.suffix == ".txt" and not path.name.startswith("."))
    if not texts:
        return corrections, None
    try:
        # Published byte for byte, and as UTF-8 like every text the site serves.
        return corrections, read_text(texts[0], display_path(texts[0], root), MAX_SOURCE_TEXT_BYTES, within=root).encode()
    except Refused as refused:
        problems.append(refused.error)
        return corrections, None


def read_registries(reading: _Reading, names: tuple[str, ...]) -> dict[str, Document]:
    """The registries `names` at the top of content/, by name; a missing one is a problem
    unless it is optional, and so is one that cannot be read."""
    registries: dict[str, Document] = {}
    for name in names:
        path = reading.root / f"{name}.yaml"
        if name in OPTIONAL_REGISTRIES and not os.path.lexists(path):
            continue
        document = _read_registry(path, reading,
                                  f"缺少登记文件 {name}.yaml。", f"the registry {name}.yaml is missing.")
        if document is not None:
            registries[name] = document
    return registries


def _read_registry(path: Path, reading: _Reading, missing_zh: str, missing_en: str) -> Document | None:
    """A registry file read, or None with its problem noted (missing, unreadable, hostile)."""
    if not os.path.lexists(path):
        reading.problems.append(ContentError(display_path(path, reading.root), None, "", missing_zh, missing_en))
        return None
    return reading.document(path, MAX_REGISTRY_BYTES)


PLAN_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PLAN_REGISTRIES = ("plan", "sections")
PLANS_FOLDER = "plans"


def task_folder(plan_id: str | None) -> str:
    """Where a plan's task files sit inside content/: tasks/ for the first plan (None), plans/<id>/tasks/ for the others."""
    return "tasks" if plan_id is None else f"{PLANS_FOLDER}/{plan_id}/tasks"


GOVERNMENT_REGISTRIES = ("government", "leaders", "units")


def _id_folders(root: Path, name: str, what_zh: str, what_en: str, problems: list[ContentError]) -> list[Path]:
    """The folders of content/<name>/ (plans, governments), each named by an id, in name order;
    anything else there is a problem."""
    folder = root / name
    if not os.path.lexists(folder):
        return []
    if folder.is_symlink() or not folder.is_dir():
        problems.append(ContentError(display_path(folder, root), None, "",
                                     f"{name} 须是 content/ 中的普通文件夹。",
                                     f"{name} must be a plain folder in content/."))
        return []
    found = []
    for item in sorted(folder.iterdir()):
        if item.name.startswith("."):
            continue
        if item.is_symlink() or not item.is_dir() or not PLAN_ID.fullmatch(item.name):
            problems.append(ContentError(
                display_path(item, root), None, "",
                f"“{item.name}”不是{what_zh}文件夹：content/{name}/ 下只能放以{what_zh}编号命名的文件夹（小写字母、数字和连字符）。",
                f"'{item.name}' is not a {what_en} folder: content/{name}/ holds only folders named by a "
                f"{what_en} id (lower-case letters, digits, hyphens).",
                f"把它移出 content/{name}/，或改名。", f"move it out of content/{name}/ or rename it"))
            continue
        found.append(item)
    return found


def _read_named(folder: Path, names: tuple[str, ...], reading: _Reading) -> dict[str, Document]:
    registries: dict[str, Document] = {}
    for name in names:
        document = _read_registry(folder / f"{name}.yaml", reading, f"缺少 {name}.yaml。", f"{name}.yaml is missing.")
        if document is not None:
            registries[name] = document
    return registries


def _read_plans(reading: _Reading) -> list[PlanContent]:
    """The plans in content/plans/<id>/, in the order of their folder names."""
    return [PlanContent(plan_dir.name, _read_named(plan_dir, PLAN_REGISTRIES, reading),
                        _read_tasks(reading.root / task_folder(plan_dir.name), reading))
            for plan_dir in _id_folders(reading.root, PLANS_FOLDER, "计划", "plan", reading.problems)]


def _read_governments(reading: _Reading) -> list[GovernmentContent]:
    """The further governments in content/governments/<id>/, in the order of their folder names."""
    return [GovernmentContent(folder.name, _read_named(folder, GOVERNMENT_REGISTRIES, reading))
            for folder in _id_folders(reading.root, "governments", "政府", "government", reading.problems)]


def _read_tasks(task_dir: Path | None, reading: _Reading) -> list[Document]:
    """Every task file of one plan's tasks/ folder, in the order of their names."""
    root, problems = reading.root, reading.problems
    tasks: list[Document] = []
    if not os.path.lexists(task_dir):
        problems.append(ContentError(display_path(task_dir, root), None, "",
                                     "缺少任务文件夹 tasks/：每项任务一个文件，放在该文件夹中。",
                                     "the folder tasks/ is missing: it holds one file per task.",
                                     "建立该文件夹并放入任务文件（或检查 --content 是否指向内容文件夹）。",
                                     "create it with the task files (or check that --content names the content folder)"))
        return tasks
    if not task_dir.is_symlink() and not task_dir.is_dir():
        problems.append(ContentError(display_path(task_dir, root), None, "",
                                     "tasks 是一个文件，不是文件夹；任务文件须放在 tasks/ 文件夹中。",
                                     "tasks is a file, not a folder; task files belong in the folder tasks/.",
                                     "删除或改名该文件，建立 tasks/ 文件夹。", "remove or rename the file and create the folder"))
        return tasks
    if task_dir.is_symlink():
        problems.append(ContentError(display_path(task_dir, root), None, "",
                                     "tasks 是符号链接，不予读取；任务文件须放在 content/tasks/ 文件夹中。",
                                     "tasks is a symbolic link and was not read; task files belong in the folder content/tasks/."))
        task_dir = None
    try:
        names = sorted(os.listdir(task_dir)) if task_dir is not None and task_dir.is_dir() else []
    except OSError as error:
        problems.append(ContentError(display_path(task_dir, root), None, "",
                                     f"无法读取任务文件夹：{error.strerror}。", f"cannot read the tasks folder: {error.strerror}."))
        names = []
    shown = display_path(task_dir, root) if names else ""  # the folder as messages name its files
    # Each file's path as text, as Path(folder, name) writes it: a Path per file and its name,
    # suffix and text worked out were a sixth of a build's reading of 10,000 unchanged files.
    folder = str(task_dir)
    for name in names:
        if not name.endswith((".yaml", ".yml")) or name.startswith("."):
            continue
        document = reading.document(f"{folder}/{name}", file=f"{shown}/{name}", kept_lines=False)
        if document is not None:
            tasks.append(document)
    return tasks
