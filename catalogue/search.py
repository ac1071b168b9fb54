"""Full-text search in Chinese: the Lunr index that lunr.py builds from the tokenizer's terms
(catalogue/tokenizer.py), written as search/index.js for the search page."""
from __future__ import annotations

import heapq
import json
import math
import re
from collections import defaultdict
from typing import Callable

import lunr
from lunr.builder import Builder
from lunr.idf import idf as Idf
from lunr.vector import Vector

from .charts import short_label
from .folding import confusion_groups, folding_pairs
from .model import Catalogue, Leader, Task
from .tokenizer import OTHER, char_class, normalise, tokenize, tokens_at

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


NO_METADATA: dict = {}


class TermListBuilder(Builder):
    """lunr.py's Builder for documents whose fields are already lists of terms, and with empty
    pipelines and no metadata (docs/search.md, "The index").

    Builder.add wraps each term in a Token with a deep copy of its metadata and runs it through
    the pipeline; with neither in use, this fills in the very same tables (terms numbered in
    order of first appearance, the same empty postings) directly. The index it builds is only
    serialized: its token set, which only lunr.py's own query methods read and lunr.js makes
    again when it loads an index, is left out.
    """

    def _create_token_set(self):
        self.token_set = None

    def add(self, doc, attributes=None):
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        for field_name in self._fields:
            terms = doc[field_name]
            field_ref = f"{field_name}/{doc_ref}"  # str(FieldRef(doc_ref, field_name))
            field_terms: dict[str, int] = defaultdict(int)
            for term in terms:
                field_terms[term] += 1
            self.field_term_frequencies[field_ref] = field_terms
            self.field_lengths[field_ref] = len(terms)
            for term in field_terms:
                posting = self.inverted_index.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    self.inverted_index[term] = posting
                # Builder.add gives each (term, field, document) a metadata dict of its own, empty
                # without a metadata whitelist; one shared empty dict serializes the same and
                # saves a dict per posting (1.5 million at 10,000 tasks).
                posting[field_name][doc_ref] = NO_METADATA

    def _create_field_vectors(self):
        """Builder._create_field_vectors with the same scores, each vector made from its
        sorted pairs at once instead of by one binary-search insertion per term."""
        k1, b, count = self._k1, self._b, self.document_count
        idf_of: dict[str, float] = {}
        # A score follows from the term, its count and the field (and the length part, 0 with no
        # length normalisation): millions of postings share some thousands of scores, and one
        # float object each saves a float per posting (200 MB at 100,000 tasks).
        score_of: dict[tuple, float] = {}
        vectors = {}
        # Each document's term counts are dropped once its vector is made: nothing reads them
        # after, and holding both doubled the index's peak memory.
        frequencies_of = self.field_term_frequencies
        for field_ref in list(frequencies_of):
            frequencies = frequencies_of.pop(field_ref)
            field_name, _, doc_ref = field_ref.partition("/")
            # A field empty in every task (no co-responsible units anywhere, no targets) has an
            # average length of 0; lunr.py's own Builder divides by it and fails.
            average = self.average_field_length[field_name]
            length_part = b * (self.field_lengths[field_ref] / average) if average else 0.0
            boost = self._fields[field_name].boost
            doc_boost = self._documents[doc_ref].get("boost", 1)
            pairs = []
            for term, tf in frequencies.items():
                posting = self.inverted_index[term]
                key = (term, tf, field_name, length_part, doc_boost)
                score = score_of.get(key)
                if score is None:
                    idf = idf_of.get(term)
                    if idf is None:
                        idf = idf_of[term] = Idf(posting, count)
                    score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + length_part) + tf)
                    score *= boost
                    score *= doc_boost
                    score = score_of[key] = round(score, 3)
                pairs.append((posting["_index"], score))
            pairs.sort()
            vectors[field_ref] = Vector([element for pair in pairs for element in pair])
        self.field_vectors = vectors


