"""Full-text search in Chinese: the Lunr index of the tokenizer's terms (catalogue/tokenizer.py),
made per task and joined (catalogue/search_index.py), written as search/index.js for the search
page, and past SHARD_ABOVE tasks as shards the page loads as queries need them."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import Callable

import lunr

from .charts import short_label
from .fingerprint import KeyOf, apart
from .folding import confusion_groups, folding_pairs
from .model import Catalogue, Leader, Task
from .search_index import (FIELDS, FIRST_SCREEN, STRIDE, IndexMemory, Shared, piece_key, script_json,
                           task_piece, utf16_order)
from .tokenizer import OTHER, char_class, normalise
from .write import Deferred


def unit_names(unit) -> list[str]:
    """Every name search finds a unit by: its name, the document's other spellings, and the
    abbreviations and common names readers use (发改委)."""
    return [unit.name, *unit.aliases, *unit.short_names]


def searchable_fields(task: Task) -> dict[str, list[str]]:
    """The strings of a task that search finds, by index field."""
    return {
        "text": [task.text],
        "section": [task.section.title, task.subsection.title],
        "leaders": [leader.name for leader in task.leaders],
        "lead": [name for unit in task.lead_units for name in unit_names(unit)],
        "units": [name for unit in task.responsible_units for name in unit_names(unit)],
        "status": [task.status.label],
        "targets": [target.label for target in task.targets],
    }


def index_tasks(tasks: list[Task], memory: IndexMemory, checkpoint: Callable[[], None] = lambda: None,
                key_of: KeyOf | None = None) -> set[str]:
    """Bring the index in `memory` up to date with the tasks, cutting into terms only the strings
    of tasks it has not seen; every character of the tasks' own searchable strings, their texts
    and targets (shared_characters gives the others'). `key_of`: what each task is made from
    (Fingerprints.task_key); a task made from what an earlier build's was made from has that
    task's piece, found without putting its strings together again."""
    # Names, titles and labels repeat from task to task: cut once.
    repeated = Shared()
    docs = []
    pieces, earlier, now = memory.pieces, memory.of_task, {}
    for position, task in enumerate(tasks):
        if position % 1000 == 999:
            checkpoint()
        task_key = key_of(task) if key_of is not None else None
        key = earlier.get(task_key)
        if key is None or key not in pieces:
            strings = list(searchable_fields(task).values())
            key = piece_key(strings)
            if key not in pieces:
                pieces[key] = task_piece(strings, repeated)
        if task_key is not None:
            now[task_key] = key
        docs.append(key)
    memory.of_task = now
    memory.update(docs, checkpoint)
    return set().union(*(pieces[key][2] for key in dict.fromkeys(docs)))


def named_units(catalogue: Catalogue) -> list:
    """The units some task names, as a lead or a co-responsible unit (not those reached only
    through a collective), in registry order."""
    return [unit for unit in catalogue.units if unit.led_tasks or unit.co_tasks]


def shared_characters(catalogue: Catalogue) -> set[str]:
    """Every character of the names, titles and labels the tasks' searchable strings hold beside
    their own texts and targets: those of the sections, subsections, leaders, units and statuses
    that have tasks, read once a build rather than task by task."""
    strings = [title for section in catalogue.sections if section.tasks
               for title in [section.title, *(sub.title for sub in section.subsections if sub.tasks)]]
    strings += [leader.name for leader in catalogue.leaders if leader.tasks]
    strings += [name for unit in named_units(catalogue) for name in unit_names(unit)]
    strings += [status.label for status in catalogue.statuses if status.tasks]
    return set("".join(strings))


def packed_index(memory: IndexMemory) -> dict:
    """The index as search/index.js carries it whole (IndexMemory.packed)."""
    return {"version": lunr.__TARGET_JS_VERSION__, "fields": list(FIELDS), **memory.packed(), "pipeline": []}


def search_payload(catalogue: Catalogue, checkpoint: Callable[[], None] = lambda: None,
                   memory: IndexMemory | None = None) -> dict:
    """Everything the search page needs: the packed index, and per task what it shows, what
    it filters on and the strings a match is checked against. `memory`: the index of an earlier
    build (IndexMemory), brought up to date."""
    memory = IndexMemory() if memory is None else memory
    return _payload(catalogue, index_tasks(catalogue.tasks, memory, checkpoint) | shared_characters(catalogue), memory)


def _payload(catalogue: Catalogue, characters: set[str], memory: IndexMemory) -> dict:
    places = _places(catalogue)
    return {"index": packed_index(memory), **_registries(catalogue, characters, memory, places, [
        _subject_scores(task, places) for task in catalogue.tasks]),
        "tasks": [_task_record(task, places) for task in catalogue.tasks]}


@dataclass(frozen=True)
class _Places:
    """Where the search page finds what a task names: each section, status, leader and unit by
    its place in the lists the page carries (`units`: those a task names, not those only in a
    collective), each theme and plan by its own; and each theme's names as one pattern."""

    of: dict[int, int]
    subject: dict[int, int]
    plan: dict[int, int] | None  # None: a site of one plan, whose records do not name it
    units: list
    names: list["re.Pattern[str]"]
    # Of the lists' order: with the same, a task made from what it was made from has the record,
    # facet row and theme scores it had (_task_entries).
    digest: bytes


def _places(catalogue: Catalogue) -> _Places:
    units = named_units(catalogue)
    lists = (catalogue.sections, catalogue.statuses, catalogue.leaders, units)
    subjects, plans = catalogue.subjects, catalogue.plans
    order = "\n".join(thing.identity for things in (*lists, subjects, plans) for thing in things)
    return _Places(
        of={id(item): i for group in lists for i, item in enumerate(group)},
        subject={id(subject): i for i, subject in enumerate(subjects)},
        plan={id(plan): i for i, plan in enumerate(plans)} if len(plans) > 1 else None,
        units=units,
        names=[name_pattern([normalise(name) for name in [subject.name, *subject.synonyms]]) for subject in subjects],
        digest=hashlib.blake2b(f"{len(plans) > 1}\n{order}".encode("utf-8"), digest_size=16).digest())


def _task_record(task: Task, places: _Places) -> dict:
    """What the search page shows of a task and filters it by, by the places of what it names."""
    position = places.of
    return {"id": task.id,
            "path": task.path,
            "text": task.text,
            "section": position[id(task.section)],
            "subsection": task.section.subsections.index(task.subsection),
            "status": position[id(task.status)],
            "leaders": [position[id(leader)] for leader in task.leaders],
            "lead": [position[id(unit)] for unit in task.lead_units],
            "units": [position[id(unit)] for unit in task.responsible_units],
            "targets": [target.label for target in task.targets],
            # Only an editor's title: the page's stand-in for a missing one is the text itself.
            **({"title": task.editor_title} if task.editor_title else {}),
            "subjects": [places.subject[id(subject)] for subject in task.subjects],
            **({"plan": places.plan[id(task.plan)]} if places.plan is not None else {})}


# A task's search record as a shard of records writes it, its row of the facet table, and how much
# it is about each of its themes (_subject_scores), by the fingerprint of what they are made from
# (the task, what every output is made from, the places of the registries: _task_entries).
Entry = tuple[bytes, list, list[int]]
Entries = dict[bytes, Entry]


def _task_entries(catalogue: Catalogue, places: _Places, known: Entries, key_of: KeyOf) -> list[Entry]:
    """Every task's entry; those of the tasks made from what an earlier build's were made from
    taken from `known`, which is left holding this build's only."""
    entries, used = [], {}
    for task in catalogue.tasks:
        key = hashlib.blake2b(key_of(task) + places.digest, digest_size=16).digest()
        entry = known.get(key) or used.get(key)
        if entry is None:
            record = _task_record(task, places)
            entry = (script_json(record).encode("utf-8"), _facet_row(record), _subject_scores(task, places))
        used[key] = entry
        entries.append(entry)
    known.clear()
    known.update(used)
    return entries


def _registries(catalogue: Catalogue, characters: set[str], memory: IndexMemory, places: _Places,
                scores: list[list[int]]) -> dict:
    """All the payload but the index and the tasks' records: the registries. `characters`: every
    character of the searchable strings, what the folding pairs and the confusions are chosen by;
    `scores`: each task's (_subject_scores), what the themes' tasks are ranked by."""
    sections, leaders, subjects = catalogue.sections, catalogue.leaders, catalogue.subjects
    searchable = ["".join(characters)]
    return {
        # Traditional → simplified pairs for the characters the index holds (folding.py).
        "fold": _folding_pairs(characters, memory),
        # Characters readers type for one another (洲 for 州): suggestions, never a rewrite.
        "confusions": confusion_groups(searchable),
        # Themes and what readers call them (看病 → 医疗卫生): found beside the exact matches,
        # each theme's tasks most about it first.
        "subjects": [{"name": subject.name, "slug": subject.slug, "synonyms": subject.synonyms,
                      "tasks": ranking}
                     for subject, ranking in zip(subjects, _rankings(catalogue.tasks, scores, places))],
        "sections": [{"number": section.number,
                      # A further plan's sections are told apart from the first plan's by its id.
                      **({"key": section.key} if section.key != str(section.number) else {}),
                      "label": short_label(section),
                      "title": section.title,
                      "subsections": [sub.title for sub in section.subsections]}
                     for section in sections],
        "statuses": [{"code": status.code, "label": status.label} for status in catalogue.statuses],
        **({"plans": [{"id": plan.id, "label": _plan_label(catalogue, plan)} for plan in catalogue.plans]}
           if len(catalogue.plans) > 1 else {}),
        "leaders": [{"name": leader.name, "slug": leader.slug, **_whose(catalogue, leader)} for leader in leaders],
        "units": [{"name": unit.name, "slug": unit.slug, "aliases": unit.aliases,
                   # A short name found says which unit it names, with a link to its page.
                   **({"short": unit.short_names, "path": unit.path} if unit.short_names else {}),
                   **_whose(catalogue, unit)}
                  for unit in places.units],
        # Units that also carry tasks given to a collective (各设区市政府) whose text never
        # names them: the page points a reader searching for one to its unit page.
        "shared": [{"name": unit.name, "aliases": unit.aliases + unit.short_names, "path": unit.path,
                    "total": len(unit.all_tasks), "via": [c.name for c in unit.collectives]}
                   for unit in catalogue.units if unit.collective_tasks],
    }


def _folding_pairs(characters: set[str], memory: IndexMemory) -> str:
    """folding_pairs for the characters, kept in the index's memory by the characters: an edit
    seldom brings one the index did not hold, and the table is made from OpenCC's files (0.02 CPU
    s at every build)."""
    key = hashlib.blake2b("".join(sorted(characters)).encode("utf-8"), digest_size=16).digest()
    if memory.folds[0] != key:
        memory.folds = (key, folding_pairs(["".join(characters)]))
    return memory.folds[1]


def _subject_scores(task: Task, places: _Places) -> list[int]:
    """How much the task is about each of its subjects, in its order: 2 for the first it is filed
    under, and one for each of the subject's names its text, title or targets say."""
    if not task.subjects:
        return []
    said = normalise(" ".join([task.text, task.editor_title or "", *(t.label for t in task.targets)]))
    return [(2 if rank == 0 else 0) + len(names_said(said, places.names[places.subject[id(subject)]]))
            for rank, subject in enumerate(task.subjects)]


def _rankings(tasks: list[Task], scores: list[list[int]], places: _Places) -> list[list[int]]:
    """Per subject, the positions of its tasks, those most about it first: a task filed first
    under it, then one whose text, title or targets say more of its names (医院, 医保 for 医疗卫生),
    then document order. A reader typing 看病 gets 区域医疗中心 before 医疗废物."""
    scored: list[list[tuple[int, int]]] = [[] for _ in places.names]
    for position, (task, task_scores) in enumerate(zip(tasks, scores)):
        for subject, score in zip(task.subjects, task_scores):
            scored[places.subject[id(subject)]].append((-score, position))
    return [[position for _, position in sorted(pairs)] for pairs in scored]


def names_said(text: str, names: "re.Pattern[str]") -> set[str]:
    """The names a text says, read left to right taking the longest name at each place: 中医药价格
    says 中医药, not also 药价 across its edge; 看病难 says 看病难, not also 看病 inside it."""
    return set(names.findall(text))


def name_pattern(names: list[str]) -> "re.Pattern[str]":
    """One alternation of the names, longest first: at each place the regex takes the first that
    matches, so the longest."""
    return re.compile("|".join(re.escape(name) for name in sorted(set(filter(None, names)), key=lambda name: (-len(name), name)))
                      or "(?!)")


def _plan_label(catalogue: Catalogue, plan) -> str:
    """A plan as search results name it: with its government's name where the site holds several."""
    if catalogue.several_governments and plan.government is not None:
        return f"{plan.government.label} · {plan.short_title}"
    return plan.short_title


def _whose(catalogue: Catalogue, entry) -> dict:
    """A further government's leader or unit as a filter tells it apart: a key of its own (two
    governments may give the same slug) and a label naming the government."""
    government = entry.government
    if government is None or government.first:
        return {}
    return {"key": f"{government.id}/{entry.slug}",
            **({"label": f"{entry.name}（{government.label}）"} if catalogue.several_governments else {})}


# Past this many tasks the index is written in shards loaded on demand (docs/scale.md, "Search
# at scale"); at or below it one file holds everything, as small as the shards' manifest and a
# first shard together would be (166 tasks: 54 KB gzip), and a keystroke never waits for a file.
SHARD_ABOVE = 500
# Tasks per chunk of task records: the fifty results of a first page fall in up to fifty chunks.
CHUNK = 10


def shard_name(char: str) -> str:
    """File name of the term shard of one character: its code point in hexadecimal."""
    return format(ord(char), "x")


def _facet_row(record: dict) -> list:
    """What the facets count of a task and the subjects search reaches, by registry position:
    [status, section, subjects, leaders, lead and co-responsible units, plan?]."""
    units = list(dict.fromkeys(record["lead"] + record["units"]))
    row = [record["status"], record["section"], record["subjects"], record["leaders"], units]
    if "plan" in record:
        row.append(record["plan"])
    return row


def every_task_counts(facets: list) -> list[list[int]]:
    """Per column of the facet table, the tasks that hold each registry position (up to the last
    held): the counts the search page shows before anything is asked, without the table. Dense,
    as at 10,000 tasks [position, count] pairs weigh 11.7 KB gzip and this 0.5 KB."""
    counts: list[list[int]] = [[] for _ in range(6)]
    for column, held in enumerate(counts):
        cells = [row[column] for row in facets if len(row) > column]
        # Counted in C, a column of lists joined: a Python step per task and position was a
        # twentieth of a second of each build at 10,000 tasks.
        lists = [cell for cell in cells if type(cell) is list]
        tally = Counter(chain.from_iterable(lists))
        if len(lists) < len(cells):
            tally.update(cell for cell in cells if type(cell) is not list)
        if tally:
            held += map(tally.__getitem__, range(max(tally) + 1))
    return counts


def search_outputs(catalogue: Catalogue, shard_above: int = SHARD_ABOVE,
                   checkpoint: Callable[[], None] = lambda: None, memory: IndexMemory | None = None,
                   key_of: KeyOf | None = None) -> Deferred:
    """The search page's data as search/index.js, a script that sets a global: the page loads
    it with a <script> tag, which also works from file://, where fetch() is refused.

    Past `shard_above` tasks, search/index.js holds what every query needs (registries, the
    per-task facet table and the manifest of shards) and the index and task records are in
    shards that call the global CatalogueSearchShard (search/terms/, search/tasks/). `memory`: the
    index of an earlier build (IndexMemory), brought up to date, with the tasks' records it kept
    by `key_of` (what each task is made from: fingerprint.Fingerprints.task_key). Each file is put
    together when it is read."""
    head = (f"/* Search index of {len(catalogue.tasks)} tasks, built by lunr.py {lunr.__VERSION__} "
            f"for lunr.js {lunr.__TARGET_JS_VERSION__}; see docs/search.md. */\n")
    memory = IndexMemory() if memory is None else memory
    characters = index_tasks(catalogue.tasks, memory, checkpoint, key_of) | shared_characters(catalogue)
    checkpoint()
    if len(catalogue.tasks) <= shard_above:
        data = _payload(catalogue, characters, memory)
        return Deferred({"search/index.js": lambda: f"{head}window.CatalogueSearchData={script_json(data)};\n".encode("utf-8")})
    places = _places(catalogue)
    entries = (_task_entries(catalogue, places, memory.records, key_of) if key_of is not None
               else _task_entries(catalogue, places, {}, apart))
    data = _registries(catalogue, characters, memory, places, [scores for _, _, scores in entries])
    facets = [row for _, row, _ in entries]
    names = {normalise(name) for entry in [*catalogue.leaders, *catalogue.units]
             for name in ([entry.name] if isinstance(entry, Leader) else unit_names(entry))}
    records = [record for record, _, _ in entries]
    files, sizes = term_shards(memory, records, names, checkpoint)
    for start in range(0, len(records), CHUNK):
        files[f"search/tasks/{start // CHUNK}.js"] = _made(
            b'CatalogueSearchShard("tasks",%d,[%b]);\n' % (start // CHUNK, b",".join(records[start:start + CHUNK])))
    files["search/facets.js"] = _made(f'CatalogueSearchShard("facets",0,{script_json(facets)});\n'.encode("utf-8"))
    # A theme's tasks, for the related results of a word that names it: a file per theme.
    for number, subject in enumerate(data["subjects"]):
        files[f"search/subjects/{number}.js"] = _made(
            f'CatalogueSearchShard("subjects",{number},{script_json(subject.pop("tasks"))});\n'.encode("utf-8"))
    data["shards"] = {"version": lunr.__TARGET_JS_VERSION__, "fields": list(FIELDS), "pipeline": [],
                      "count": len(records), "chunk": CHUNK, "screen": FIRST_SCREEN, "stride": STRIDE, "sizes": sizes,
                      "everyTask": every_task_counts(facets)}
    files["search/index.js"] = _made(f"{head}window.CatalogueSearchData={script_json(data)};\n".encode("utf-8"))
    return Deferred(dict(sorted(files.items())))


def _made(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def term_shards(memory: IndexMemory, records: list[bytes], names: set[str],
                checkpoint: Callable[[], None] = lambda: None) -> tuple[dict[str, Callable[[], bytes]], dict[str, int]]:
    """The index cut into term shards by character, each put together when it is read, and the
    manifest's sizes (in postings, so that the page picks the smallest shard).

    Each term is stored in the shard of every distinct character it holds, with its postings:
    per field, the tasks that hold it, each as [task − previous task, score × 1000, count of
    occurrences, first position, each further position − the one before] (positions: see
    STRIDE), so that the page tells whether terms are neighbours, and a word found, without the
    task's record. A character a reader types alone (not a joiner, nor a name, whose place the
    page reads from positions) carries the records of its first screen."""
    by_char: dict[str, list[str]] = {}
    for term in sorted(memory.terms, key=utf16_order):  # lunr.js's order
        for char in dict.fromkeys(term):
            by_char.setdefault(char, []).append(term)
    files: dict[str, Callable[[], bytes]] = {}
    sizes: dict[str, int] = {}
    for count, char in enumerate(sorted(by_char, key=utf16_order)):
        if count % 500 == 499:
            checkpoint()
        held = by_char[char]
        terms = [memory.terms[term] for term in held]
        first = (memory.first_screen(char, held) if char_class(char) != OTHER and char not in names else None)
        files[f"search/terms/{shard_name(char)}.js"] = _term_shard(char, held, terms, first, records)
        sizes[char] = sum(term[0] for term in terms)
    return files, sizes


def _term_shard(char: str, held: list[str], terms: list, first: list[int] | None,
                records: list[bytes]) -> Callable[[], bytes]:
    def make() -> bytes:
        parts = [b'CatalogueSearchShard("terms",', script_json(shard_name(char)).encode("utf-8"),
                 b',{"terms":', script_json(" ".join(held)).encode("utf-8"),
                 b',"postings":[', b",".join(term[1] for term in terms), b"]"]
        if first is not None:
            parts += [b',"first":[', b",".join(b"[%d,%b]" % (doc, records[doc]) for doc in first), b"]"]
        parts.append(b"});\n")
        return b"".join(parts)
    return make
