"""The search index made per task and joined (docs/scale.md, "Search at scale").

What a task contributes, its terms per field with where each starts, is a `Piece`, kept by the
digest of the strings it is made from: a task whose searchable strings did not change is not
tokenized again. The index proper, per term its document frequency, its postings written out as
the term shards write them, and its (task, score) pairs, is an `IndexMemory` kept from build to
build: every score depends on every task (through the term's document frequency and the number of
tasks), but an edit to a few tasks with the number of tasks unchanged changes only the terms whose
postings those tasks change, and only those are made again.

Scores are lunr.py's BM25 with the parameters `search.build_index` gave it (k1 1.2, b 0), rounded
as lunr.py rounds them; tests/test_search_index.py holds them to lunr.py's own Builder.
"""
from __future__ import annotations

import hashlib
import heapq
import json
import math
from array import array
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import add, neg, sub, truediv
from typing import Callable, Iterable

from .tokenizer import terms_at

# Field boosts: a match in the name of a unit that leads the task, or of its leader, counts
# far more than a mention in the text; a co-responsible unit counts in between.
FIELDS: dict[str, int] = {
    "text": 1,
    "section": 1,
    "leaders": 10,
    "lead": 10,
    "units": 4,
    "status": 1,
    "targets": 1,
}
BOOSTS = tuple(FIELDS.values())

# lunr.py's BM25 parameters: k1 its default; b 0, no length normalisation, so that a task with four
# lead units leads each of them as much as a task with one.
K1, B = 1.2, 0

# A position in a field is string × STRIDE + code point: the strings of a field never run into each
# other. No string of a field that holds several (names, titles, labels) comes near it: the longest
# is a title of 200 characters, and NFKC expands a character to 18 at most.
STRIDE = 4096

# Results a screen shows: the page draws them as soon as their records are there. A term shard
# carries the records of the first screen of its own character typed alone, so that a first
# keystroke waits for one file.
FIRST_SCREEN = 10
TEXT_FIELDS = ("text", "targets")
_IN_TEXT = frozenset(f for f, name in enumerate(FIELDS) if name in TEXT_FIELDS)

# What one task contributes, per field in FIELDS' order: its terms in order of first appearance,
# joined by spaces (a term never holds one); for each of them, joined by ";", its count and where
# it occurs, as its postings write them ("count,first position,each further − the one before").
# Strings, not a dict per field: at 10,000 tasks a million postings, which as dicts of lists
# weighed 150 MB. Last, every character of its text and targets, once (search.index_tasks).
Piece = tuple[tuple[str, ...], tuple[bytes, ...], str]

# Per term: its document frequency (tasks × fields that hold it), its postings as the term shards
# write them (per field, each task as [task − previous task, score × 1000, count, positions…]),
# and per field its (task, score × 1000) pairs, as unsigned 32-bit integers, for the first screens
# and the packed index.
Term = tuple[int, bytes, tuple[bytes, ...]]

# The terms are kept on disk in this many parts, by their first character: a build after one edit
# writes again the parts of the terms it changed.
TERM_PARTS = 16

# Past this share of tasks changed, making every term again costs less than finding which.
MOST_CHANGED = 8


def piece_key(strings: list[list[str]]) -> bytes:
    """The digest a task's piece is kept by: that of its searchable strings, by field."""
    return hashlib.blake2b(repr(strings).encode("utf-8"), digest_size=16).digest()


@dataclass
class Shared:
    """What the strings tasks share give the index, kept across the tasks of one build: a field's
    terms and places by its strings (what a piece holds: kept, they weigh nothing more), and the
    terms of each name, title and label, cut once for every field they are in. A text's terms are
    not kept: those of the 5,421 texts of 10,000 synthetic tasks weigh 24 MB."""

    fields: dict[tuple[str, ...], tuple[str, bytes]] = field(default_factory=dict)
    terms: dict[str, tuple[list[str], list[int]]] = field(default_factory=dict)

    def field(self, strings: list[str], text: bool) -> tuple[str, bytes]:
        key = tuple(strings)
        found = self.fields.get(key)
        if found is None:
            found = field_terms(strings, terms_at if text else self.terms_at)
            if len(self.fields) < 200_000:  # hostile content could hold a million names
                self.fields[key] = found
        return found

    def terms_at(self, string: str) -> tuple[list[str], list[int]]:
        found = self.terms.get(string)
        if found is None:
            found = terms_at(string)
            if len(self.terms) < 200_000:
                self.terms[string] = found
        return found