def build_index(tasks: list[Task], checkpoint: Callable[[], None] = lambda: None) -> lunr.index.Index:
    """A Lunr index of the tasks, referenced by their position in `tasks`, with no pipeline.
    `checkpoint` is called now and then; the preview's raises to give up a build gone stale."""
    builder = TermListBuilder()
    builder.ref("ref")
    # No length normalisation: a task with four lead units leads each of them as much as a task
    # with one, so the boosts alone order lead unit > co-responsible unit > mention.
    builder.b(0)
    for name, boost in FIELDS.items():
        builder.field(name, boost=boost)
    # One string object per distinct term: each document's term counts are keyed by its terms,
    # and a fresh string per occurrence was the index's largest cost in memory (75 MB of 170 at
    # 10,000 tasks).
    shared_term: dict[str, str] = {}

    def string_terms(string: str) -> list[str]:
        return [shared_term.setdefault(term, term) for term in map(str.lower, tokenize(string))]

    # Section titles, names and labels repeat on task after task: tokenized once. A task's text
    # is its own, and kept would hold every text's terms to the end of the build.
    repeated_terms: dict[str, list[str]] = {}
    for position, task in enumerate(tasks):
        if position % 1000 == 999:
            checkpoint()
        doc = {}
        for name, strings in searchable_fields(task).items():
            terms = []
            for string in strings:
                if name == "text":
                    terms += string_terms(string)
                else:
                    known = repeated_terms.get(string)
                    if known is None:
                        known = repeated_terms[string] = string_terms(string)
                    terms += known
            doc[name] = terms
        doc["ref"] = str(position)
        builder.add(doc)
    checkpoint()
    return builder.build()


def utf16_order(term: str) -> bytes:
    """Sort key of lunr.js, which compares strings by UTF-16 code units (astral after U+FFFF
    in Python's order, before U+E000 in JavaScript's)."""
    return term.encode("utf-16-be", "surrogatepass")


def pack_index(index: lunr.index.Index, documents: int) -> dict:
    """The index in a compact form that search-engine.js's `unpackIndex` turns back into the
    serialization lunr.js loads (see docs/search.md, "The payload").

    Terms are numbered in lunr.js's sort order and listed once; the inverted index is left out,
    since it follows from the field vectors; scores are integers (lunr.py rounds them to three
    decimals).

    The index is emptied as it is read (its postings, then each field vector once packed), so
    that it and its packed form are never both whole in memory; it serves nothing after.
    """
    # Read from the index as serialize() would write it, without copying it first: the scores
    # are already rounded to three decimals, as serialize() rounds them.
    order = sorted(index.inverted_index, key=utf16_order)
    number = {index.inverted_index[term]["_index"]: position for position, term in enumerate(order)}
    index.inverted_index.clear()
    vectors: dict[str, list] = {field: [[] for _ in range(documents)] for field in index.fields}
    field_vectors = index.field_vectors
    # Scores repeat (some thousands for millions of postings): one int object each.
    millis: dict[float, int] = {}
    while field_vectors:
        ref, vector = field_vectors.popitem()
        field, doc = ref.split("/")
        elements = vector.elements
        pairs = []
        for i in range(0, len(elements), 2):
            milli = millis.get(elements[i + 1])
            if milli is None:
                milli = millis[elements[i + 1]] = round(elements[i + 1] * 1000)
            pairs.append((number[elements[i]], milli))
        pairs.sort()
        flat, previous = vectors[field][int(doc)], 0
        for term, score in pairs:
            flat += [term - previous, score]
            previous = term
    return {
        "version": lunr.__TARGET_JS_VERSION__,
        "fields": index.fields,
        "terms": " ".join(order),
        "vectors": [vectors[field] for field in index.fields],
        "pipeline": index.pipeline.serialize(),
    }


