"""What each output is made from, as digests: a build with memory makes again only the outputs
whose fingerprint changed since the build that wrote them.

A page's fingerprint covers
- what every page is made from (`everything`): the templates and their wording, every content
  file but the task files (the registries, plan.yaml, corrections…), and the settings;
- its context (pages.py), in which a task stands for the digest of everything the model holds
  of it (its file's path and bytes, and what other files give it), and every other thing of the
  catalogue (a plan, a unit) for its identity, the rest of it being in its registry;
- what its template read from the task files beyond its context: each attribute of FROM_TASKS
  (model.py) it read, by the digest of its value at this build. templating.py records the reads.

A family of pages is made again only when what it read while it was made changed. Those reads
are compared one by one, and only where an edit can have reached them: each build keeps where
every task is filed (Filing), and the next digests again the reads of the things in which a
changed task is filed, taking the others as they were found (Fingerprints.since).

The open data, the search index and the feed are made from every task: their fingerprint is that
of every task and of everything.
"""
from __future__ import annotations

import copyreg
import functools
import hashlib
import inspect
import io
import pickle
from collections.abc import Callable, Iterable, Mapping

from .model import (ENTITIES, STATUSES_ONLY, Catalogue, Leader, Plan, Section, Status, Subject, Subsection, Task,
                    Unit)
from .model_builder import filed_under

Read = str  # "identity<TAB>attribute": a template read this of that thing
Reads = str  # reads joined by newlines, in order, each once (identities)
# What a task's own piece of an output of every task is made from, as a digest
# (Fingerprints.task_key): the key the piece is kept by from build to build.
KeyOf = Callable[[Task], bytes]

# What a list of tasks digested by its tasks' digests starts and ends with (a digest is 16 bytes;
# the marks are not, so no list's digests read as another's); and what a tuple of such lists,
# digested by its lists' digests, starts with.
_TASK_LISTS, _END_OF_LIST = b"lists of tasks", b"."
_TUPLE_OF_LISTS = b"tuples of lists of tasks"
_STATUSES_OF = b"statuses of lists of tasks"

# What a build leaves for the next to tell which lists of tasks an edit reached (Fingerprints.since):
# what every output was made from, and by each task's identity its digest and the digest of
# where it is filed (model_builder.filed_under).
Filing = tuple[bytes, dict[str, tuple[bytes, bytes]]]

# The kinds of things whose reads are of lists of tasks that filed_under names, or of a task
# itself: a read of one finds what it found at the last build while no task filed in it changed.
# The others (the catalogue, the site, a round) read every task, or every plan's: their reads
# are digested at every build.
_FILED_KINDS = frozenset({Plan, Section, Subsection, Status, Leader, Subject, Unit, Task})


DIGEST_SIZE = 16


def digest(*parts: bytes) -> bytes:
    return hashlib.blake2b(b"".join(parts), digest_size=DIGEST_SIZE).digest()


