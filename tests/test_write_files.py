"""The small parts of writing the site, each on a folder made for the test: copying assets,
the preview's incremental write, the digest it compares by, and the message for a refused write."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from catalogue.errors import BuildError
from catalogue.write import (MARKER, MARKER_TEXT, _describe_os_error, copy_tree_outputs, digest, merge_outputs,
                             remove_leftovers, write_changed)

# blake2b with a 16-byte digest, as printed by `b2sum -l 128` for the same bytes.
BLAKE2B_128_OF_ABC = "cf4ab791c62b8d2b2109c90275287816"
BLAKE2B_128_OF_NOTHING = "cae66941d9efbd404e4d88758ea67670"


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_copying_a_folder_takes_every_file_at_any_depth_but_no_hidden_one(tmp_path):
    source = tmp_path / "assets"
    (source / "css").mkdir(parents=True)
    (source / "js" / "vendor").mkdir(parents=True)
    (source / "site.css").write_bytes(b"body{}")
    (source / "css" / "print.css").write_bytes(b"@media print{}")
    (source / "js" / "vendor" / "lunr.js").write_bytes(b"lunr")
    (source / ".DS_Store").write_bytes(b"junk")
    (source / "js" / ".eslintrc").write_bytes(b"{}")
    outputs = copy_tree_outputs(source, "assets")
    assert outputs == {
        "assets/css/print.css": b"@media print{}",
        "assets/js/vendor/lunr.js": b"lunr",
        "assets/site.css": b"body{}",
    }
    assert list(outputs) == sorted(outputs), "a stable order"


def test_the_digest_is_a_16_byte_blake2b():
    assert digest(b"abc").hex() == BLAKE2B_128_OF_ABC
    assert digest(b"").hex() == BLAKE2B_128_OF_NOTHING


def test_the_incremental_write_writes_only_what_changed_and_removes_what_is_gone(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    digests: dict[str, bytes] = {}
    first = {"index.html": b"home", "tasks/1-1/index.html": b"task", "data/tasks.json": b"[]"}
    assert write_changed(first, out, digests) == 3
    assert files_under(out) == first
    assert set(digests) == set(first) and len(set(digests.values())) == 3

    # The same bytes again: nothing written, not even touched.
    stamp = (out / "index.html").stat().st_mtime_ns
    assert write_changed(first, out, digests) == 0
    assert (out / "index.html").stat().st_mtime_ns == stamp

    # One file changed, one gone, one already missing from the disk.
    second = {"index.html": b"home 2", "tasks/1-1/index.html": b"task"}
    (out / "never-written.html").unlink(missing_ok=True)
    assert write_changed(second, out, digests, remove=["data/tasks.json", "never-written.html"]) == 1
    assert files_under(out) == second
    assert sorted(digests) == ["index.html", "tasks/1-1/index.html"]
    assert digests["index.html"].hex() != BLAKE2B_128_OF_ABC
    assert write_changed({"index.html": b"abc"}, out, digests) == 1
    assert digests["index.html"].hex() == BLAKE2B_128_OF_ABC
    assert not [p for p in out.rglob("*.new")], "no temporary file is left"


def test_the_incremental_write_compares_each_file_with_its_own_digest(tmp_path):
    out = tmp_path / "site"
    digests = {"a.html": bytes.fromhex(BLAKE2B_128_OF_ABC)}
    (out).mkdir()
    (out / "a.html").write_bytes(b"abc")
    # a.html is unchanged; b.html has the same bytes but was never written.
    assert write_changed({"a.html": b"abc", "deep/er/b.html": b"abc"}, out, digests) == 1
    assert (out / "deep" / "er" / "b.html").read_bytes() == b"abc"
    assert digests == {"a.html": bytes.fromhex(BLAKE2B_128_OF_ABC), "deep/er/b.html": bytes.fromhex(BLAKE2B_128_OF_ABC)}


@pytest.mark.parametrize("number, words", [
    (errno.ENOSPC, "磁盘空间不足"), (errno.EDQUOT, "超出磁盘配额"), (errno.EROFS, "文件系统只读"),
    (errno.EACCES, "没有写入权限"), (errno.EPERM, "没有写入权限"), (errno.EIO, "写入失败"),
])
def test_a_refused_write_is_explained_in_both_languages(number, words, tmp_path):
    message = _describe_os_error(OSError(number, "the machine said no"), tmp_path / "site")
    assert message == (f"cannot write the site to {tmp_path / 'site'}: the machine said no; the previous site is "
                       f"unchanged — {words}，网站未更新，原有网站保持不变")


def test_an_error_without_a_reason_is_described_by_itself(tmp_path):
    message = _describe_os_error(OSError("no reason given"), tmp_path)
    assert message.startswith(f"cannot write the site to {tmp_path}: no reason given;")
    assert message.endswith("— 写入失败，网站未更新，原有网站保持不变")


def test_merged_outputs_read_each_file_from_its_producer():
    pages = {"index.html": b"home", "tasks/1-1/index.html": b"task"}
    data = {"data/tasks.json": b"[]"}
    merged = merge_outputs([("pages", pages), ("exports", data)])
    assert len(merged) == 3
    assert sorted(merged) == ["data/tasks.json", "index.html", "tasks/1-1/index.html"]
    assert merged["tasks/1-1/index.html"] == b"task" and merged["data/tasks.json"] == b"[]"
    assert dict(merged) == {**pages, **data}


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.html", "assets/../../up.html", MARKER])
def test_a_producer_writing_outside_the_site_or_over_its_mark_is_named(path):
    with pytest.raises(BuildError) as raised:
        merge_outputs([("pages", {"index.html": b""}), ("evil", {path: b"x"})])
    assert str(raised.value) == f"evil tried to write outside the site: {path}"


def test_only_a_builds_own_leftovers_beside_the_output_are_removed(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    marked = []
    for index in range(8):
        leftover = tmp_path / f".site.new-{index}"
        leftover.mkdir()
        (leftover / MARKER).write_bytes(MARKER_TEXT)
        (leftover / "index.html").write_bytes(b"half")
        marked.append(leftover)
    empty = tmp_path / ".site.old-empty"
    empty.mkdir()
    kept = []
    for index in range(8):  # not the build's: names of other folders, or without its mark
        foreign = tmp_path / (f".site.new-foreign{index}" if index % 2 else f"other-{index}")
        foreign.mkdir()
        (foreign / "notes.txt").write_bytes(b"mine")
        kept.append(foreign)
    (tmp_path / ".site.new-a-file").write_bytes(b"a file, not a folder")
    (tmp_path / ".blog.new-x").mkdir()
    ((tmp_path / ".blog.new-x") / MARKER).write_bytes(MARKER_TEXT)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / MARKER).write_bytes(MARKER_TEXT)
    (tmp_path / ".site.old-link").symlink_to(elsewhere)

    removed = remove_leftovers(out)
    assert sorted(removed) == sorted(marked + [empty])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in kept] + ["site", ".site.new-a-file", ".blog.new-x", "elsewhere", ".site.old-link"])
    assert (elsewhere / MARKER).is_file(), "a link's target is left alone"
    assert remove_leftovers(tmp_path / "missing" / "site") == []


def test_a_leftover_the_machine_will_not_delete_does_not_stop_the_cleanup(tmp_path, monkeypatch):
    out = tmp_path / "site"
    for name in (".site.new-1", ".site.new-2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / MARKER).write_bytes(MARKER_TEXT)
    (tmp_path / ".site.new-1" / "stuck.html").write_bytes(b"held open elsewhere")
    real_unlink = os.unlink

    def refuse_stuck(path, *args, **kwargs):
        if os.fspath(path).endswith("stuck.html"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", refuse_stuck)
    removed = remove_leftovers(out)
    assert sorted(p.name for p in removed) == [".site.new-1", ".site.new-2"]
    assert not (tmp_path / ".site.new-2").exists()
    assert (tmp_path / ".site.new-1" / "stuck.html").exists()