def search_payload(catalogue: Catalogue, checkpoint: Callable[[], None] = lambda: None) -> dict:
    """Everything the search page needs: the packed index, and per task what it shows, what
    it filters on and the strings a match is checked against."""
    tasks, sections, leaders = catalogue.tasks, catalogue.sections, catalogue.leaders
    named = {id(unit) for task in tasks for unit in task.lead_units + task.responsible_units}
    units = [unit for unit in catalogue.units if id(unit) in named]  # not those only in a collective
    position = {id(item): i for group in (sections, catalogue.statuses, leaders, units)
                for i, item in enumerate(group)}
    subjects = catalogue.subjects
    subject_position = {id(subject): i for i, subject in enumerate(subjects)}
    searchable = [string for task in tasks for strings in searchable_fields(task).values()
                  for string in strings]
    # The index is dropped once packed: it is the payload's largest part while it lives.
    packed = pack_index(build_index(tasks, checkpoint), len(tasks))
    checkpoint()
    return {
        "index": packed,
        # Traditional → simplified pairs for the characters the index holds (folding.py).
        "fold": folding_pairs(searchable),
        # Characters readers type for one another (洲 for 州): suggestions, never a rewrite.
        "confusions": confusion_groups(searchable),
        # Themes and what readers call them (看病 → 医疗卫生): found beside the exact matches,
        # each theme's tasks most about it first.
        "subjects": [{"name": subject.name, "slug": subject.slug, "synonyms": subject.synonyms,
                      "tasks": ranking}
                     for subject, ranking in zip(subjects, subject_rankings(tasks, subjects))],
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
                  for unit in units],
        # Units that also carry tasks given to a collective (各设区市政府) whose text never
        # names them: the page points a reader searching for one to its unit page.
        "shared": [{"name": unit.name, "aliases": unit.aliases + unit.short_names, "path": unit.path,
                    "total": len(unit.all_tasks), "via": [c.name for c in unit.collectives]}
                   for unit in catalogue.units if unit.collective_tasks],
        "tasks": [{"id": task.id,
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
                   "subjects": [subject_position[id(subject)] for subject in task.subjects],
                   **({"plan": catalogue.plans.index(task.plan)} if len(catalogue.plans) > 1 else {})}
                  for task in tasks],
    }


def subject_rankings(tasks: list[Task], subjects: list) -> list[list[int]]:
    """Per subject, the positions of its tasks, those most about it first: a task filed first
    under it, then one whose text, title or targets say more of its names (医院, 医保 for 医疗卫生),
    then document order. A reader typing 看病 gets 区域医疗中心 before 医疗废物."""
    names = [name_pattern([normalise(name) for name in [subject.name, *subject.synonyms]]) for subject in subjects]
    number = {id(subject): i for i, subject in enumerate(subjects)}
    scored: list[list[tuple[int, int]]] = [[] for _ in subjects]
    for position, task in enumerate(tasks):
        if not task.subjects:
            continue
        said = normalise(" ".join([task.text, task.editor_title or "", *(t.label for t in task.targets)]))
        for rank, subject in enumerate(task.subjects):
            i = number[id(subject)]
            score = (2 if rank == 0 else 0) + len(names_said(said, names[i]))
            scored[i].append((-score, position))
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


# Characters that JSON allows raw in a string but a script should not hold: U+2028 and U+2029
# end a string literal in JavaScript engines older than ES2019, and `<` could form `</script`
# or `<!--` should the file ever be inlined. Their escapes decode to the same strings.
def script_json(data) -> str:
    """Compact JSON that is also safe as JavaScript source, inside a <script> element or not."""
    # Three replace() calls, not translate(): on text of Chinese characters translate() takes
    # fourteen times as long (1.3 s of the 10,000-task index).
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# Past this many tasks the index is written in shards loaded on demand (docs/scale.md, "Search
# at scale"); at or below it one file holds everything, as small as the shards' manifest and a
# first shard together would be (166 tasks: 54 KB gzip), and a keystroke never waits for a file.
SHARD_ABOVE = 500
# Tasks per chunk of task records: the fifty results of a first page fall in up to fifty chunks.
CHUNK = 10


def shard_name(char: str) -> str:
    """File name of the term shard of one character: its code point in hexadecimal."""
    return format(ord(char), "x")


def facet_table(payload: dict) -> list:
    """Per task what the facets count and the subjects search reaches, by registry position:
    [status, section, subjects, leaders, lead and co-responsible units, plan?]."""
    rows = []
    for task in payload["tasks"]:
        units = list(dict.fromkeys(task["lead"] + task["units"]))
        row = [task["status"], task["section"], task["subjects"], task["leaders"], units]
        if "plan" in task:
            row.append(task["plan"])
        rows.append(row)
    return rows