def task_piece(strings: list[list[str]], repeated: Shared) -> Piece:
    """A task's piece, from its searchable strings in FIELDS' order. `repeated` remembers what the
    strings tasks share give the index, across the tasks of one build."""
    fields = [repeated.field(field_strings, f == _TEXT) for f, field_strings in enumerate(strings)]
    # Its own strings' characters, its text's and targets': the names, titles and labels tasks
    # share are read from the registries once a build (search.shared_characters), not per task.
    characters = "".join(set("".join(chain.from_iterable(strings[f] for f in _IN_TEXT))))
    return tuple(terms for terms, _ in fields), tuple(places for _, places in fields), characters


_TEXT = list(FIELDS).index("text")


def field_terms(strings: list[str], cut: Callable[[str], tuple[list[str], list[int]]] = terms_at) -> tuple[str, bytes]:
    """The terms of one field's strings in order of first appearance, joined by spaces, and their
    places joined by ";" (Piece)."""
    if len(strings) == 1:
        terms, starts = cut(strings[0])
    else:
        terms, starts = [], []
        for number, string in enumerate(strings):
            string_terms, string_starts = cut(string)
            terms += string_terms
            starts += map(add, string_starts, repeat(number * STRIDE))
    last = dict(zip(terms, starts))  # each term's last start, in order of first appearance
    places = dict(zip(last, map(b"1,%d".__mod__, last.values())))
    if len(last) < len(terms):  # some term more than once: its places written in full
        first = dict(zip(reversed(terms), reversed(starts)))  # its first start differs from its last
        again: dict[str, list[int]] = {term: [] for term, at in last.items() if first[term] != at}
        for term, at in zip(terms, starts):
            if term in again:
                again[term].append(at)
        places.update((term, _places(at)) for term, at in again.items())
    return " ".join(places), b";".join(places.values())


def _places(at: list[int]) -> bytes:
    """The places of a term that occurs more than once in a field (most occur once: a million
    places at 10,000 tasks, written without a call each)."""
    steps = [len(at), at[0]] + [after - before for before, after in zip(at, at[1:])]
    return ",".join(map(str, steps)).encode("ascii")


def _fields(piece: Piece) -> list[dict[str, bytes]]:
    """Per field, each term of the piece and its places."""
    return [dict(zip(terms.split(" "), places.split(b";"))) if terms else {}
            for terms, places in zip(piece[0], piece[1])]


def milli_score(frequency: int, count: int, tf: int, boost: int) -> int:
    """lunr.py's score of a term occurring `tf` times in a field of one task, held by `frequency`
    (task, field) postings among `count` tasks: BM25 with b = 0, boosted, rounded to three
    decimals as lunr.py rounds it, × 1000."""
    x = (count - frequency + 0.5) / (frequency + 0.5)
    idf = math.log(1 + abs(x))
    score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + 0.0) + tf)
    return round(round(score * boost, 3) * 1000)


def utf16_order(term: str) -> bytes:
    """Sort key of lunr.js, which compares strings by UTF-16 code units (astral after U+FFFF
    in Python's order, before U+E000 in JavaScript's)."""
    return term.encode("utf-16-be", "surrogatepass")


def pairs_of(packed: bytes) -> Iterable[tuple[int, int]]:
    """The (task, score × 1000) pairs of one field of a term."""
    values = iter(memoryview(packed).cast("I"))
    return zip(values, values)


