"""Read content/: every YAML file parsed into plain data, with the line of every value kept so
that validation can point an editor at the exact line to fix."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ContentError, ContentErrors, field_label

REGISTRIES = ("site", "sections", "leaders", "units", "statuses")

Key = tuple  # a path into a document: ("targets", 0, "actual")


@dataclass
class Document:
    """One parsed YAML file: its data and the line (1-based) of each key path."""

    file: str
    data: object
    lines: dict[Key, int] = field(default_factory=dict)

    def line(self, *key) -> int | None:
        """Line of the value at `key`, or of its nearest enclosing value that has one."""
        key = tuple(key)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)


@dataclass
class Content:
    """All of content/, parsed; `problems` holds files that could not be parsed."""

    root: Path
    registries: dict[str, Document]
    tasks: list[Document]
    problems: list[ContentError]


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
if hasattr(yaml, "CSafeLoader"):
    class _FastLineLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The C parser with the same lenient dates as _LineLoader."""

    _FastLineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_leniently)


def parse_yaml(text: str, file: str) -> Document:
    """Parse one YAML text, recording the line of every mapping value and list item."""
    if _FastLineLoader is not None:
        try:
            return _parse_with(_FastLineLoader, text, file)
        except yaml.YAMLError:
            pass  # parsed again below for the pure-Python parser's message
    return _parse_with(_LineLoader, text, file)


def _parse_with(loader_class, text: str, file: str) -> Document:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        lines: dict[Key, int] = {}
        data = _to_python(loader, node, (), lines) if node is not None else None
    finally:
        loader.dispose()
    return Document(file=file, data=data, lines=lines)


class DuplicateKey(Exception):
    """A field written twice in one mapping: YAML would silently keep only the second."""

    def __init__(self, key: Key, first_line: int, line: int):
        super().__init__(key)
        self.key, self.first_line, self.line = key, first_line, line


def _to_python(loader, node, key: Key, lines: dict[Key, int]):
    lines.setdefault(key, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            name = loader.construct_object(key_node, deep=True)
            if not isinstance(name, (str, int, float, bool, type(None))):
                name = str(name)
            child = key + (name,)
            line = key_node.start_mark.line + 1
            if name in result:
                raise DuplicateKey(child, lines[child], line)
            lines[child] = line
            result[name] = _to_python(loader, value_node, child, lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(loader, item, key + (index,), lines)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def read_document(path: Path, root: Path) -> Document | ContentError:
    """Parse a file, or say in both languages where its YAML is broken."""
    file = display_path(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ContentError(
            file, None, "",
            "文件不是 UTF-8 编码。", "the file is not UTF-8 encoded.",
            "请用 UTF-8 编码保存该文件。", "save the file as UTF-8",
        )
    try:
        return parse_yaml(text, file)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or "syntax error"
        return ContentError(
            file, line, "",
            f"YAML 格式错误：{_problem_zh(problem)}",
            f"YAML does not parse: {problem}",
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
    except yaml.YAMLError as error:
        return ContentError(file, None, "", f"YAML 格式错误：{error}", f"YAML does not parse: {error}")


def _problem_zh(problem: str) -> str:
    known = {
        "mapping values are not allowed here": "此处不能出现“键: 值”（常见原因：冒号后缺空格或缩进不对）",
        "could not find expected ':'": "缺少冒号“:”",
        "found character '\\t' that cannot start any token": "不能使用制表符（Tab）缩进，请用空格",
        "found duplicate anchor": "重复的锚点",
        "expected <block end>, but found '-'": "列表项缩进不一致",
        "found unexpected end of stream": "引号没有闭合",
    }
    for english, chinese in known.items():
        if problem.startswith(english):
            return chinese
    return problem


def display_path(path: Path, root: Path) -> str:
    """The path as an editor sees it in the repository: content/tasks/1-05.yaml."""
    try:
        return f"{root.name}/{path.relative_to(root).as_posix()}"
    except ValueError:
        return path.as_posix()


def read_content(root: Path) -> Content:
    """Parse the registries and every task file; collect the files that do not parse."""
    root = Path(root)
    problems: list[ContentError] = []
    registries: dict[str, Document] = {}
    for name in REGISTRIES:
        path = root / f"{name}.yaml"
        if not path.exists():
            problems.append(ContentError(
                display_path(path, root), None, "",
                f"缺少登记文件 {name}.yaml。", f"the registry {name}.yaml is missing.",
            ))
            continue
        document = read_document(path, root)
        if isinstance(document, ContentError):
            problems.append(document)
        else:
            registries[name] = document
    tasks: list[Document] = []
    task_dir = root / "tasks"
    for path in sorted(task_dir.glob("*")) if task_dir.is_dir() else []:
        if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
            continue
        document = read_document(path, root)
        if isinstance(document, ContentError):
            problems.append(document)
        else:
            tasks.append(document)
    return Content(root=root, registries=registries, tasks=tasks, problems=problems)


def load_catalogue(root: Path):
    """Read, validate and model content/; raise ContentErrors listing every problem."""
    from .model_builder import build_catalogue
    from .validate import validate

    content = read_content(Path(root))
    errors = validate(content)
    if errors:
        raise ContentErrors(errors)
    return build_catalogue(content)