def every_task_counts(facets: list) -> list[list[int]]:
    """Per column of the facet table, the tasks that hold each registry position (up to the last
    held): the counts the search page shows before anything is asked, without the table. Dense,
    as at 10,000 tasks [position, count] pairs weigh 11.7 KB gzip and this 0.5 KB."""
    counts: list[list[int]] = [[] for _ in range(6)]
    for row in facets:
        for column, cell in enumerate(row):
            for position in cell if isinstance(cell, list) else [cell]:
                held = counts[column]
                if position >= len(held):
                    held.extend([0] * (position + 1 - len(held)))
                held[position] += 1
    return counts


# A position in a field is string × STRIDE + code point: the strings of a field never run into each
# other. No string of a field that holds several (names, titles, labels) comes near it: the longest
# is a title of 200 characters, and NFKC expands a character to 18 at most.
STRIDE = 4096


def field_positions(task: Task, tokens: Callable[[str], list[tuple[str, int]]]) -> list[dict[str, list[int]]]:
    """Per index field, in FIELDS' order, where each term of the task starts (STRIDE above)."""
    positions = []
    for strings in searchable_fields(task).values():
        found: dict[str, list[int]] = {}
        for number, string in enumerate(strings):
            base = number * STRIDE
            for term, at in tokens(string):
                found.setdefault(term, []).append(base + at)
        positions.append(found)
    return positions


# Results a screen shows: the page draws them as soon as their records are there. A term shard
# carries the records of the first screen of its own character typed alone, so that a first
# keystroke waits for one file.
FIRST_SCREEN = 10
TEXT_FIELDS = ("text", "targets")


def first_screen(held: list[int], postings: list[list[list[int]]], text_fields: frozenset[int]) -> list[int]:
    """The tasks search-engine.js lists first for one character alone: every term of its shard
    expanded, as lunr.js's wildcard does; the tasks that hold it in their text or targets first,
    then by lunr.js's score (`shardCandidates`, summed in the same order, so the same double),
    then in document order."""
    totals: dict[int, float] = {}
    in_text: set[int] = set()
    total = totals.get
    for p in held:
        for f, flat in enumerate(postings[p]):
            doc, i, end, text = 0, 0, len(flat), f in text_fields
            while i < end:
                doc += flat[i]
                totals[doc] = total(doc, 0.0) + flat[i + 1] / 1000
                if text:
                    in_text.add(doc)
                i += 3 + flat[i + 2]
    magnitude = math.sqrt(len(held))
    return heapq.nsmallest(FIRST_SCREEN, totals, key=lambda doc: (doc not in in_text, -(totals[doc] / magnitude), doc))


