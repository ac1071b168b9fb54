"""The small parts of writing the site, each on a folder made for the test: copying assets,
the preview's incremental write, the digest it compares by, and the message for a refused write."""
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from catalogue import write
from catalogue.errors import BuildError, MachineError, UsageError
from catalogue.write import (MARKER, MARKER_TEXT, _describe_os_error, claim, copy_tree_outputs, digest, guard_output,
                             leftovers, write_changed, write_site)

# The first 16 bytes of SHA-256, as printed by `sha256sum` for the same bytes.
SHA256_16_OF_ABC = "ba7816bf8f01cfea414140de5dae2223"
SHA256_16_OF_NOTHING = "e3b0c44298fc1c149afbf4c8996fb924"


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


def test_the_digest_is_the_first_16_bytes_of_sha256():
    assert digest(b"abc").hex() == SHA256_16_OF_ABC
    assert digest(b"").hex() == SHA256_16_OF_NOTHING


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
    assert digests["index.html"].hex() != SHA256_16_OF_ABC
    assert write_changed({"index.html": b"abc"}, out, digests) == 1
    assert digests["index.html"].hex() == SHA256_16_OF_ABC
    assert not [p for p in out.rglob("*.new")], "no temporary file is left"


def test_a_file_whose_digest_was_not_taken_is_compared_with_the_site_s_own(tmp_path):
    """A site written whole keeps no digests (None): a file made again is written only if the
    bytes in the site differ, are missing, longer, or not a file of the site's own (a link is
    replaced, what it points to left alone); each compared file's digest is taken then."""
    out = tmp_path / "site"
    write_site({"same.html": b"abc", "was-longer.html": b"abcdef", "was-shorter.html": b"ab", "link.html": b"abc",
                "gone.html": b"abc"}, out)
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_bytes(b"abc")
    (out / "link.html").unlink()
    (out / "link.html").symlink_to(elsewhere)
    (out / "gone.html").unlink()
    digests = dict.fromkeys(["same.html", "was-longer.html", "was-shorter.html", "link.html", "gone.html"])
    stamp = (out / "same.html").stat().st_mtime_ns
    again = dict.fromkeys(digests, b"abc")
    assert write_changed(again, out, digests) == 4
    assert files_under(out) == {MARKER: MARKER_TEXT, **again}
    assert (out / "same.html").stat().st_mtime_ns == stamp, "the same bytes are not written again"
    assert not (out / "link.html").is_symlink() and elsewhere.read_bytes() == b"abc"
    assert set(digests.values()) == {bytes.fromhex(SHA256_16_OF_ABC)}


def test_a_file_is_not_compared_through_a_folder_that_leads_out_of_the_site(tmp_path):
    """The same bytes reached through a folder swapped for a link are not the site's own: the
    file is not taken as unchanged, and the write there is refused, naming the folder."""
    out = tmp_path / "site"
    write_site({"part/a.html": b"abc", "part/b.html": b"abc", "other/c.html": b"abc"}, out)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.html").write_bytes(b"abc")
    (elsewhere / "b.html").write_bytes(b"abc")
    shutil.rmtree(out / "part")
    (out / "part").symlink_to(elsewhere, target_is_directory=True)
    digests = dict.fromkeys(["part/a.html", "part/b.html", "other/c.html"])
    with pytest.raises(MachineError, match="leads out of"):
        write_changed({"other/c.html": b"abc", "part/a.html": b"abc", "part/b.html": b"abc"}, out, digests)
    assert digests["other/c.html"] is not None, "a file of the site's own folder is compared"


def test_files_handed_over_as_they_are_made_are_staged_one_by_one_and_all_or_none_put_in_place(tmp_path):
    """write_changed takes (path, bytes) pairs as a build makes them: each changed file is staged
    before the next is made (a build holds one file's bytes, not all of them), and none is put in
    place until all are; a build that fails half way leaves the site as it was."""
    out = tmp_path / "site"
    write_site({"a.html": b"old a", "b/c.html": b"old c", "d.html": b"same"}, out)
    digests = dict.fromkeys(["a.html", "b/c.html", "d.html"])
    seen: list[list[str]] = []

    def made(fail: bool):
        for path, data in [("a.html", b"new a"), ("d.html", b"same"), ("b/c.html", b"new c")]:
            seen.append(sorted(p.name for p in out.rglob(".*.new")))
            if fail and path == "b/c.html":
                raise RuntimeError("a template broke")
            yield path, data

    with pytest.raises(RuntimeError, match="a template broke"):
        write_changed(made(fail=True), out, dict(digests))
    assert seen == [[], [".a.html.new"], [".a.html.new"]], "staged as made"
    assert files_under(out) == {MARKER: MARKER_TEXT, "a.html": b"old a", "b/c.html": b"old c", "d.html": b"same"}
    assert not list(out.rglob(".*.new")), "what was staged is removed"
    seen.clear()
    assert write_changed(made(fail=False), out, digests) == 2
    assert files_under(out) == {MARKER: MARKER_TEXT, "a.html": b"new a", "b/c.html": b"new c", "d.html": b"same"}
    assert seen == [[], [".a.html.new"], [".a.html.new"]]