@dataclass
class IndexMemory:
    """The index of the last build, by term, and the pieces it was made from; brought up to date
    by `update`. The preview keeps it in memory, the command line on disk (memory.py)."""

    pieces: dict[bytes, Piece] = field(default_factory=dict)
    # The key of each task's piece by what the task is made from (search.index_tasks).
    of_task: dict[bytes, bytes] = field(default_factory=dict)
    docs: list[bytes] = field(default_factory=list)  # the key of each task's piece, in document order
    terms: dict[str, Term] = field(default_factory=dict)
    first: dict[str, list[int]] = field(default_factory=dict)  # per character, its first screen's tasks
    # The folding pairs of the index's characters, by the digest of those (search._folding_pairs).
    folds: tuple[bytes, str] = (b"", "")
    # Each task's record, facet row and theme scores, by what they are made from (search._task_entries).
    records: dict[bytes, tuple[bytes, list, list[int]]] = field(default_factory=dict)
    # Which save wrote each part of `terms` on disk, and the parts changed since (memory.py).
    stamps: list[int] = field(default_factory=lambda: [0] * TERM_PARTS)
    unsaved: set[int] = field(default_factory=lambda: set(range(TERM_PARTS)))

    def update(self, docs: list[bytes], checkpoint: Callable[[], None] = lambda: None) -> None:
        """Make the terms those of the tasks whose pieces are `docs`, in document order (each in
        `pieces`), and forget the pieces no task has now. Nothing changes until everything is
        made: given up half way (`checkpoint` raises), the memory is the last build's."""
        changed = self._changed(docs)
        if changed is None:
            terms = self._make(range(len(docs)), docs, None, checkpoint)
            self.terms, self.first, self.docs = terms, {}, list(docs)
            self.unsaved = set(range(TERM_PARTS))
        elif changed:
            touched = self._touched(changed, docs)
            holders = set(changed)
            for term in touched:
                if term in self.terms:
                    for packed in self.terms[term][2]:
                        holders.update(memoryview(packed).cast("I")[::2])
            terms = self._make(sorted(holders), docs, touched, checkpoint)
            for term in touched:
                if term in terms:
                    self.terms[term] = terms[term]
                else:  # held by no task now
                    self.terms.pop(term, None)
                self.unsaved.add(term_part(term))
            for char in {char for term in touched for char in term}:
                self.first.pop(char, None)
            self.docs = list(docs)
        kept = set(docs)
        for key in self.pieces.keys() - kept:
            del self.pieces[key]

    def _changed(self, docs: list[bytes]) -> list[int] | None:
        """The positions of the tasks whose pieces changed since the terms were made; None when
        every term is to be made again: the number of tasks changed (and with it every score), a
        piece of the last build is not known, or most tasks changed."""
        if len(docs) != len(self.docs):
            return None
        changed = [position for position, (before, now) in enumerate(zip(self.docs, docs)) if before != now]
        if len(changed) * MOST_CHANGED > len(docs) or any(self.docs[p] not in self.pieces for p in changed):
            return None
        return changed

    def _touched(self, changed: list[int], docs: list[bytes]) -> set[str]:
        """The terms whose postings the changed tasks change: held before or now, with other places."""
        touched: set[str] = set()
        for position in changed:
            before, now = _fields(self.pieces[self.docs[position]]), _fields(self.pieces[docs[position]])
            for old, new in zip(before, now):
                touched.update(term for term in old.keys() | new.keys() if old.get(term) != new.get(term))
        return touched

    def _make(self, positions: Iterable[int], docs: list[bytes], wanted: set[str] | None,
              checkpoint: Callable[[], None]) -> dict[str, Term]:
        """The terms held by the tasks at `positions`, in increasing order (all those of `wanted`
        when given, else every term), made from the pieces: the tasks gathered by what each field
        holds, then per term its postings field by field."""
        pieces = self.pieces
        # Tasks that name the same units or sit in the same section hold the same terms at the same
        # places in that field: each distinct content of a field is read once, with its tasks.
        shared: list[dict[tuple[str, bytes], list[int]]] = [{} for _ in FIELDS]
        for position in positions:
            piece = pieces[docs[position]]
            for held, field_shared in zip(zip(piece[0], piece[1]), shared):
                if held[0]:
                    tasks = field_shared.get(held)
                    if tasks is None:
                        field_shared[held] = [position]
                    else:
                        tasks.append(position)
        checkpoint()
        count = len(docs)
        groups = [list(field_shared.values()) for field_shared in shared]
        # Per field, the group of each task (a list by task: looked up for a million postings).
        group_of = [[0] * count for _ in FIELDS]
        for field_groups, field_group_of in zip(groups, group_of):
            for number, tasks in enumerate(field_groups):
                for position in tasks:
                    field_group_of[position] = number
        # Per field, per term: the groups that hold it and where, as [group, places, group, places…].
        holders: list[dict[str, list]] = [{} for _ in FIELDS]
        for field_shared, field_holders in zip(shared, holders):
            for number, (terms, places) in enumerate(field_shared):
                held = zip(terms.split(" "), places.split(b";"))
                for term, at in held if wanted is None else [(term, at) for term, at in held if term in wanted]:
                    found = field_holders.get(term)
                    if found is None:
                        field_holders[term] = [number, at]
                    else:
                        found += (number, at)
        checkpoint()
        made: dict[str, Term] = {}
        for number, term in enumerate(dict.fromkeys(chain.from_iterable(holders))):
            if number % 1000 == 999:
                checkpoint()
            # Each field's holders are let go once written: the postings are never held twice over.
            found = [field_holders.pop(term, None) for field_holders in holders]
            frequency = sum(sum(map(len, map(field_groups.__getitem__, field_found[::2])))
                            for field_found, field_groups in zip(found, groups) if field_found)
            fields = [_postings(field_found, frequency, count, boost, field_groups, field_group_of)
                      for field_found, boost, field_groups, field_group_of in zip(found, BOOSTS, groups, group_of)]
            made[term] = (frequency, b"[" + b",".join(postings for postings, _ in fields) + b"]",
                          tuple(pairs for _, pairs in fields))
        return made

    def first_screen(self, char: str, held: list[str]) -> list[int]:
        """The tasks search-engine.js lists first for one character alone (its shard's terms
        `held`): every term of its shard expanded, as lunr.js's wildcard does; the tasks that hold
        it in their text or targets first, then by lunr.js's score (`shardCandidates`, summed in
        the same order, so the same double), then in document order. Kept until a term of the
        shard changes."""
        found = self.first.get(char)
        if found is None:
            in_text: set[int] = set()
            for term in held:
                fields = self.terms[term][2]
                for f in _IN_TEXT:
                    if fields[f]:
                        in_text.update(memoryview(fields[f]).cast("I")[::2])
            # With a screen of tasks holding it in their text, no other task reaches the screen:
            # only theirs are summed (half the scores of a character at 10,000 tasks).
            only = in_text if len(in_text) >= FIRST_SCREEN else None
            totals: dict[int, float] = {}
            total = totals.get
            for term in held:
                for f, packed in enumerate(self.terms[term][2]):
                    if not packed:
                        continue
                    if only is None or f in _IN_TEXT:
                        for doc, milli in pairs_of(packed):
                            totals[doc] = total(doc, 0.0) + milli / 1000
                    else:
                        for doc, milli in pairs_of(packed):
                            if doc in only:
                                totals[doc] = total(doc, 0.0) + milli / 1000
            found = self.first[char] = first_screen(totals, in_text, math.sqrt(len(held)))
        return found

    def packed(self) -> dict:
        """Terms in lunr.js's sort order, and per field per task its [term number − previous, score
        × 1000] pairs in that order: what search-engine.js's `unpackIndex` turns back into the
        serialization lunr.js loads (docs/search.md, "The payload")."""
        order = sorted(self.terms, key=utf16_order)
        count = len(self.docs)
        vectors: list[list[list[int]]] = [[[] for _ in range(count)] for _ in FIELDS]
        previous = [[0] * count for _ in FIELDS]
        for number, term in enumerate(order):
            for f, packed in enumerate(self.terms[term][2]):
                if packed:
                    field_vectors, field_previous = vectors[f], previous[f]
                    for doc, milli in pairs_of(packed):
                        field_vectors[doc] += [number - field_previous[doc], milli]
                        field_previous[doc] = number
        return {"terms": " ".join(order), "vectors": vectors}

    def parts(self) -> dict[int, dict[str, Term]]:
        """The terms by the part they are kept in on disk."""
        parts: dict[int, dict[str, Term]] = {part: {} for part in range(TERM_PARTS)}
        for term, held in self.terms.items():
            parts[term_part(term)][term] = held
        return parts


