"""Write the site: everything goes into a fresh folder beside the output, which replaces the
old site only once every file is written. A failed build leaves the last good site in place."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import BuildError

Outputs = dict[str, bytes]


class Merged(Mapping):
    """The producers' files by path, each read from its producer's mapping when asked for, so
    that a producer that renders on demand (the pages) never holds the whole site in memory."""

    def __init__(self, sources: dict[str, Mapping[str, bytes]]):
        self.sources = sources

    def __getitem__(self, path: str) -> bytes:
        return self.sources[path][path]

    def __iter__(self):
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


def merge_outputs(named_outputs: list[tuple[str, Mapping[str, bytes]]]) -> Merged:
    """Join the producers' files; two producers writing one path is an error naming both."""
    sources: dict[str, Mapping[str, bytes]] = {}
    owner: dict[str, str] = {}
    for producer, outputs in named_outputs:
        for path in outputs:
            if path in owner:
                raise BuildError(f"output collision: {path} is written by both {owner[path]} and {producer}")
            if path.startswith("/") or ".." in Path(path).parts:
                raise BuildError(f"{producer} tried to write outside the site: {path}")
            owner[path] = producer
            sources[path] = outputs
    return Merged(sources)


def copy_tree_outputs(source: Path, prefix: str) -> Outputs:
    """Files of a folder (assets/) as outputs under `prefix`, in a stable order."""
    outputs: Outputs = {}
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            outputs[f"{prefix}/{path.relative_to(source).as_posix()}"] = path.read_bytes()
    return outputs


def write_site(outputs: Outputs, out_dir: Path) -> None:
    """Write all files to a temporary folder, then swap it in for `out_dir`."""
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        made: set[Path] = set()
        for path in sorted(outputs):
            target = staging / path
            if target.parent not in made:  # one mkdir per folder, not one per file
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(outputs[path])
        os.chmod(staging, 0o755)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
    return hashlib.blake2b(data, digest_size=16).digest()


def write_changed(outputs: Outputs, out_dir: Path, digests: dict[str, bytes], remove=()) -> int:
    """The preview's incremental write, into the served site: each file whose bytes differ from
    `digests` replaced at once by a rename (a reader never gets half a file), the paths in
    `remove` deleted. Updates `digests`; returns how many files were written."""
    out_dir = Path(out_dir)
    written = 0
    for path in sorted(outputs):
        data = outputs[path]
        key = digest(data)
        if digests.get(path) == key:
            continue
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.new")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        digests[path] = key
        written += 1
    for path in remove:
        (out_dir / path).unlink(missing_ok=True)
        digests.pop(path, None)
    return written