def test_the_incremental_write_compares_each_file_with_its_own_digest(tmp_path):
    out = tmp_path / "site"
    digests = {"a.html": bytes.fromhex(SHA256_16_OF_ABC)}
    (out).mkdir()
    (out / "a.html").write_bytes(b"abc")
    # a.html is unchanged; b.html has the same bytes but was never written.
    assert write_changed({"a.html": b"abc", "deep/er/b.html": b"abc"}, out, digests) == 1
    assert (out / "deep" / "er" / "b.html").read_bytes() == b"abc"
    assert digests == {"a.html": bytes.fromhex(SHA256_16_OF_ABC), "deep/er/b.html": bytes.fromhex(SHA256_16_OF_ABC)}


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


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.html", "assets/../../up.html", MARKER])
def test_a_producer_writing_outside_the_site_or_over_its_mark_is_named(path):
    with pytest.raises(BuildError) as raised:
        claim({"index.html": "pages"}, path, "evil")
    assert str(raised.value) == f"evil tried to write outside the site: {path}"


def test_a_build_removes_nothing_beside_the_output_it_did_not_make_in_this_run(tmp_path):
    """Folders named and marked like an interrupted build's staging folders (a backup copy of an
    earlier site, say) are named by leftovers() and the build's summary, and never removed."""
    from catalogue.pipeline import Paths, build
    from tiny_content import write_tiny_content

    content = write_tiny_content(tmp_path)
    out = tmp_path / "site"
    beside = {}
    for name in (".site.old-backup", ".site.new-1", ".site.new-2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / MARKER).write_bytes(MARKER_TEXT)
        (tmp_path / name / "index.html").write_bytes(f"kept {name}".encode())
        beside[name] = f"kept {name}".encode()
    (tmp_path / ".site.old-empty").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / MARKER).write_bytes(MARKER_TEXT)
    (tmp_path / ".site.old-link").symlink_to(elsewhere)
    before = sorted(p.name for p in tmp_path.iterdir())

    assert [p.name for p in leftovers(out)] == [".site.new-1", ".site.new-2", ".site.old-backup"]
    result = build(Paths(content=content, out=out))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before + ["site"])
    for name, data in beside.items():
        assert (tmp_path / name / "index.html").read_bytes() == data
    assert (elsewhere / MARKER).is_file()
    assert "not removed: .site.new-1, .site.new-2, .site.old-backup" in result.summary()
    build(Paths(content=content, out=out))  # a second build, replacing the first one's site
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before + ["site"])
    assert leftovers(tmp_path / "missing" / "site") == []