def first_screen(totals: dict[int, float], in_text: set[int], magnitude: float) -> list[int]:
    """The FIRST_SCREEN tasks of `totals` that come first: those `in_text` first, then by score
    (total / magnitude) highest first, then in document order."""
    found: list[int] = []
    for docs in (in_text, totals.keys() - in_text):
        # Keys made by C calls, not a Python function: 800,000 holders at 10,000 tasks.
        keys = zip(map(neg, map(truediv, map(totals.__getitem__, docs), repeat(magnitude))), docs)
        found += [doc for _, doc in heapq.nsmallest(FIRST_SCREEN - len(found), keys)]
        if len(found) == FIRST_SCREEN:
            break
    return found


def _postings(holders: list | None, frequency: int, count: int, boost: int,
              groups: list[list[int]], group_of: list[int]) -> tuple[bytes, bytes]:
    """One field's postings of a term held by `frequency` postings among `count` tasks, as the term
    shards write them, and its (task, score × 1000) pairs; from its holders, [group, places, …]."""
    if holders is None:
        return b"[]", b""
    numbers, places = holders[::2], holders[1::2]
    # Many holders share a few places (a name at the start of a field), and a score follows from
    # the term, its count and the field: a score and what is written after the task, per place.
    distinct = set(places)
    score = {tf: milli_score(frequency, count, int(tf), boost) for tf in {at[:at.index(b",")] for at in distinct}}
    milli_of = {at: score[at[:at.index(b",")]] for at in distinct}
    end_of = {at: b"%d,%b" % (milli, at) for at, milli in milli_of.items()}
    tasks = sorted(chain.from_iterable(map(groups.__getitem__, numbers)))
    # A task to a group, the groups come in the order of their tasks (_make reads the tasks in
    # order), and so do their places; a group of several tasks: each task takes its group's places.
    if len(tasks) > len(numbers):
        entry = dict(zip(numbers, places))
        places = list(map(entry.__getitem__, map(group_of.__getitem__, tasks)))
    steps = map(sub, tasks, chain((0,), tasks))
    pairs = array("I", bytes(8 * len(tasks)))
    pairs[::2], pairs[1::2] = array("I", tasks), array("I", map(milli_of.__getitem__, places))
    return b"[" + b",".join(map(b"%d,%b".__mod__, zip(steps, map(end_of.__getitem__, places)))) + b"]", pairs.tobytes()


def term_part(term: str) -> int:
    return ord(term[0]) % TERM_PARTS


# json.dumps with options makes an encoder per call: ten thousand task records at 10,000 tasks.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


# Characters that JSON allows raw in a string but a script should not hold: U+2028 and U+2029
# end a string literal in JavaScript engines older than ES2019, and `<` could form `</script`
# or `<!--` should the file ever be inlined. Their escapes decode to the same strings.
def script_json(data) -> str:
    """Compact JSON that is also safe as JavaScript source, inside a <script> element or not."""
    # Three replace() calls, not translate(): on text of Chinese characters translate() takes
    # fourteen times as long (1.3 s of the 10,000-task index).
    return (_COMPACT.encode(data)
            .replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
