"""Write the site: everything goes into a fresh folder beside the output, which replaces the
old site only once every file is written. A failed build leaves the last good site in place.

The output folder is the build's alone. A build replaces it whole, so before anything is
written `guard_output` makes sure it is missing, empty, or marked as an earlier output of this
build (by MARKER, which every build writes); anything else, such as a repository, content/ or
someone's home, is refused untouched.

The writer removes only what the same run made, by the exact name it made it under (its staging
folder, the site it replaced): never a path found by a pattern, which could be someone's backup
of an earlier site. It never writes through a symbolic link out of the folder it writes to.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from .errors import BuildError, MachineError, UsageError
from .reader import MAX_ASSET_BYTES, Refused, Tree, tree_files

Outputs = dict[str, bytes]

MARKER = ".catalogue-site"
MARKER_TEXT = (b"This folder is written by build.py and replaced whole on every build.\n"
               b"Do not keep other files in it.\n")
# Siblings of the output while a build runs: .site.new-XXXX (being written), .site.old-XXXX
# (the site being replaced). A build that was killed can leave them: later builds name them
# (leftovers()) but leave them alone, since a folder of that name may be someone's copy.
STAGING_TAGS = (".new-", ".old-")


class Deferred(Mapping):
    """Files made only when read, and not kept: the open data of 100,000 tasks is 250 MB, which
    need not sit in memory beside the search index while the site is made."""

    def __init__(self, makers: dict[str, Callable[[], bytes]]):
        self.makers = makers

    def __getitem__(self, path: str) -> bytes:
        return self.makers[path]()

    def __iter__(self):
        return iter(self.makers)

    def __len__(self) -> int:
        return len(self.makers)


def claim(owner: dict[str, str], path: str, producer: str) -> None:
    """Note that `producer` writes `path`: two producers writing one path, or a path outside the
    site or over its mark, is an error naming them."""
    if owner.get(path, producer) != producer:
        raise BuildError(f"output collision: {path} is written by both {owner[path]} and {producer}")
    if path.startswith("/") or ".." in path.split("/") or path == MARKER:
        raise BuildError(f"{producer} tried to write outside the site: {path}")
    owner[path] = producer


def copy_tree_outputs(source: Path, prefix: str) -> Outputs:
    """Files of a folder (assets/) as outputs under `prefix`, in a stable order, each read
    through the reader: a link out of the folder is refused, never published."""
    return {f"{prefix}/{path}": data for path, data in tree_files(source, MAX_ASSET_BYTES, source.name).items()}


def _is_own_output(folder: Path) -> bool:
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def guard_output(out_dir: Path, protected: list[Path]) -> Path:
    """The absolute output folder, if the build may replace it; else UsageError, touching nothing.

    `protected` are folders the build reads (content/, templates/, assets/): the output may be
    none of them, inside none of them, and hold none of them.
    """
    if not str(out_dir).strip():
        raise UsageError("--out is empty (an unset shell variable?); name the folder to write the site to",
                         "--out 为空（可能是未设置的环境变量），请指定网站的输出文件夹")
    given = Path(out_dir).expanduser()
    if given.is_symlink():
        raise UsageError(f"--out {given} is a symbolic link; the build writes only to a real folder",
                         f"输出位置 {given} 是符号链接，请改用一个普通文件夹")
    out = given.resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder; the build would replace it",
                         f"输出位置 {out} 是一个文件，不是文件夹")
    cwd = Path.cwd().resolve()
    home = Path.home().resolve()
    if out == Path(out.anchor) or out == home or out == cwd or out in cwd.parents:
        raise UsageError(f"--out {out} is the current folder, an enclosing one, home or the root; "
                         "the build replaces its output whole, so it needs a folder of its own (e.g. site/)",
                         f"输出位置 {out} 是当前文件夹、其上级、主目录或根目录；请指定单独的输出文件夹，例如 site/")
    for folder in protected:
        folder = Path(folder).resolve()
        if out == folder or folder in out.parents or out in folder.parents:
            raise UsageError(f"--out {out} overlaps {folder}, which the build reads; "
                             "write the site to a folder of its own (e.g. site/)",
                             f"输出位置 {out} 与构建读取的 {folder} 重叠，请指定单独的输出文件夹，例如 site/")
    if out.is_dir() and not _is_own_output(out):
        try:
            holds_files = any(out.iterdir())
        except OSError as error:
            raise UsageError(f"cannot read --out {out}: {error.strerror or error}",
                             f"无法读取输出文件夹 {out}") from None
        if holds_files:
            raise UsageError(f"--out {out} holds files that this build did not write, and a build replaces "
                             f"its output whole; choose an empty or new folder (a site built by an older "
                             f"version lacks the mark {MARKER}: delete that folder first)",
                             f"输出文件夹 {out} 中有不是本程序生成的文件，生成网站会整体替换该文件夹；"
                             "请指定一个空文件夹或新文件夹")
    return out


def leftovers(out_dir: Path) -> list[Path]:
    """Folders beside `out_dir` named and marked like an interrupted build's staging folders, for
    the build to mention; never removed (it did not make them, or not in this run)."""
    prefixes = tuple(f".{out_dir.name}{tag}" for tag in STAGING_TAGS)
    try:
        siblings = sorted(out_dir.parent.iterdir())
    except OSError:
        return []
    return [sibling for sibling in siblings
            if sibling.name.startswith(prefixes) and not sibling.is_symlink() and _is_own_output(sibling)]


# A link in the writer's own place is never written through; Python's open() would also ask for
# the file's stat and make two objects, for each of 17,000 files.
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


def remark(out_dir: Path) -> None:
    """Put a new mark file in the site, of the same text: the memory a build kept of the site as
    it was (memory.site_stamp, the mark's inode and time) is then no longer the site's. A build
    that changes the site in place does this before its first change and keeps the new mark in its
    own memory: stopped before it keeps that memory, the one left on disk, which knows the site as
    it was, is not taken for the site the stopped build left."""
    mark = Path(out_dir) / MARKER
    try:
        _replace(mark, MARKER_TEXT)
    except OSError as error:
        raise MachineError(f"cannot write {mark}: {error.strerror or error} — 无法写入 {mark}") from error


def _replace(target: Path, data: bytes) -> None:
    """Put a file of `data` at `target` whole: written under a temporary name beside it first,
    then renamed into place, so a reader finds the old file or the new one, never half of it."""
    temporary = target.with_name(f".{target.name}.new")
    temporary.unlink(missing_ok=True)
    write_file(temporary, data)
    os.replace(temporary, target)


def write_file(path: str | Path, data: bytes) -> None:
    """A new file of the writer's (in a folder it made, or under a name of its own): every file
    it writes is written here."""
    descriptor = os.open(path, _WRITE_FLAGS, 0o666)
    try:
        unwritten = memoryview(data)
        while unwritten:
            unwritten = unwritten[os.write(descriptor, unwritten):]
    finally:
        os.close(descriptor)


def _make_folder(folder: str) -> None:
    """os.makedirs, without first asking whether the parent exists: it most often does (the
    files come folder by folder), and the question was a system call for each of 15,000 folders."""
    try:
        os.mkdir(folder)
    except OSError:  # a parent missing, or the folder made by an earlier file's deeper one
        os.makedirs(folder, exist_ok=True)


def _stage(files: Mapping[str, bytes] | Iterable[tuple[str, bytes]], parent: Path, prefix: str, mark: bool) -> Path:
    """A new folder in `parent`, made by this run under a name no other has, holding `files`
    (relative paths, checked by the caller to stay inside it): a mapping, written in the order of
    its paths, or (path, bytes) pairs, each written as it comes; removed again if writing fails."""
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        if mark:
            write_file(staging / MARKER, MARKER_TEXT)
        # Paths as text, joined and split by os.path: pathlib's objects for each of 17,000 files
        # and their folders were a tenth of a second of a build of 10,000 tasks.
        root = str(staging)
        made = {root}  # mkdtemp's
        pairs = ((path, files[path]) for path in sorted(files)) if isinstance(files, Mapping) else files
        for path, data in pairs:
            target = os.path.join(root, path)
            folder = os.path.dirname(target)
            if folder not in made:  # one mkdir per folder, not one per file
                _make_folder(folder)
                made.add(folder)
            write_file(target, data)
        os.chmod(staging, 0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def write_site(outputs: Mapping[str, bytes] | Iterable[tuple[str, bytes]], out_dir: Path,
               protected: list[Path] = ()) -> None:
    """Write all files to a temporary folder, then swap it in for `out_dir`."""
    out_dir = guard_output(out_dir, list(protected))
    staging = None
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = _stage(outputs, out_dir.parent, f".{out_dir.name}.new-", mark=True)
        _swap(staging, out_dir)
    except OSError as error:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise MachineError(_describe_os_error(error, out_dir)) from error
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise


def place_new_folder(files: Mapping[str, str | bytes], folder: Path, within: Path, folders: tuple[str, ...] = ()) -> None:
    """Write `files` (relative path -> text or bytes), and `folders` even when they hold none,
    as the new folder `folder`, all or nothing:
    into a temporary folder beside it, renamed into place once every file is written. Nothing
    is left behind by a failure but what was there before.

    `folder` must be missing or empty, and lie inside `within` (content/) along real folders
    only: a symbolic link on the way would take the files out of the project. Folders on the
    way that are missing are made, and removed again (by name) if the write fails."""
    within = Path(within)
    folder = Path(folder)
    relative = folder.relative_to(within)
    made: list[Path] = []
    here = within
    for part in relative.parts[:-1]:
        here = here / part
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            raise UsageError(f"{here} is a symbolic link or a file; nothing was written outside the project",
                             f"{here} 是符号链接或文件，没有写入任何文件")
    if folder.is_symlink() or (folder.exists() and (not folder.is_dir() or any(folder.iterdir()))):
        raise UsageError(f"{folder} already exists and is not empty; nothing was written",
                         f"{folder} 已存在且不是空文件夹，没有写入任何文件（导入从不覆盖已有文件）")
    data = {path: text.encode("utf-8") if isinstance(text, str) else text for path, text in files.items()}
    for path in [*data, *folders]:
        if path.startswith("/") or ".." in Path(path).parts:
            raise BuildError(f"tried to write outside {folder}: {path}")
    staging = None
    placed = False
    try:
        here = within
        for part in relative.parts[:-1]:
            here = here / part
            if not here.exists():
                here.mkdir()
                made.append(here)
        staging = _stage(data, folder.parent, f".{folder.name}.new-", mark=False)
        for path in folders:
            (staging / path).mkdir(parents=True, exist_ok=True)
        os.rename(staging, folder)  # onto a missing or empty folder: one step
        placed = True
    except OSError as error:
        raise MachineError(f"cannot write {folder}: {error.strerror or error}; nothing was written"
                           f" — 写入失败，没有写入任何文件") from error
    finally:
        if not placed:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            for path in reversed(made):
                with contextlib.suppress(OSError):
                    path.rmdir()  # made by this run, and empty again


def _describe_os_error(error: OSError, out_dir: Path) -> str:
    """One line, English and Chinese, for what the machine refused."""
    reason_zh = {
        errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "文件系统只读",
        errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限",
    }.get(error.errno, "写入失败")
    return (f"cannot write the site to {out_dir}: {error.strerror or error}; the previous site is unchanged"
            f" — {reason_zh}，网站未更新，原有网站保持不变")


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by staging with two renames, so the site is never half-written."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except BaseException:
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def digest(data: bytes) -> bytes:
    """What a file of the site is known by between builds. SHA-256, which processors compute in
    hardware (x86's SHA extensions, ARMv8's), takes two thirds of BLAKE2b's time where they do: a
    build with memory digests some 75 MB at 10,000 tasks (the open data, the search index)."""
    return hashlib.sha256(data).digest()[:16]


def write_changed(outputs: Mapping[str, bytes] | Iterable[tuple[str, bytes]], out_dir: Path,
                  digests: dict[str, bytes | None], remove=()) -> int:
    """Change the site in place (a build with memory): the files of `outputs` (a mapping, or
    (path, bytes) pairs as they are made) whose bytes differ from `digests` are written, each
    under a temporary name beside its place as soon as it is compared, and only when all are
    written renamed into place (a reader never gets half a file; a disk that takes not all of them
    leaves the site as it was); then the paths in `remove` are deleted, with the folders they leave
    empty. Only one file's bytes are held at a time: a build that makes every page again (a
    registry edited) held all of them, 700 MB at 10,000 tasks. A file without a digest (a new
    one, or one of a site written whole, which does not digest its 360 MB at 10,000 tasks) is
    compared with the one in the site, read through the reader.
    Updates `digests`; returns how many files were written."""
    out_dir = Path(out_dir)
    root = out_dir.resolve()
    checked: set[Path] = set()

    def target_of(path: str, make_folder: bool = True) -> Path:
        """out_dir / path, if its folder is inside the served site: a folder swapped for a link
        while the preview runs must not take a write (or a removal) elsewhere."""
        target = out_dir / path
        folder = target.parent
        if folder not in checked:
            if make_folder:
                folder.mkdir(parents=True, exist_ok=True)
            resolved = folder.resolve()
            if resolved != root and root not in resolved.parents:
                raise MachineError(f"{folder} leads out of {out_dir} through a symbolic link; nothing was written there"
                                   f" — {folder} 经符号链接指向输出文件夹以外，未写入")
            checked.add(folder)
        return target

    pairs = ((path, outputs[path]) for path in sorted(outputs)) if isinstance(outputs, Mapping) else outputs
    site = Tree(out_dir, {})
    staged: list[tuple[Path, Path, str, bytes]] = []  # temporary, target, path, digest
    try:
        for path, data in pairs:
            key = digest(data)
            known = digests.get(path)
            if known == key or (known is None and _bytes_in_site(site, path, len(data)) == data):
                digests[path] = key
                continue
            try:
                target = target_of(path)
                temporary = target.with_name(f".{target.name}.new")
                staged.append((temporary, target, path, key))
                temporary.unlink(missing_ok=True)  # the writer's own name in its own output; a link there is not followed
                write_file(temporary, data)
            except OSError as error:
                raise MachineError(_describe_os_error(error, out_dir)) from error
    except BaseException:
        for temporary, *_ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target, path, key in staged:
        if target.is_symlink():
            target.unlink()  # the link alone, never what it points to
        os.replace(temporary, target)
        digests[path] = key
    for path in remove:
        target = target_of(path, make_folder=False)
        target.unlink(missing_ok=True)
        digests.pop(path, None)
        _remove_emptied(target.parent, out_dir)
    return len(staged)


def _bytes_in_site(site: Tree, path: str, size: int) -> bytes | None:
    """The bytes of a file of the site if it holds at most `size` (those it is compared with),
    read as every file a build reads is; None for a file that is not there or not as the build
    left it (a link, a folder, longer)."""
    try:
        return site.read(site.root / path, path, size)
    except Refused:
        return None


def _remove_emptied(folder: Path, out_dir: Path) -> None:
    """Remove `folder` and those above it up to out_dir, each only while it is empty: a build
    from scratch would not make them (tasks/1-5/ after its task is gone)."""
    while folder != out_dir and out_dir in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty, or already gone
            return
        folder = folder.parent


CACHE_MARKER = ".catalogue-cache"
CACHE_MARKER_TEXT = (b"This folder is written by build.py: what a build keeps for the next one.\n"
                     b"It may be deleted at any time; the next build then starts from scratch.\n")


def cache_folder(out_dir: Path) -> Path:
    """Where a build keeps its memory of the site at out_dir: beside it, never inside it
    (site/ -> .site.cache/)."""
    out_dir = Path(out_dir).expanduser().resolve()
    return out_dir.parent / f".{out_dir.name}.cache"


def write_cache(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write the build's memory into `folder`, its own: a folder it made and marked, or none yet.
    Each file is put in place whole (_replace), so a build that reads the cache finds whole files.
    Anything else at that path (a link, a file, someone's folder) is left alone and nothing is
    kept: the next build starts from scratch."""
    folder = Path(folder)
    if folder.is_symlink() or (folder.exists() and not (folder.is_dir() and is_own_cache(folder))):
        raise UsageError(f"{folder} is not the build's cache folder; nothing was kept there for the next build",
                         f"{folder} 不是构建自己的缓存文件夹，未写入")
    try:
        if not folder.exists():
            staging = Path(tempfile.mkdtemp(prefix=f"{folder.name}.new-", dir=folder.parent))
            write_file(staging / CACHE_MARKER, CACHE_MARKER_TEXT)
            os.rename(staging, folder)
        for name, data in files.items():
            _replace(folder / name, data)
    except OSError as error:
        raise MachineError(f"cannot keep the build's memory in {folder}: {error.strerror or error}"
                           f" — 无法写入缓存文件夹 {folder}") from error


def is_own_cache(folder: Path) -> bool:
    marker = folder / CACHE_MARKER
    try:
        return not folder.is_symlink() and not marker.is_symlink() and marker.read_bytes() == CACHE_MARKER_TEXT
    except OSError:
        return False


def write_files(files: Mapping[Path, bytes]) -> None:
    """Write these files, all or none (the commands that change content/ or write tables): each
    goes to a temporary file beside it first, and only when all are written are they moved into
    place. A symbolic link in a file's place is refused, never followed."""
    for path in files:
        if path.is_symlink():
            raise UsageError(f"{path} is a symbolic link; nothing was written", f"{path} 是符号链接，没有写入任何文件")
    written: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            written.append((Path(temporary), path))
        for temporary, path in written:
            os.replace(temporary, path)
    except OSError as error:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise MachineError(f"could not write {len(files)} file(s): {error.strerror}; none was changed"
                           f" — 无法写入文件（{error.strerror}），没有改动任何文件") from None
