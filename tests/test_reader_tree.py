"""A build that remembers the files it read (reader.Tree) reads again every file that may have
changed, and still guards every file it does not read again."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalogue import reader
from catalogue.load import file_digest, read_content, read_document
from catalogue.memory import Memory
from catalogue.pipeline import Paths, build
from catalogue.reader import Refused, Tree
from tiny_content import write_tiny_content


@pytest.fixture
def still(monkeypatch):
    """Files written by the test count as still at once (RACY_NS 0): a file only seconds old is
    otherwise read again at every build, by design."""
    monkeypatch.setattr(reader, "RACY_NS", 0)


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """The paths whose bytes the reader reads, in order."""
    seen: list[Path] = []
    real = reader._read_checked

    def spy(path, *args, **kwargs):
        seen.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(reader, "_read_checked", spy)
    return seen


def tree_of(tmp_path: Path, text: bytes = b"a: 1\n") -> tuple[Tree, Path]:
    root = tmp_path / "content"
    root.mkdir()
    (root / "x.yaml").write_bytes(text)
    return Tree(root, {}), root / "x.yaml"


def test_a_still_file_is_known_by_its_digest_without_being_read_again(tmp_path, still, reads):
    tree, path = tree_of(tmp_path)
    assert tree.digest_or_bytes(path, "x.yaml", 100, file_digest) == (file_digest(b"a: 1\n"), b"a: 1\n")
    assert tree.digest_or_bytes(path, "x.yaml", 100, file_digest) == (file_digest(b"a: 1\n"), None)
    assert reads == [path]


def test_a_file_changed_in_place_with_its_time_and_size_put_back_is_read_again(tmp_path, still, reads):
    tree, path = tree_of(tmp_path)
    tree.digest_or_bytes(path, "x.yaml", 100, file_digest)
    before = os.stat(path)
    path.write_bytes(b"a: 2\n")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # what an unpacked archive or a careless tool does
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert tree.digest_or_bytes(path, "x.yaml", 100, file_digest) == (file_digest(b"a: 2\n"), b"a: 2\n")
    assert reads == [path, path]


def test_a_file_written_moments_before_it_was_read_is_read_again(tmp_path, reads):
    # RACY_NS as shipped: the file was written just now, so it might change again within the
    # same tick of the clock without its stamp changing.
    tree, path = tree_of(tmp_path)
    tree.digest_or_bytes(path, "x.yaml", 100, file_digest)
    tree.digest_or_bytes(path, "x.yaml", 100, file_digest)
    assert reads == [path, path]
    assert tree.seen == {}


def test_a_file_replaced_by_a_link_after_it_was_read_is_refused(tmp_path, still):
    tree, path = tree_of(tmp_path)
    tree.digest_or_bytes(path, "x.yaml", 100, file_digest)
    secret = tmp_path / "secret.yaml"
    secret.write_bytes(b"a: 1\n")
    path.unlink()
    path.symlink_to(secret)
    with pytest.raises(Refused) as refused:
        tree.digest_or_bytes(path, "x.yaml", 100, file_digest)
    assert "symbolic link" in refused.value.error.en


def test_a_file_grown_past_its_limit_is_refused_though_it_was_read_before(tmp_path, still):
    tree, path = tree_of(tmp_path)
    tree.digest_or_bytes(path, "x.yaml", 100, file_digest)
    path.write_bytes(b"a: 1\n" + b"#" * 200)
    with pytest.raises(Refused) as refused:
        tree.digest_or_bytes(path, "content/x.yaml", 100, file_digest)
    assert "too large" in refused.value.error.en and refused.value.error.file == "content/x.yaml"


@pytest.mark.parametrize("length", [0, 1, 99, 100, 101, 5000, 70_000, 200_000])
@pytest.mark.parametrize("stated", ["true", "smaller", "zero", "one short of the limit"])
def test_a_file_is_read_whole_up_to_one_byte_past_its_limit_whatever_size_its_stat_said(tmp_path, length, stated):
    # The first read asks for the size the stat gave; a file that grew since (its stat says
    # less, or nothing) is read on, never further than one byte past the limit.
    data = bytes(range(256)) * (length // 256) + bytes(range(length % 256))
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    for limit in (100, 100_000, 1_000_000):
        # (one short: the first read leaves one byte to read, the byte that shows a grown file too large)
        size = {"true": length, "smaller": length // 3, "zero": 0, "one short of the limit": limit - 1}[stated]
        descriptor = os.open(path, os.O_RDONLY)
        try:
            read = reader._read_at_most(descriptor, limit + 1, size)
        finally:
            os.close(descriptor)
        assert read == data[:limit + 1], (limit, len(read))


def test_a_file_swapped_for_a_link_between_its_checks_and_its_reading_is_refused(tmp_path, monkeypatch):
    tree, path = tree_of(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_bytes(b"password: 1\n")
    checked = reader._check

    def check_then_swap(*args, **kwargs):
        info = checked(*args, **kwargs)
        path.unlink()
        path.symlink_to(secret)
        return info

    monkeypatch.setattr(reader, "_check", check_then_swap)
    with pytest.raises(Refused) as refused:
        tree.digest_or_bytes(path, "content/x.yaml", 100, file_digest)
    assert refused.value.error.file == "content/x.yaml"


def test_each_folder_is_resolved_once_in_a_reading(tmp_path, monkeypatch):
    root = tmp_path / "content"
    for folder in ("a", "b"):
        (root / folder).mkdir(parents=True)
        for name in ("1.yaml", "2.yaml", "3.yaml"):
            (root / folder / name).write_bytes(b"a: 1\n")
    resolved = []
    real = reader._inside
    monkeypatch.setattr(reader, "_inside", lambda folder, tree: resolved.append(folder) or real(folder, tree))
    tree = Tree(root, {})
    for folder in ("a", "b"):
        for name in ("1.yaml", "2.yaml", "3.yaml"):
            tree.digest_or_bytes(root / folder / name, f"{folder}/{name}", 100, file_digest)
    assert resolved == [root / "a", root / "b"]


def test_a_folder_swapped_for_a_link_between_builds_is_refused(tmp_path, still):
    root = tmp_path / "content"
    (root / "tasks").mkdir(parents=True)
    (root / "tasks" / "x.yaml").write_bytes(b"a: 1\n")
    seen: dict = {}
    Tree(root, seen).digest_or_bytes(root / "tasks" / "x.yaml", "tasks/x.yaml", 100, file_digest)
    elsewhere = tmp_path / "elsewhere"
    (root / "tasks").rename(elsewhere)
    (root / "tasks").symlink_to(elsewhere)
    with pytest.raises(Refused) as refused:
        # A new build's reading: the folders it found inside the tree are not carried over.
        Tree(root, seen).digest_or_bytes(root / "tasks" / "x.yaml", "tasks/x.yaml", 100, file_digest)
    assert "folder is a symbolic link" in refused.value.error.en


def test_a_second_build_reads_only_the_file_that_changed(tmp_path, still, reads):
    content = write_tiny_content(tmp_path)
    memory = Memory()
    paths = Paths(content=content, out=tmp_path / "site")
    build(paths, memory=memory)
    task = sorted((content / "tasks").glob("*.yaml"))[0]
    task.write_text(task.read_text(encoding="utf-8") + "# 编辑\n", encoding="utf-8")
    reads.clear()
    build(paths, memory=memory)
    assert [path for path in reads if content in path.parents] == [task]
    files = [path for path in content.rglob("*.yaml")]
    assert len(memory.parsed) == len(files) and len(memory.seen) == len(files)
    reads.clear()
    build(paths, memory=memory)
    assert [path for path in reads if content in path.parents] == []


def test_a_file_whose_parse_was_forgotten_is_read_again(tmp_path, still):
    content = write_tiny_content(tmp_path)
    parsed, seen = {}, {}
    first = read_content(content, parsed, seen)
    assert seen and not first.problems
    parsed.clear()  # known by its signature, but no longer parsed: the bytes are needed
    again = read_content(content, parsed, seen)
    assert [document.data for document in again.tasks] == [document.data for document in first.tasks]


def test_a_reading_without_a_memory_of_earlier_ones_reads_every_file(tmp_path):
    content = write_tiny_content(tmp_path)
    parsed: dict = {}
    tasks = read_content(content, parsed).tasks
    assert tasks and all(document.digest in parsed for document in tasks)


def test_a_file_read_alone_carries_the_digest_of_its_bytes(tmp_path):
    content = write_tiny_content(tmp_path)
    path = content / "units.yaml"
    assert read_document(path, content).digest == file_digest(path.read_bytes())


def test_the_memory_forgets_files_content_no_longer_holds(tmp_path, still):
    content = write_tiny_content(tmp_path)
    memory = Memory.for_preview()
    paths = Paths(content=content, out=tmp_path / "site")
    build(paths, memory=memory)
    task = sorted((content / "tasks").glob("*.yaml"))[-1]
    before = memory.seen[str(task)][1]
    task.write_text(task.read_text(encoding="utf-8") + "# 编辑\n", encoding="utf-8")
    build(paths, memory=memory)
    now = memory.seen[str(task)][1]
    assert now == file_digest(task.read_bytes()) != before
    assert before not in memory.parsed and before not in memory.readings
    assert now in memory.readings and memory.readings.keys() <= memory.parsed.keys()
    memory.keep_only({digest for path, (_, digest) in memory.seen.items() if path != str(task)})
    assert str(task) not in memory.seen and now not in memory.readings
    command_line = Memory()
    build(paths, memory=command_line)
    assert command_line.readings is None and command_line.parsed, "the command line's memory keeps no readings"


def test_a_file_read_alone_is_guarded_as_every_other(tmp_path):
    # strings.yaml, plan.yaml of an import: read without a memory, through the same guards.
    content = write_tiny_content(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: 1\n", encoding="utf-8")
    (content / "linked.yaml").symlink_to(secret)
    refused = read_document(content / "linked.yaml", content)
    assert refused.file == "content/linked.yaml" and "symbolic link" in refused.en


def test_a_task_file_s_lines_not_kept_are_found_again_through_the_same_guards(tmp_path, reads):
    """The memory keeps a task file's data, not its lines: an error in a file parsed by an earlier
    build finds them by reading and parsing it again, once, guarded as every file is."""
    content = tmp_path / "content"
    (content / "tasks").mkdir(parents=True)
    path = content / "tasks" / "1-01.yaml"
    path.write_text("id: 1-1\ntext: 甲\nleaders: [乙, 丙]\n", encoding="utf-8")
    parsed: dict = {}
    first = read_document(path, content, parsed=parsed, kept_lines=False)
    assert first.line("leaders", 1) == 3
    assert list(parsed.values()) == [(first.data, None)]
    reads.clear()
    again = read_document(path, content, parsed=parsed)
    assert again.data is first.data and reads == [path], "its data from the memory"
    assert again.line("leaders", 1) == 3 and again.line("text") == 2 and reads == [path, path]
    assert again.line("id") == 1 and reads == [path, path], "parsed again once"

    changed = read_document(path, content, parsed=parsed)
    path.write_text("# 这一行把每个值往下推一行\nid: 1-1\ntext: 甲\nleaders: [乙, 丙]\n", encoding="utf-8")
    assert changed.line("leaders", 1) == 1 and not changed.lines, "lines of other bytes are no lines"

    linked = read_document(path, content, parsed={file_digest(path.read_bytes()): ({"id": "1-1"}, None)})
    secret = tmp_path / "secret.yaml"
    secret.write_text("a: 1\nb: 2\nc: 3\n", encoding="utf-8")
    path.unlink()
    path.symlink_to(secret)
    assert linked.line("c") == 1 and not linked.lines, "a file turned into a link is not read"


def test_the_memory_keeps_the_lines_of_registries_and_not_those_of_task_files(tmp_path, still):
    content = write_tiny_content(tmp_path)
    memory = Memory()
    build(Paths(content=content, out=tmp_path / "site"), memory=memory)
    kept = {Path(path).relative_to(content).as_posix(): memory.parsed[digest][1]
            for path, (_, digest) in memory.seen.items() if digest in memory.parsed}
    tasks = {path for path in kept if path.startswith("tasks/")}
    assert len(tasks) == len(list((content / "tasks").glob("*.yaml"))) > 1
    assert all(kept[path] is None for path in tasks)
    assert {"units.yaml", "leaders.yaml", "sections.yaml"} <= kept.keys() - tasks
    assert all(kept[path] for path in kept.keys() - tasks), "a registry's lines, kept"