def shard_files(packed: dict, tasks: list[Task], records: list, script_head: str, names: set[str],
                checkpoint: Callable[[], None] = lambda: None) -> tuple[dict, dict[str, bytes]]:
    """The packed index cut into term shards by character, and the task records in chunks.

    Each term is stored in the shard of every distinct character it holds, with its postings:
    per field, the tasks that hold it, each as [task − previous task, score × 1000, count of
    occurrences, first position, each further position − the one before] (positions: see
    STRIDE), so that the page tells whether terms are neighbours, and a word found, without the
    task's record. Returns the manifest (shard sizes in postings, so the page picks the
    smallest) and the files. The packed vectors are let go task by task as they are read."""
    terms = packed["terms"].split(" ") if packed["terms"] else []
    number = {term: i for i, term in enumerate(terms)}
    fields = packed["fields"]
    assert list(fields) == list(FIELDS), "positions are read in FIELDS' order"
    postings: list[list[list[int]]] = [[[] for _ in fields] for _ in terms]
    held_by: list[int] = [0] * len(terms)  # how many (task, field) postings each term has
    last: list[list[int]] = [[0] * len(fields) for _ in terms]
    vectors = packed["vectors"]
    # Names, titles and labels repeat from task to task: cut once.
    cut: dict[str, list[tuple[str, int]]] = {}

    def tokens(string: str) -> list[tuple[str, int]]:
        found = cut.get(string)
        if found is None:
            found = tokens_at(string)
            if len(cut) < 200_000:
                cut[string] = found
        return found

    for doc, task in enumerate(tasks):
        if doc % 1000 == 999:
            checkpoint()
        for f, found in enumerate(field_positions(task, tokens)):
            flat, term_number = vectors[f][doc], 0
            vectors[f][doc] = None
            for i in range(0, len(flat), 2):
                term_number += flat[i]
                at = found[terms[term_number]]
                previous = at[0]
                entry = [doc - last[term_number][f], flat[i + 1], len(at), previous]
                for position in at[1:]:
                    entry.append(position - previous)
                    previous = position
                postings[term_number][f] += entry
                held_by[term_number] += 1
                last[term_number][f] = doc
    packed["vectors"] = None
    by_char: dict[str, list[int]] = defaultdict(list)
    for position, term in enumerate(terms):  # already in lunr.js's order
        for char in dict.fromkeys(term):
            by_char[char].append(position)
    files: dict[str, bytes] = {}
    sizes: dict[str, int] = {}
    text_fields = frozenset(f for f, field in enumerate(fields) if field in TEXT_FIELDS)
    checkpoint()
    for count, char in enumerate(sorted(by_char, key=utf16_order)):
        if count % 500 == 499:
            checkpoint()
        held = by_char[char]
        name = shard_name(char)
        shard = {"terms": " ".join(terms[p] for p in held), "postings": [postings[p] for p in held]}
        # A character a reader types alone (not a joiner, nor a name, whose place the page reads
        # from positions): its first screen's records.
        if char_class(char) != OTHER and char not in names:
            shard["first"] = [[doc, records[doc]] for doc in first_screen(held, postings, text_fields)]
        body = script_json(shard)
        files[f"search/terms/{name}.js"] = (
            f'{script_head}CatalogueSearchShard("terms",{script_json(name)},{body});\n').encode("utf-8")
        sizes[char] = sum(held_by[p] for p in held)
    for start in range(0, len(records), CHUNK):
        chunk = start // CHUNK
        files[f"search/tasks/{chunk}.js"] = (
            f'{script_head}CatalogueSearchShard("tasks",{chunk},{script_json(records[start:start + CHUNK])});\n'
        ).encode("utf-8")
    manifest = {"version": packed["version"], "fields": fields, "pipeline": packed["pipeline"],
                "count": len(records), "chunk": CHUNK, "screen": FIRST_SCREEN, "stride": STRIDE, "sizes": sizes}
    return manifest, files


def search_outputs(catalogue: Catalogue, shard_above: int = SHARD_ABOVE,
                   checkpoint: Callable[[], None] = lambda: None) -> dict[str, bytes]:
    """The search page's data as search/index.js, a script that sets a global: the page loads
    it with a <script> tag, which also works from file://, where fetch() is refused.

    Past `shard_above` tasks, search/index.js holds what every query needs (registries, the
    per-task facet table and the manifest of shards) and the index and task records are in
    shards that call the global CatalogueSearchShard (search/terms/, search/tasks/)."""
    head = (f"/* Search index of {len(catalogue.tasks)} tasks, built by lunr.py {lunr.__VERSION__} "
            f"for lunr.js {lunr.__TARGET_JS_VERSION__}; see docs/search.md. */\n")
    data = search_payload(catalogue, checkpoint)
    checkpoint()
    if len(catalogue.tasks) <= shard_above:
        return {"search/index.js": f"{head}window.CatalogueSearchData={script_json(data)};\n".encode("utf-8")}
    facets = facet_table(data)
    names = {normalise(name) for entry in [*catalogue.leaders, *catalogue.units]
             for name in ([entry.name] if isinstance(entry, Leader) else unit_names(entry))}
    manifest, files = shard_files(data.pop("index"), catalogue.tasks, data.pop("tasks"), "", names, checkpoint)
    files["search/facets.js"] = f'CatalogueSearchShard("facets",0,{script_json(facets)});\n'.encode("utf-8")
    # A theme's tasks, for the related results of a word that names it: a file per theme.
    for number, subject in enumerate(data["subjects"]):
        files[f"search/subjects/{number}.js"] = (
            f'CatalogueSearchShard("subjects",{number},{script_json(subject.pop("tasks"))});\n').encode("utf-8")
    data["shards"] = {**manifest, "everyTask": every_task_counts(facets)}
    files["search/index.js"] = f"{head}window.CatalogueSearchData={script_json(data)};\n".encode("utf-8")
    return dict(sorted(files.items()))