def test_a_failed_write_removes_its_own_staging_folder_by_name_and_nothing_else(tmp_path, monkeypatch):
    out = tmp_path / "site"
    twin = tmp_path / ".site.new-twin"  # named like a staging folder, marked, and not this run's
    twin.mkdir()
    (twin / MARKER).write_bytes(MARKER_TEXT)
    original = write.write_file

    def fail_on_page(path, data):
        if os.path.basename(path) == "b.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(path, data)

    monkeypatch.setattr(write, "write_file", fail_on_page)
    with pytest.raises(MachineError):
        write_site({"a.html": b"a", "b.html": b"b"}, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.new-twin"]
    assert (twin / MARKER).is_file()


@pytest.fixture
def stuck_files_stay(monkeypatch):
    """The machine refuses to delete any file named stuck.html, as when it is held open elsewhere."""
    real_unlink = os.unlink

    def refuse_stuck(path, *args, **kwargs):
        if os.fspath(path).endswith("stuck.html"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", refuse_stuck)


def refusal(out, protected=()) -> UsageError:
    with pytest.raises(UsageError) as raised:
        guard_output(out, list(protected))
    return raised.value


def test_an_empty_out_is_refused_with_its_likely_cause():
    error = refusal("  ")
    assert error.en == "--out is empty (an unset shell variable?); name the folder to write the site to"
    assert error.zh == "--out 为空（可能是未设置的环境变量），请指定网站的输出文件夹"


def test_a_link_or_a_file_as_out_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    error = refusal(tmp_path / "link")
    assert error.en == f"--out {tmp_path / 'link'} is a symbolic link; the build writes only to a real folder"
    assert error.zh == f"输出位置 {tmp_path / 'link'} 是符号链接，请改用一个普通文件夹"
    (tmp_path / "site.txt").write_text("x", encoding="utf-8")
    error = refusal(tmp_path / "site.txt")
    assert error.en == f"--out {tmp_path / 'site.txt'} is a file, not a folder; the build would replace it"
    assert error.zh == f"输出位置 {tmp_path / 'site.txt'} 是一个文件，不是文件夹"


def test_the_current_folder_its_parents_home_and_the_root_are_refused(tmp_path, monkeypatch):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(home))
    for out in (work, tmp_path / "a", tmp_path, home, Path("/"), Path(".")):
        error = refusal(out)
        shown = out.resolve()
        assert error.en == (f"--out {shown} is the current folder, an enclosing one, home or the root; the build "
                            "replaces its output whole, so it needs a folder of its own (e.g. site/)")
        assert error.zh == f"输出位置 {shown} 是当前文件夹、其上级、主目录或根目录；请指定单独的输出文件夹，例如 site/"
    assert guard_output(work / "site", []) == work / "site"
    assert guard_output(Path("site"), []) == work / "site", "a relative out is resolved from the current folder"


def test_a_folder_the_build_reads_is_refused_as_out_inside_or_around(tmp_path):
    content = tmp_path / "project" / "content"
    content.mkdir(parents=True)
    for out in (content, content / "site", tmp_path / "project"):
        error = refusal(out, [tmp_path / "elsewhere", content])
        assert error.en == (f"--out {out} overlaps {content}, which the build reads; "
                            "write the site to a folder of its own (e.g. site/)")
        assert error.zh == f"输出位置 {out} 与构建读取的 {content} 重叠，请指定单独的输出文件夹，例如 site/"
    assert guard_output(tmp_path / "project" / "site", [content]) == tmp_path / "project" / "site"
    assert guard_output(tmp_path / "project" / "content-site", [content]) == tmp_path / "project" / "content-site"


def test_a_folder_with_files_the_build_did_not_write_is_refused(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    assert guard_output(out, []) == out, "an empty folder is taken"
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    error = refusal(out)
    assert error.en == (f"--out {out} holds files that this build did not write, and a build replaces its output "
                        f"whole; choose an empty or new folder (a site built by an older version lacks the mark "
                        f"{MARKER}: delete that folder first)")
    assert error.zh == f"输出文件夹 {out} 中有不是本程序生成的文件，生成网站会整体替换该文件夹；请指定一个空文件夹或新文件夹"
    (out / MARKER).write_bytes(MARKER_TEXT)
    assert guard_output(out, []) == out, "an earlier output of the build is taken"
    (out / MARKER).unlink()
    (tmp_path / "mark").write_bytes(MARKER_TEXT)
    (out / MARKER).symlink_to(tmp_path / "mark")
    refusal(out)  # a mark that is a link does not count
    (out / MARKER).unlink()
    (out / MARKER).mkdir()
    refusal(out)  # nor one that is a folder


def test_a_folder_that_cannot_be_read_is_refused(tmp_path, monkeypatch):
    out = tmp_path / "site"
    out.mkdir()

    def unreadable(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", unreadable)
    error = refusal(out)
    assert error.en == f"cannot read --out {out}: Permission denied"
    assert error.zh == f"无法读取输出文件夹 {out}"


def test_the_whole_site_is_staged_beside_the_output_in_folders_made_once_each(tmp_path, monkeypatch):
    out = tmp_path / "not" / "yet" / "site"
    staged, asked = [], []
    swap, mkdir = write._swap, os.mkdir
    monkeypatch.setattr(write, "_swap", lambda staging, out_dir: staged.append(staging) or swap(staging, out_dir))
    # os.makedirs makes each folder through os.mkdir: every folder asked for is seen here, made
    # (True) or not (found there already, or its parent missing).
    def noted_mkdir(folder, *args, **kwargs):
        try:
            mkdir(folder, *args, **kwargs)
        except OSError:
            asked.append((Path(folder), False))
            raise
        asked.append((Path(folder), True))
    monkeypatch.setattr(os, "mkdir", noted_mkdir)
    pages = {"deep/er/a.html": b"a", "deep/er/b.html": b"b", "deep/er/c.html": b"c", "deep/d.html": b"d",
             "index.html": b"i", "one/two/three/e.html": b"e", "one/f.html": b"f"}
    write_site(pages, out)
    assert files_under(out) == {**pages, MARKER: MARKER_TEXT}
    # Readable by a web server running as another user, whatever the umask made of mkdtemp's 0o700.
    assert out.stat().st_mode & 0o777 == 0o755
    (staging,) = staged
    assert staging.parent == out.parent and staging.name.startswith(".site.new-")
    inside = [(p.relative_to(staging).as_posix(), made) for p, made in asked if p.is_relative_to(staging)]
    # The staging folder (mkdtemp's) and each folder of the site, made once.
    assert sorted(folder for folder, made in inside if made) == [".", "deep", "deep/er", "one", "one/two",
                                                                  "one/two/three"]
    # A folder whose parent is there is made by one call, not asked about first; the staging
    # folder is not asked for again. The one call that makes nothing is for a folder whose parent
    # is missing (one/two/three, made then with its parents).
    assert [folder for folder, made in inside if not made] == ["one/two/three"]


def test_a_write_the_machine_refuses_keeps_the_old_site_and_leaves_nothing_behind(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"old"}, out)
    # A page where a folder must go: the second write fails half-way, as a full disk would.
    with pytest.raises(MachineError) as refused:
        write_site({"a": b"file", "a/b.html": b"page", "index.html": b"new"}, out)
    assert str(refused.value).startswith(f"cannot write the site to {out}: ")
    assert str(refused.value).endswith("the previous site is unchanged — 写入失败，网站未更新，原有网站保持不变")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert files_under(out) == {"index.html": b"old", MARKER: MARKER_TEXT}


def test_a_write_stopped_by_anything_else_leaves_nothing_behind_either(tmp_path):
    with pytest.raises(TypeError):
        write_site({"index.html": "text, not bytes"}, tmp_path / "site")
    assert list(tmp_path.iterdir()) == []


def test_a_swap_refused_half_way_puts_the_old_site_back(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site({"index.html": b"old"}, out)
    renames, rename = [], Path.rename

    def refuse_the_new_site(self, target):
        renames.append((self, Path(target)))
        if self.name.startswith(".site.new-"):
            raise OSError(errno.EIO, "input/output error")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_the_new_site)
    with pytest.raises(MachineError, match="input/output error"):
        write_site({"index.html": b"new"}, out)
    (old_to_retired, _refused, retired_back) = renames
    retired = old_to_retired[1]
    assert old_to_retired[0] == out and retired_back == (retired, out)
    assert retired.parent == tmp_path and retired.name.startswith(".site.old-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert files_under(out) == {"index.html": b"old", MARKER: MARKER_TEXT}


def test_an_old_site_the_machine_will_not_delete_does_not_fail_the_write(tmp_path, stuck_files_stay):
    out = tmp_path / "site"
    write_site({"index.html": b"old", "stuck.html": b"old"}, out)
    write_site({"index.html": b"new"}, out)
    assert files_under(out) == {"index.html": b"new", MARKER: MARKER_TEXT}
    (retired,) = [p for p in tmp_path.iterdir() if p != out]
    assert retired.name.startswith(".site.old-"), "the next build's cleanup removes it"


@pytest.mark.parametrize("pages, raised", [({"stuck.html": b"x", "z": b"file", "z/b.html": b"page"}, MachineError),
                                           ({"stuck.html": b"x", "z.html": "text, not bytes"}, TypeError)])
def test_a_failed_write_the_machine_will_not_clean_up_still_says_why_it_failed(pages, raised, tmp_path,
                                                                              stuck_files_stay):
    with pytest.raises(raised):
        write_site(pages, tmp_path / "site")
    (staging,) = tmp_path.iterdir()
    assert staging.name.startswith(".site.new-"), "the next build's cleanup removes it"


def test_write_file_writes_every_byte_however_few_each_write_takes_and_never_through_a_link(tmp_path, monkeypatch):
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda descriptor, data: real_write(descriptor, bytes(data[:3])))
    write.write_file(tmp_path / "page.html", "一页的全部内容".encode())
    assert (tmp_path / "page.html").read_bytes() == "一页的全部内容".encode()
    monkeypatch.undo()
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"kept")
    (tmp_path / "link.html").symlink_to(elsewhere)
    with pytest.raises(OSError):
        write.write_file(tmp_path / "link.html", b"page")
    assert elsewhere.read_bytes() == b"kept"


def test_write_file_replaces_a_longer_file_whole(tmp_path):
    (tmp_path / "page.html").write_bytes(b"a longer page than the next")
    write.write_file(tmp_path / "page.html", b"short")
    assert (tmp_path / "page.html").read_bytes() == b"short"