class Fingerprints:
    """The digests of one build's catalogue. Each task's is taken once, when the model is made.

    `files` gives, for a catalogue made from files (the build's), the digest of each task file's
    bytes by its path (Task.file): a task's digest is then that of its file, path and bytes, and
    of what it holds from other files (Task.FROM_OTHER_FILES), not of its every field pickled
    again (the model makes the rest of those and the registries, which `everything` covers: a
    sixth of a second at 10,000 tasks, at every build). Without it, every field is digested."""

    def __init__(self, catalogue: Catalogue, everything: bytes, files: Mapping[str, bytes] | None = None):
        self.catalogue = catalogue
        self.everything = everything
        # A task stands for its identity inside another task (continues, continued_by: FROM_TASKS
        # reads of their own), and for its digest everywhere else.
        self.task: dict[Task, bytes] = {}
        # Each thing's stand-in is made once and looked up by the pickler without a call into
        # Python per reference (the pages' contexts hold some 350,000 at 10,000 tasks). Every
        # thing a page can hold is one of the catalogue's.
        self._names = {thing: thing.identity for thing in self._every_thing()}
        as_identity = {thing: (str, (name,)) for thing, name in self._names.items()}
        table = _pickler_table(as_identity.__getitem__)
        # Most tasks hold nothing from other files: what that pickles to is digested once.
        nothing = [None if name == "continues" else [] for name in Task.FROM_OTHER_FILES]
        nothing_digest = _digest_of(nothing, table)
        for task in catalogue.tasks:
            own = files.get(task.file) if files is not None else None
            if own is None:
                self.task[task] = _digest_of(task.__dict__, table)
            else:
                elsewhere = [getattr(task, name) for name in Task.FROM_OTHER_FILES]
                # Compared with nothing by identity and emptiness (Task is compared by identity).
                found = nothing_digest if elsewhere == nothing else _digest_of(elsewhere, table)
                self.task[task] = digest(own, task.file.encode(), found)
        as_digest = {task: (bytes, (self.task[task],)) for task in catalogue.tasks}
        self._table = _pickler_table({**as_identity, **as_digest}.__getitem__)
        self.tasks = digest(everything, *self.task.values())  # of every task: the open data, search, feed
        self._task_keys = {task: digest(everything, task_digest) for task, task_digest in self.task.items()}
        self._values: dict[Read, bytes] = {}
        self._lists: dict[int, tuple[bytes | None, list]] = {}
        self._empty = {type(None): _digest_of(None, self._table), list: _digest_of([], self._table)}
        self._things: dict[str, object] | None = None
        self._statuses: dict[Task, bytes] | None = None  # each task's identity and status, once asked
        # The identities whose reads find what they found at the build `since` compared with;
        # None: not known, every read is digested.
        self._unchanged: set[str] | None = None
        self._filed: set[str] = set()  # the identities of the things of _FILED_KINDS, once since() needs them

    def context(self, page) -> bytes:
        """A page's context (and template), with what every page is made from."""
        return self.of(page)

    def of(self, value) -> bytes:
        """Any value an output is made from (a page's context, a configuration), with what every
        output is made from."""
        return digest(self.everything, _digest_of(value, self._table))

    def task_key(self, task: Task) -> bytes:
        """What a task's own piece of the files made from every task (its record in the open
        data) is made from: the task, and what every output is made from. Taken once, in
        __init__: the open data and the search index each ask for every task's."""
        return self._task_keys[task]

    def since(self, earlier: Filing | None) -> Filing:
        """This build's Filing, for the next; and, against the build that left `earlier`, the
        things in which no task that changed is filed: their reads find what they found then
        (unchanged). Only the tasks whose digest changed are looked up where they are filed. A
        task filed elsewhere than it was, in another place or with another status, or a task that
        comes or goes, changes lists this does not tell: every read is then digested."""
        before = earlier[1] if earlier is not None and earlier[0] == self.everything else {}
        names = self._names
        now: dict[str, tuple[bytes, bytes]] = {}
        touched: set[str] | None = set() if before else None  # None: not known
        for task, task_digest in self.task.items():
            identity = names[task]
            kept = before.get(identity)
            if kept is not None and kept[0] == task_digest:
                now[identity] = kept
                continue
            # THEN and a missing subsection or continued task are None: no identity is empty.
            where = ["" if thing is None else names[thing] for thing in filed_under(task)]
            filed = digest(repr(task.order).encode(), "\n".join(where).encode())
            now[identity] = (task_digest, filed)
            if touched is not None:
                if kept is None or kept[1] != filed:
                    touched = None
                else:
                    touched.add(identity)
                    touched.update(where)
        if touched is not None and not before.keys() - now.keys():
            self._filed = {name for thing, name in names.items() if type(thing) in _FILED_KINDS}
            self._unchanged = self._filed - touched
        return self.everything, now

    def found(self, reads: Reads) -> bytes:
        """What each of the reads (as `identities` gives them) found, the digest of its value now
        in turn (DIGEST_SIZE bytes each; a thing that is gone reads as nothing): a family of pages
        or a page is kept with them, and the next build compares again only the reads its edits
        reached (unchanged)."""
        each = reads.split("\n") if reads else ()
        try:  # each value looked up in C once it is known: 110,000 reads at 10,000 tasks
            return b"".join(map(self._values.__getitem__, each))
        except KeyError:
            return b"".join(map(self.value, each))

    def unchanged(self, reads: Reads, found: bytes) -> bool:
        """Whether the reads find what they found (`found`) at the build whose Filing `since` was
        given, or at one before it whose reads were found unchanged by each build since. A read of
        a thing no changed task is filed in is not digested again: after a text edit, nearly all
        of them (the 3,000 units' lists at 10,000 tasks were most of the families' step)."""
        unchanged = self._unchanged
        if unchanged is None:
            return found == self.found(reads)
        for place, read in enumerate(reads.split("\n") if reads else ()):
            identity, _, attribute = read.partition("\t")
            if identity in unchanged:
                continue
            # Every task that changed is filed as it was, in its place and with its status (the
            # digest of its filing holds both): no list of a filed kind holds other tasks than it
            # held, nor other statuses.
            if attribute.endswith(STATUSES_ONLY) and identity in self._filed:
                continue
            if self.value(read) != found[place * DIGEST_SIZE:(place + 1) * DIGEST_SIZE]:
                return False
        return True

    def value(self, read: Read) -> bytes:
        found = self._values.get(read)
        if found is None:
            identity, _, attribute = read.partition("\t")
            attribute, statuses_only, _ = attribute.partition(STATUSES_ONLY)
            thing = self._thing(identity)
            if thing is None:
                found = b"gone"
            elif statuses_only:
                found = self._statuses_digest(_read_value(thing, attribute))
            else:
                value = _read_value(thing, attribute)
                # Most reads find nothing (a task that continues none and is continued by none,
                # 20,000 reads at 10,000 tasks): their digest is taken once.
                empty = value is None or (type(value) is list and not value)
                found = self._empty[type(value)] if empty else self._tasks_digest(value) or _digest_of(value, self._table)
            self._values[read] = found
        return found

    def _statuses_digest(self, value) -> bytes:
        """A list of tasks, or a tuple of such lists (Unit.tasks_in), by which tasks they are and
        the status of each alone (model.STATUSES_ONLY); any other value by all it holds."""
        if self._statuses is None:
            names = self._names
            self._statuses = {task: f"{names[task]}\t{task.status.code}\n".encode("utf-8") for task in self.catalogue.tasks}
        try:
            lists = [value] if type(value) is list else list(value)
            return digest(_STATUSES_OF, *(b"".join(map(self._statuses.__getitem__, tasks)) + _END_OF_LIST for tasks in lists))
        except (KeyError, TypeError):  # not tasks
            return _digest_of(value, self._table)

    def _tasks_digest(self, value) -> bytes | None:
        """A list of tasks (a unit's, a section's), or a tuple of such lists (Unit.tasks_in), by
        its tasks' digests, joined in C; None for any other value. The pages' families read
        19,000 of these at 10,000 tasks, a third of a second pickled task by task."""
        if type(value) is list:
            return self._list_digest(value)
        if not isinstance(value, tuple):
            return None
        parts = [_TUPLE_OF_LISTS]
        for tasks in value:
            found = self._list_digest(tasks) if type(tasks) is list else None
            if found is None:
                return None
            parts.append(found)
        return digest(*parts)

    def _list_digest(self, tasks: list) -> bytes | None:
        """A list's digest, taken once per build whichever read finds it: the lists of
        Unit.tasks_in are the unit's own lists, each also read on its own (a unit of the
        collective 各设区市政府 has thousands of tasks)."""
        known = self._lists.get(id(tasks))
        if known is not None:
            return known[0]
        try:
            found = digest(_TASK_LISTS, b"".join(map(self.task.__getitem__, tasks)), _END_OF_LIST)
        except (KeyError, TypeError):  # not tasks (units, texts…), or unhashable ones
            found = None
        self._lists[id(tasks)] = (found, tasks)  # the list held: its id is not another's in this build
        return found

    def _every_thing(self) -> list:
        catalogue = self.catalogue
        return [catalogue, catalogue.site, *catalogue.governments, *catalogue.plans, *catalogue.sections,
                *(sub for section in catalogue.sections for sub in section.subsections),
                *catalogue.leaders, *catalogue.units, *catalogue.statuses, *catalogue.subjects,
                *catalogue.rounds, *catalogue.tasks]

    def _thing(self, identity: str):
        if self._things is None:
            self._things = {name: thing for thing, name in self._names.items()}
        return self._things.get(identity)


def _read_value(thing, attribute: str):
    """The value a template got by reading `attribute`. A method's is what it returns when called
    without arguments, the widest it can give (Unit.tasks_in: every plan's); one that needs
    arguments (Catalogue.task) stands for all the thing holds from the task files."""
    value = getattr(thing, attribute)
    if not callable(value):
        return value
    if _needs_arguments(type(thing), attribute):
        return [getattr(thing, name) for name in sorted(thing.FROM_TASKS) if not callable(getattr(thing, name))]
    return value()


@functools.lru_cache(maxsize=None)
def _needs_arguments(cls: type, attribute: str) -> bool:
    """Whether a method must be given arguments: asked once for each kind of thing, not for each
    of the 3,000 units whose tasks_in a build reads."""
    method = getattr(cls, attribute)
    return any(parameter.default is parameter.empty
               for parameter in list(inspect.signature(method).parameters.values())[1:])


def apart(task: Task) -> bytes:
    """A key no other task of the build has: for a build without memory, which takes no piece
    from an earlier one."""
    return id(task).to_bytes(8, "little")


def identities(reads: Iterable[tuple[object, str]]) -> Reads:
    """Reads of things as a build keeps them: by the things' identities, in order (the next build
    digests what they find without sorting them again), as one text. A build keeps some 20,000 of
    them (a page's, a family's) and pickles them at each save: as tuples of pairs, 110,000 pairs
    at 10,000 tasks, they were half of what a save pickled and 10 MB of the memory.

    A read of a task's links to other tasks that found none is not kept (_said_by_the_task)."""
    return "\n".join(sorted({f"{thing.identity}\t{attribute}" for thing, attribute in reads
                             if not _said_by_the_task(thing, attribute)}))


def _said_by_the_task(thing, attribute: str) -> bool:
    """Whether the read is of a task's link to other tasks (Task.FROM_TASKS: the task it
    continues, those that continue it) and found none. The task's own digest holds those links
    by identity (Fingerprints, Task.FROM_OTHER_FILES), and a page or family reaches a task only
    through its context or a read, each digested with the task's digest: a link that comes
    changes what those find. Every task page reads both, and most tasks have neither: 20,000
    reads at 10,000 tasks, each digested again at every build, that could never tell more."""
    return type(thing) is Task and attribute in Task.FROM_TASKS and not thing.__dict__[attribute]


def read_pairs(reads: Reads) -> list[tuple[str, str]]:
    """The reads as (identity, attribute) pairs."""
    return [tuple(read.split("\t")) for read in reads.split("\n")] if reads else []


def _pickler_table(reduce_thing) -> dict:
    table = dict(copyreg.dispatch_table)
    for cls in ENTITIES:
        table[cls] = reduce_thing
    return table


def _digest_of(value, table: dict) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.dispatch_table = table
    pickler.dump(value)
    return digest(out.getvalue())
