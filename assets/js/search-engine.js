/*
 * The search itself, without the page: load the data that search/index.js sets, query the
 * Lunr index for candidates, keep the tasks that contain every word of the query, rank them,
 * count facets and find what to highlight. docs/search.md explains each step.
 *
 * In a browser it defines the global CatalogueSearchEngine (it needs the globals lunr and
 * CatalogueTokenize); under Node it is a CommonJS module.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("../vendor/lunr/lunr.min.js"), require("./tokenize.js"));
  } else {
    root.CatalogueSearchEngine = factory(root.lunr, root.CatalogueTokenize);
  }
})(typeof self !== "undefined" ? self : this, function (lunr, tokenizer) {
  "use strict";

  var FACETS = ["plan", "status", "section", "subject", "leader", "unit"];

  // Where a word was found, best first: the whole name of a leader or lead unit (the reader is
  // looking for that person or agency), of a co-responsible unit, the task's title, its text or
  // targets, and last inside some other string (part of a unit's name, a section, a status).
  var WHOLE_LEAD_NAME = 0, WHOLE_UNIT_NAME = 1, IN_TITLE = 2, IN_TEXT = 3, ELSEWHERE = 4;

  // A name held inside a word is taken as what the reader meant only when it is at least this
  // long: one character finds too much.
  var SHORTEST_SUGGESTION = 2;
  // Past this many characters a word is not tried for typos: a paste, not a typed name.
  var LONGEST_WORD_TRIED = 32;
  // With several words, suggestions drop some of them; past this many, only one at a time.
  var MOST_WORDS_DROPPED = 6;

  // How a related task relates to a word, best first: it holds what the word holds (停车 in
  // 停车难), it is of a subject the word names, or of a subject one of whose synonyms the word is.
  var HOLDS = 0, SUBJECT_NAME = 1, SUBJECT_SYNONYM = 2;

  /**
   * Turn the packed index (catalogue/search_index.py, IndexMemory.packed) back into the serialization that
   * lunr.js loads: terms are numbered by position, each field vector lists [term, score]
   * pairs with the term as a difference from the previous one and the score in thousandths,
   * and the inverted index is rebuilt from the vectors.
   */
  function unpackIndex(packed) {
    var terms = packed.terms ? packed.terms.split(" ") : [];
    var fields = packed.fields;
    var postings = terms.map(function (term, position) {
      var posting = {_index: position};
      fields.forEach(function (field) { posting[field] = {}; });
      return posting;
    });
    var noMetadata = {};  // lunr only reads a posting's metadata, so all share one object
    var fieldVectors = [];
    var documents = fields.length ? packed.vectors[0].length : 0;
    for (var doc = 0; doc < documents; doc++) {
      for (var f = 0; f < fields.length; f++) {
        var flat = packed.vectors[f][doc];
        var elements = [];
        var term = 0;
        for (var i = 0; i < flat.length; i += 2) {
          term += flat[i];
          elements.push(term, flat[i + 1] / 1000);
          postings[term][fields[f]][String(doc)] = noMetadata;
        }
        fieldVectors.push([fields[f] + "/" + doc, elements]);
      }
    }
    return {
      version: packed.version,
      fields: fields,
      fieldVectors: fieldVectors,
      invertedIndex: terms.map(function (term, position) { return [term, postings[position]]; }),
      pipeline: packed.pipeline
    };
  }

  /** Every name search finds a unit by, its own first (search.py, unit_names). */
  function unitNames(unit) {
    return [unit.name].concat(unit.aliases, unit.short || []);
  }

  /** The strings of a task that search finds, by index field (search.py, searchable_fields). */
  function searchableFields(data, task) {
    var section = data.sections[task.section];
    function names(list, registry, withAliases) {
      var out = [];
      list.forEach(function (position) {
        var item = registry[position];
        out.push(item.name);
        if (withAliases) out.push.apply(out, unitNames(item).slice(1));
      });
      return out;
    }
    return {
      text: [task.text],
      section: [section.title, section.subsections[task.subsection]],
      leaders: names(task.leaders, data.leaders, false),
      lead: names(task.lead, data.units, true),
      units: names(task.units, data.units, true),
      status: [data.statuses[task.status].label],
      targets: task.targets.slice()
    };
  }

  function normaliseAll(values) {
    return values.map(function (value) { return tokenizer.normalise(value); });
  }

  /** Traditional → simplified, from the pairs "養养陽阳…" of search.py (folding.py). */
  function foldingTable(pairs) {
    var table = new Map();
    var chars = Array.from(pairs || "");
    for (var i = 0; i + 1 < chars.length; i += 2) table.set(chars[i], chars[i + 1]);
    return table;
  }

  /** Each character of the groups "州洲舟 湖胡…" (folding.py, CONFUSED) → the others of its group. */
  function confusionTable(groups) {
    var table = new Map();
    (groups || "").split(" ").forEach(function (group) {
      var chars = Array.from(group);
      chars.forEach(function (char) {
        table.set(char, chars.filter(function (other) { return other !== char; }));
      });
    });
    return table;
  }

  /** What a sharded engine lacks to go on: [{kind: "terms" | "tasks" | "facets", name}]. The
      search is run again once they are loaded (`Engine.prototype.ready`). */
  function Missing(needs) {
    this.needs = needs;
  }

  /**
   * The engine over the data search/index.js sets. A small catalogue's file holds the index and
   * every task; a large one's holds a manifest (`shards`) and the page adds term shards, chunks
   * of task records and the facet table as queries need them (`add`; docs/scale.md).
   */
  function Engine(data) {
    this.data = data;
    this.sharded = data.shards || null;
    // Records come in chunks, or one by one with the term shards they head (`first`).
    this.store = {terms: new Map(), tasks: new Map(), records: new Map(), facets: null};
    this.count = this.sharded ? this.sharded.count : data.tasks.length;
    this.entries = new Array(this.count);
    if (!this.sharded) this.index = lunr.Index.load(unpackIndex(data.index));
    this.fold = foldingTable(data.fold);
    this.confusions = confusionTable(data.confusions);
    this.vocabulary = null;  // made when a suggestion is first needed
    // Units with short names, their names normalised: [{position, own names, short names}].
    this.shortNames = [];
    (data.units || []).forEach(function (unit, position) {
      if (unit.short) {
        this.shortNames.push({position: position, own: normaliseAll([unit.name].concat(unit.aliases)),
                              short: normaliseAll(unit.short)});
      }
    }, this);
    this.subjects = (data.subjects || []).map(function (subject) {
      return {subject: subject, names: normaliseAll([subject.name].concat(subject.synonyms))};
    });
    if (!this.sharded) {
      for (var position = 0; position < this.count; position++) this.entry(position);
    } else {
      this.wholeNames();  // 10 ms at 10,000 tasks: at load, not in a reader's first keystroke
    }
  }

  /** A loaded shard: terms of one character, a chunk of task records, a subject's tasks, or the
      facet table. */
  Engine.prototype.add = function (kind, name, value) {
    if (kind === "terms") {
      this.store.terms.set(String(name), new Shard(value, this.sharded.fields.length));
      var records = this.store.records;
      (value.first || []).forEach(function (pair) { records.set(pair[0], pair[1]); });
    }
    else if (kind === "tasks") this.store.tasks.set(Number(name), value);
    else if (kind === "subjects") this.data.subjects[Number(name)].tasks = value;
    else if (kind === "facets") this.store.facets = value;
  };

  /** Missing the task lists of the subjects (by position) that are not loaded yet; or nothing. */
  Engine.prototype.needSubjects = function (subjects, needs) {
    var data = this.data;
    var missing = needs || [];
    subjects.forEach(function (subject) {
      if (!data.subjects[subject].tasks && !missing.some(function (need) {
        return need.kind === "subjects" && need.name === subject;
      })) missing.push({kind: "subjects", name: subject});
    });
    if (!needs && missing.length) throw new Missing(missing);
  };

  /** The record of a task (search.py, search_payload), or Missing its chunk. */
  Engine.prototype.taskAt = function (position) {
    if (!this.sharded) return this.data.tasks[position];
    var size = this.sharded.chunk;
    var record = this.store.records.get(position);
    if (record) return record;
    var chunk = this.store.tasks.get(Math.floor(position / size));
    if (!chunk) throw new Missing([{kind: "tasks", name: Math.floor(position / size)}]);
    return chunk[position % size];
  };

  /** Missing the chunks of any of these positions, all at once; or nothing. */
  Engine.prototype.need = function (positions) {
    if (!this.sharded) return;
    var size = this.sharded.chunk, store = this.store.tasks, records = this.store.records, wanted = new Set();
    positions.forEach(function (position) {
      var chunk = Math.floor(position / size);
      if (!store.has(chunk) && !records.has(position)) wanted.add(chunk);
    });
    if (wanted.size) {
      throw new Missing(Array.from(wanted).sort(function (a, b) { return a - b; })
        .map(function (chunk) { return {kind: "tasks", name: chunk}; }));
    }
  };

  /** A task's facet values as registry positions, as a row of the facet table (search.py,
      facet_table): [status, section, subjects, leaders, lead and co-responsible units, plan?]. */
  function facetValues(task) {
    var units = [];
    task.lead.concat(task.units).forEach(function (unit) { if (units.indexOf(unit) < 0) units.push(unit); });
    var row = [task.status, task.section, task.subjects || [], task.leaders, units];
    if (task.plan !== undefined) row.push(task.plan);
    return row;
  }

  // Where each facet lies in a row of facet values.
  var FACET_COLUMN = {status: 0, section: 1, subject: 2, leader: 3, unit: 4, plan: 5};

  /** The facet values of a task (`facetValues`): from its record, or in a sharded engine from
      the facet table. Counting reads registry positions and names only the values counted:
      an object of names per task cost the first keystroke after the table came 40 ms at
      10,000 tasks. */
  Engine.prototype.facetsOf = function (position) {
    if (!this.sharded) return this.entry(position).facets;
    if (!this.store.facets) throw new Missing(this.needsFacets());
    return this.store.facets[position];
  };

  /** Per facet, the value each registry position stands for in filters and counts. */
  Engine.prototype.facetKeys = function () {
    if (!this.keysOfFacets) {
      var data = this.data;
      this.keysOfFacets = {
        plan: (data.plans || []).map(function (plan) { return plan.id; }),
        status: data.statuses.map(function (status) { return status.code; }),
        section: data.sections.map(function (section) { return section.key || String(section.number); }),
        subject: (data.subjects || []).map(function (subject) { return subject.slug; }),
        // A further government's leader or unit has a key of its own: two governments may share a slug.
        leader: data.leaders.map(function (leader) { return leader.key || leader.slug; }),
        unit: data.units.map(function (unit) { return unit.key || unit.slug; })
      };
    }
    return this.keysOfFacets;
  };

  /** Per facet with a value chosen, the registry positions that stand for it. */
  function chosenPositions(keys, filters) {
    var chosen = {};
    FACETS.forEach(function (facet) {
      if (!filters[facet]) return;
      chosen[facet] = new Set();
      keys[facet].forEach(function (key, position) { if (key === filters[facet]) chosen[facet].add(position); });
    });
    return chosen;
  }

  /** Calls `each` with every registry position a row holds for the facet in `column`. */
  function eachValue(row, column, each) {
    var cell = row[column];
    if (cell === undefined) return;
    if (Array.isArray(cell)) cell.forEach(each);
    else each(cell);
  }

  /** Whether a row of facet values has every chosen value, but that of the facet `except`. */
  function passes(row, chosen, except) {
    return FACETS.every(function (facet) {
      var wanted = chosen[facet];
      if (facet === except || !wanted) return true;
      var held = false;
      eachValue(row, FACET_COLUMN[facet], function (position) { held = held || wanted.has(position); });
      return held;
    });
  }

  /** Per facet, how many of the rows each value would leave, given the other chosen values. */
  function countFacets(rows, chosen, keys) {
    var filtering = Object.keys(chosen).length > 0;
    var facets = {};
    FACETS.forEach(function (facet) {
      var byPosition = new Map();
      function add(position) { byPosition.set(position, (byPosition.get(position) || 0) + 1); }
      rows.forEach(function (row) {
        if (!filtering || passes(row, chosen, facet)) eachValue(row, FACET_COLUMN[facet], add);
      });
      facets[facet] = namedCounts(byPosition, keys[facet]);
    });
    return facets;
  }

  /** Counts by registry position (a Map, or an array of counts) as counts by the values' keys. */
  function namedCounts(byPosition, keys) {
    var counts = new Map();
    byPosition.forEach(function (count, position) {
      if (count) counts.set(keys[position], (counts.get(keys[position]) || 0) + count);
    });
    return counts;
  }

  /** The counts over every task, which a sharded index carries (search.py, every_task_counts),
      so that the page opened with nothing asked does not fetch the facet table (76 KB gzip at
      10,000 tasks, and 50 ms of the page's time to read and count). */
  Engine.prototype.everyTaskCounts = function () {
    var keys = this.facetKeys(), columns = this.sharded.everyTask, facets = {};
    FACETS.forEach(function (facet) { facets[facet] = namedCounts(columns[FACET_COLUMN[facet]], keys[facet]); });
    return facets;
  };

  /** What a task is checked and ranked on, made once. */
  Engine.prototype.entry = function (position) {
    var entry = this.entries[position];
    if (entry) return entry;
    var data = this.data;
    var task = this.taskAt(position);
    var fields = searchableFields(data, task);
    var strings = [];
    Object.keys(fields).forEach(function (name) {
      strings.push.apply(strings, normaliseAll(fields[name]));
    });
    var facets = facetValues(task);
    return (this.entries[position] = {
      position: position,
      task: task,
      strings: strings,
      title: tokenizer.normalise(task.title || ""),
      text: normaliseAll(fields.text.concat(fields.targets)),
      leadNames: normaliseAll(fields.leaders.concat(fields.lead)),
      unitNames: normaliseAll(fields.units),
      subjects: facets[FACET_COLUMN.subject],
      facets: facets
    });
  };

  /** The shards (file names) that hold every index term a query term may match: per term, the
      smallest shard of its characters; null when a character is in no index term at all. */
  Engine.prototype.shardsFor = function (terms) {
    var sizes = this.sharded.sizes, names = [];
    for (var t = 0; t < terms.length; t++) {
      var best = null;
      for (var char of terms[t].term) {
        if (!Object.prototype.hasOwnProperty.call(sizes, char)) return null;
        if (best === null || sizes[char] < sizes[best]) best = char;
      }
      var name = best.codePointAt(0).toString(16);
      if (names.indexOf(name) < 0) names.push(name);
    }
    return names.sort();
  };

  /** Missing shards of the terms' words, gathered into `needs`. */
  Engine.prototype.wantShards = function (terms, needs) {
    if (!this.sharded || !terms.length) return;
    var store = this.store.terms;
    (this.shardsFor(terms) || []).forEach(function (name) {
      if (!store.has(name) && !needs.some(function (need) { return need.kind === "terms" && need.name === name; })) {
        needs.push({kind: "terms", name: name});
      }
    });
  };

  /**
   * A term shard (search.py, term_shards): its terms, and per term and field the tasks that hold
   * it, each with its score and the positions where the term starts, decoded when first asked for.
   */
  function Shard(value, fields) {
    this.terms = value.terms ? value.terms.split(" ") : [];
    this.raw = value.postings;
    this.fields = fields;
    this.numbers = null;
    this.decoded = new Map();
  }

  /** The position of `term` in the shard, or -1. */
  Shard.prototype.find = function (term) {
    if (!this.numbers) {
      this.numbers = new Map();
      for (var i = 0; i < this.terms.length; i++) this.numbers.set(this.terms[i], i);
    }
    var at = this.numbers.get(term);
    return at === undefined ? -1 : at;
  };

  /** The postings of the term at `i`: per field, Map(task position -> {score, at: positions}). */
  Shard.prototype.postings = function (i) {
    var known = this.decoded.get(i);
    if (known) return known;
    var byField = [];
    for (var f = 0; f < this.fields; f++) {
      var flat = this.raw[i][f], docs = new Map(), doc = 0;
      for (var k = 0; k < flat.length;) {
        doc += flat[k];
        var count = flat[k + 2], at = new Array(count), position = 0;
        for (var n = 0; n < count; n++) at[n] = position += flat[k + 3 + n];
        docs.set(doc, {score: flat[k + 1] / 1000, at: at});
        k += 3 + count;
      }
      byField.push(docs);
    }
    this.decoded.set(i, byField);
    return byField;
  };

  /** The shard that holds every index term `term` may match: that of its rarest character. */
  Engine.prototype.shardOf = function (term) {
    var names = this.shardsFor([{term: term}]);
    if (!names) return null;
    var shard = this.store.terms.get(names[0]);
    if (!shard) throw new Missing([{kind: "terms", name: names[0]}]);
    return shard;
  };

  /**
   * The index terms a query term matches, as lunr.js's wildcards would expand it, each with its
   * postings and where the query term lies in it (code points from its start: one place for an
   * exact term, a prefix or a suffix; maybe several for a term inside another).
   */
  Engine.prototype.expand = function (term) {
    var shard = this.shardOf(term.term);
    if (!shard) return [];
    if (!term.leading && !term.trailing) {
      var at = shard.find(term.term);
      return at < 0 ? [] : [{postings: shard.postings(at), offsets: [0]}];
    }
    var found = [], length = Array.from(term.term).length;
    shard.terms.forEach(function (candidate, i) {
      var offsets = [];
      if (term.leading && term.trailing) {
        for (var from = candidate.indexOf(term.term); from >= 0; from = candidate.indexOf(term.term, from + 1)) {
          offsets.push(Array.from(candidate.slice(0, from)).length);
        }
      } else if (term.trailing) {
        if (candidate.startsWith(term.term)) offsets.push(0);
      } else if (candidate.endsWith(term.term)) {
        offsets.push(Array.from(candidate).length - length);
      }
      if (offsets.length) found.push({postings: shard.postings(i), offsets: offsets});
    });
    return found;
  };

  /**
   * Positions and scores of the tasks that hold every term, from the shards: lunr.js's query
   * (each term required, wildcards expanded) and its score, the dot product of the query
   * vector with each field vector over the expanded terms, divided by the query vector's
   * magnitude, summed over the fields; the vectors are the shards' postings.
   */
  Engine.prototype.shardCandidates = function (terms) {
    var self = this;
    var expansions = terms.map(function (term) { return self.expand(term); });
    var weight = new Map();  // expanded term's postings -> how many query terms expand to it
    var required = null;
    expansions.forEach(function (expanded) {
      var docs = new Set();
      expanded.forEach(function (entry) {
        weight.set(entry.postings, (weight.get(entry.postings) || 0) + 1);
        entry.postings.forEach(function (byDoc) {
          byDoc.forEach(function (_, doc) { if (!required || required.has(doc)) docs.add(doc); });
        });
      });
      required = docs;
    });
    var magnitude = 0;
    weight.forEach(function (count) { magnitude += count * count; });
    magnitude = Math.sqrt(magnitude);
    var scores = new Map();
    required.forEach(function (doc) { scores.set(doc, 0); });
    weight.forEach(function (count, postings) {
      postings.forEach(function (byDoc) {
        byDoc.forEach(function (posting, doc) {
          var score = scores.get(doc);
          if (score !== undefined) scores.set(doc, score + count * posting.score);
        });
      });
    });
    var found = [];
    scores.forEach(function (score, doc) { found.push({position: doc, score: score / magnitude}); });
    return {found: found, expansions: expansions};
  };

  /**
   * Where a word starts in each field of a task, from the positions of its terms: every term of
   * the word must lie where the word puts it (STRIDE in search_index.py: a string per 4096 places, so
   * that no word runs from one string into the next). [] per field where it is not.
   */
  Engine.prototype.starts = function (pieces, expansions, doc) {
    var fields = this.sharded.fields.length;
    var found = [];
    if (pieces.length === 1) {  // where its one term lies, wherever that is
      for (var field = 0; field < fields; field++) {
        var at = [];
        expansions[0].forEach(function (entry) {
          var posting = entry.postings[field].get(doc);
          if (posting) {
            posting.at.forEach(function (position) {
              entry.offsets.forEach(function (offset) { at.push(position + offset - pieces[0].at); });
            });
          }
        });
        found.push(at);
      }
      return found;
    }
    for (var f = 0; f < fields; f++) {
      var common = null;
      for (var p = 0; p < pieces.length && (!common || common.size); p++) {
        var here = new Set();
        expansions[p].forEach(function (entry) {
          var posting = entry.postings[f].get(doc);
          if (!posting) return;
          posting.at.forEach(function (position) {
            entry.offsets.forEach(function (offset) { here.add(position + offset - pieces[p].at); });
          });
        });
        common = common ? new Set(Array.from(common).filter(function (start) { return here.has(start); })) : here;
      }
      found.push(common ? Array.from(common) : []);
    }
    return found;
  };

  /** Whether the index holds `term` itself (its shard must be loaded). */
  Engine.prototype.holds = function (term) {
    if (!this.sharded) return Object.prototype.hasOwnProperty.call(this.index.invertedIndex, term);
    var shard = this.shardOf(term);
    return Boolean(shard) && shard.find(term) >= 0;
  };

  function contains(strings, text) {
    return strings.some(function (string) { return string.indexOf(text) >= 0; });
  }

  /** The best place a normalised word occurs in a task (WHOLE_LEAD_NAME … ELSEWHERE). */
  function place(entry, text) {
    if (entry.leadNames.indexOf(text) >= 0) return WHOLE_LEAD_NAME;
    if (entry.unitNames.indexOf(text) >= 0) return WHOLE_UNIT_NAME;
    if (entry.title.indexOf(text) >= 0) return IN_TITLE;
    if (contains(entry.text, text)) return IN_TEXT;
    return ELSEWHERE;
  }

  /** How much of the task's text the words take up: a task about a place names it more, and
      in fewer words, than a long list that names it once. */
  function aboutness(entry, words) {
    var text = entry.text[0] || "";
    if (!text) return 0;
    var covered = 0;
    words.forEach(function (word) {
      for (var at = text.indexOf(word.text); at >= 0; at = text.indexOf(word.text, at + word.text.length)) {
        covered += word.text.length;
      }
    });
    return covered / text.length;
  }

  /** Positions and Lunr scores of the tasks that hold every term of the words. */
  Engine.prototype.candidates = function (words) {
    var terms = [];
    words.forEach(function (word) { terms.push.apply(terms, word.terms); });
    if (!terms.length) {
      var all = [];
      for (var position = 0; position < this.count; position++) all.push({position: position, score: 0});
      return all;
    }
    if (this.sharded) {
      return this.shardCandidates(terms).found.sort(function (a, b) {
        return b.score - a.score || a.position - b.position;
      });
    }
    var Query = lunr.Query;
    // One term: OPTIONAL finds the same tasks, without the set of every required match.
    var presence = terms.length === 1 ? Query.presence.OPTIONAL : Query.presence.REQUIRED;
    return this.index.query(function (query) {
      terms.forEach(function (term) {
        query.term(term.term, {
          presence: presence,
          wildcard: (term.leading ? Query.wildcard.LEADING : 0) |
                    (term.trailing ? Query.wildcard.TRAILING : 0),
          usePipeline: false
        });
      });
    }).map(function (result) { return {position: Number(result.ref), score: result.score}; });
  };

  /** Leaders' and units' names, normalised: a word that is one of them, found at the start of a
      name in a task's shard positions, is that leader's or unit's name (`place`). */
  Engine.prototype.wholeNames = function () {
    if (!this.registryNames) {
      var names = new Set();
      this.data.leaders.forEach(function (leader) { names.add(tokenizer.normalise(leader.name)); });
      this.data.units.forEach(function (unit) {
        unitNames(unit).forEach(function (name) { names.add(tokenizer.normalise(name)); });
      });
      this.registryNames = names;
    }
    return this.registryNames;
  };

  /**
   * Tasks that contain every word, from the shards alone, ranked as `match` ranks but for the
   * share of the text (which needs the text): the positions of each word's terms say whether the
   * word is there and where. null when a word holds a character no term stands for (3.5%): the
   * records are then checked.
   */
  Engine.prototype.shardMatch = function (words) {
    var self = this;
    var read = words.map(function (word) { return tokenizer.wordPieces(word.text); });
    if (read.some(function (word) { return !word.whole || !word.pieces.length; })) return null;
    var terms = [];
    words.forEach(function (word) { terms.push.apply(terms, word.terms); });
    var queried = this.shardCandidates(terms);
    var expanded = new Map();
    terms.forEach(function (term, t) { expanded.set(term.term + "\u0000" + term.leading + term.trailing, queried.expansions[t]); });
    var expansions = read.map(function (word) {
      return word.pieces.map(function (piece) {
        var key = piece.term + "\u0000" + piece.leading + piece.trailing;
        if (!expanded.has(key)) expanded.set(key, self.expand(piece));
        return expanded.get(key);
      });
    });
    var fields = this.sharded.fields, stride = this.sharded.stride, names = this.wholeNames();
    var lengths = words.map(function (word) { return Array.from(word.text).length; });
    // One word of one term that is no name: every candidate holds it, and the fields it is in
    // say its place; positions are read only to check a word of several terms, a name's place,
    // or how several words lie.
    var plain = words.length === 1 && read[0].pieces.length === 1 && !names.has(words[0].text);
    // The tasks whose text or targets hold the word, in one pass over the postings: not a lookup
    // per candidate, expanded term and field (a common character at 10,000 tasks, 数: 552
    // candidates, 60 terms, 7 fields).
    var inText = new Set();
    if (plain) {
      expansions[0][0].forEach(function (entry) {
        entry.postings.forEach(function (byDoc, f) {
          if (fields[f] === "text" || fields[f] === "targets") byDoc.forEach(function (_, doc) { inText.add(doc); });
        });
      });
    }
    var matches = [];
    queried.found.forEach(function (candidate) {
      var doc = candidate.position;
      if (plain) {
        matches.push({position: doc, score: candidate.score, place: inText.has(doc) ? IN_TEXT : ELSEWHERE,
                      tier: 0, about: 0});
        return;
      }
      var starts = read.map(function (word, w) { return self.starts(word.pieces, expansions[w], doc); });
      if (starts.some(function (byField) { return byField.every(function (list) { return !list.length; }); })) return;
      var place = 0;
      words.forEach(function (word, w) {
        place = Math.max(place, shardPlace(fields, starts[w], names.has(word.text), stride));
      });
      matches.push({position: doc, score: candidate.score, place: place,
                    tier: words.length > 1 ? shardTier(starts, lengths, stride) : 0, about: 0});
    });
    return matches.sort(function (a, b) {
      return a.place - b.place || a.tier - b.tier || b.score - a.score || a.position - b.position;
    });
  };

  /** The best place a word was found (`place`), from where it starts in each field. */
  function shardPlace(fields, starts, isName, stride) {
    var best = ELSEWHERE;
    fields.forEach(function (field, f) {
      if (!starts[f].length) return;
      var whole = isName && starts[f].some(function (start) { return start % stride === 0; });
      if (whole && (field === "leaders" || field === "lead")) best = Math.min(best, WHOLE_LEAD_NAME);
      else if (whole && field === "units") best = Math.min(best, WHOLE_UNIT_NAME);
      else if (field === "text" || field === "targets") best = Math.min(best, IN_TEXT);
    });
    return best;
  }

  /** The words as one phrase (0), in one string (1) or apart (2), from where each starts. */
  function shardTier(starts, lengths, stride) {
    var tier = 2;
    for (var f = 0; f < starts[0].length && tier; f++) {
      starts[0][f].forEach(function (first) {
        var at = first;
        var phrase = starts.every(function (byField, w) {
          if (w && byField[f].indexOf(at) < 0) return false;
          at += lengths[w];
          return true;
        });
        if (phrase) tier = 0;
        var string = Math.floor(first / stride);
        if (tier && starts.every(function (byField) {
          return byField[f].some(function (start) { return Math.floor(start / stride) === string; });
        })) tier = 1;
      });
    }
    return tier;
  }

  /**
   * Tasks that contain every word of the query, best first (docs/search.md, "Ranking"): by
   * where the words were found (`place`, the worst word's best place), then the words as one
   * phrase, all in one string, or spread over the task (`tier`); then by how much of the text
   * they take up; then by Lunr score; then in document order.
   */
  Engine.prototype.match = function (words) {
    if (!words.length) return [];
    if (this.sharded) {
      // From the shards' positions, without the records of tasks that will not be shown.
      var found = this.shardMatch(words);
      if (found) return found;
    }
    var self = this;
    var phrase = words.map(function (word) { return word.text; }).join("");
    var matches = [];
    var candidates = this.candidates(words);
    this.need(candidates.map(function (candidate) { return candidate.position; }));
    candidates.forEach(function (candidate) {
      var entry = self.entry(candidate.position);
      var strings = entry.strings;
      var found = words.every(function (word) { return contains(strings, word.text); });
      if (!found) return;
      var tier = 2;
      if (contains(strings, phrase)) tier = 0;
      else if (strings.some(function (string) {
        return words.every(function (word) { return string.indexOf(word.text) >= 0; });
      })) tier = 1;
      var where = 0;
      words.forEach(function (word) { where = Math.max(where, place(entry, word.text)); });
      matches.push({position: candidate.position, task: entry.task, score: candidate.score,
                    place: where, tier: tier, about: aboutness(entry, words)});
    });
    matches.sort(function (a, b) {
      return a.place - b.place || a.tier - b.tier || b.about - a.about || b.score - a.score ||
        a.position - b.position;
    });
    return matches;
  };

  /** The query with traditional characters folded to simplified, or "" when nothing folds. */
  Engine.prototype.folded = function (words) {
    var fold = this.fold;
    var changed = false;
    var texts = words.map(function (word) {
      var out = "";
      for (var char of word.text) {
        var simplified = fold.get(char);
        if (simplified) changed = true;
        out += simplified || char;
      }
      return out;
    });
    return changed ? texts.join(" ") : "";
  };

  /**
   * Subjects a normalised word names, each as {subject (its position), via}: the word is, or when
   * `loosely` holds (看病难 holds 看病), the subject's name (via SUBJECT_NAME) or one of its
   * synonyms (SUBJECT_SYNONYM). Loosely only when nothing matches exactly: 市发展改革委 holds 改革
   * yet names a unit, not the subject 深化改革. Never the other way round: 养老 is in 养老金, a
   * synonym of 社会保障, yet a reader typing 养老 means the subject 养老.
   */
  Engine.prototype.subjectsNamed = function (text, loosely) {
    var named = [];
    this.subjects.forEach(function (entry, subject) {
      var via = 0;
      entry.names.forEach(function (name, n) {
        var found = name === text ||
          (loosely && Array.from(name).length >= SHORTEST_SUGGESTION && text.indexOf(name) >= 0);
        if (found && !via) via = n === 0 ? SUBJECT_NAME : SUBJECT_SYNONYM;
      });
      if (via) named.push({subject: subject, via: via});
    });
    return named;
  };

  /**
   * Tasks the exact matches miss but the reader probably means, each with why, best first: when
   * nothing matches, those that contain the name or synonym a word holds (停车 in 停车难); then
   * tasks of a subject a word names by its name, then by a synonym (each word found in the task
   * or naming one of its subjects), each subject's tasks most about it first (`tasks` of the
   * subject, search.py's subject_rankings). `words` are the query as read, in simplified
   * characters.
   */
  Engine.prototype.related = function (words, exact) {
    var self = this;
    var seen = new Set(exact.map(function (match) { return match.position; }));
    var texts = words.map(function (word) { return word.text; });
    var loosely = !exact.length;
    var named = texts.map(function (text) { return self.subjectsNamed(text, loosely); });
    if (!named.some(function (subjects) { return subjects.length; })) return [];
    var related = [];
    // What each word holds, when nothing says the word itself: 停车 in 停车难 (itself a synonym).
    var held = texts.map(function (text, i) {
      if (!loosely) return text;
      var holding = "";
      self.subjects.forEach(function (entry) {
        entry.names.forEach(function (name) {
          if (name !== text && Array.from(name).length >= SHORTEST_SUGGESTION && text.indexOf(name) >= 0 &&
              name.length > holding.length) holding = name;
        });
      });
      return holding || text;
    });
    if (held.join(" ") !== texts.join(" ")) {
      var heldQuery = held.join(" ");
      this.match(tokenizer.queryWords(heldQuery)).forEach(function (match) {
        if (seen.has(match.position)) return;
        seen.add(match.position);
        match.reason = {kind: "holds", text: heldQuery};
        related.push(match);
      });
    }
    var wanted = [];
    named.forEach(function (subjects) {
      subjects.forEach(function (entry) { if (wanted.indexOf(entry.subject) < 0) wanted.push(entry.subject); });
    });
    this.needSubjects(wanted);
    var rankIn = new Map();  // subject -> Map(task position -> its rank among the subject's tasks)
    var reached = [];
    wanted.forEach(function (subject) {
      var ranks = new Map();
      self.data.subjects[subject].tasks.forEach(function (position, rank) {
        ranks.set(position, rank);
        if (!seen.has(position)) {
          seen.add(position);
          reached.push(position);
        }
      });
      rankIn.set(subject, ranks);
    });
    // The tasks that contain each word: with one word, none of these (they are not exact matches).
    var containing = texts.length > 1 ? words.map(function (word) {
      return new Set(self.match([word]).map(function (match) { return match.position; }));
    }) : [];
    var bySubject = [];
    reached.forEach(function (position) {
      var through = [];
      var tier = SUBJECT_NAME;
      var rank = Infinity;
      var all = texts.every(function (text, i) {
        if (containing.length && containing[i].has(position)) return true;
        var own = named[i].filter(function (entry) { return rankIn.get(entry.subject).has(position); });
        if (!own.length) return false;
        var via = Math.min.apply(null, own.map(function (entry) { return entry.via; }));
        tier = Math.max(tier, via);
        own.forEach(function (entry) {
          var name = self.data.subjects[entry.subject].name;
          if (entry.via === via && through.indexOf(name) < 0) through.push(name);
          rank = Math.min(rank, rankIn.get(entry.subject).get(position));
        });
        return true;
      });
      if (!all || !through.length) return;
      bySubject.push({position: position, score: 0, place: ELSEWHERE, tier: tier, about: 0, rank: rank,
                      reason: {kind: "subject", subjects: through}});
    });
    bySubject.sort(function (a, b) { return a.tier - b.tier || a.rank - b.rank || a.position - b.position; });
    return related.concat(bySubject);
  };

  /** Every unit's, leader's and subject's name, normalised: what a suggestion may propose. */
  Engine.prototype.names = function () {
    if (this.vocabulary) return this.vocabulary;
    var data = this.data;
    var names = new Set();
    data.units.forEach(function (unit) { unitNames(unit).forEach(function (name) { names.add(name); }); });
    data.leaders.forEach(function (leader) { names.add(leader.name); });
    data.subjects.forEach(function (subject) {
      [subject.name].concat(subject.synonyms).forEach(function (name) { names.add(name); });
    });
    return (this.vocabulary = normaliseAll(Array.from(names)));
  };

  /**
   * When nothing matches: what the reader may have meant, as a link with its count, or null. Only
   * ever whole words or names, never a piece cut from what was typed; the first that finds
   * something of: the query with a character readers confuse with another mended (赣洲 → 赣州);
   * then, what keeps the most of what was typed first: with several words, fewer of them; a
   * unit's, leader's or subject's name held inside a word (养老阮 → 养老); the query with a word
   * replaced by such a name one character away (孙菊声 → 孙菊生, 省发展改革局 → 省发展改革委).
   */
  Engine.prototype.suggest = function (words) {
    var self = this;
    var texts = words.map(function (word) { return word.text; });
    var typed = texts.join(" ");
    var names = this.names();
    var parts = [];
    var others = [];  // [text, characters of the query it keeps]
    function offer(text) {
      if (text && text !== typed && parts.indexOf(text) < 0) parts.push(text);
    }
    function instead(i, text) {
      return texts.map(function (other, j) { return j === i ? text : other; }).join(" ");
    }
    var count = Math.min(texts.length, MOST_WORDS_DROPPED);
    for (var keep = count - 1; keep >= 1; keep--) {
      subsets(texts.slice(0, count), keep).forEach(function (subset) {
        others.push([subset.join(" "), Array.from(subset.join("")).length]);
      });
    }
    texts.forEach(function (text, i) {
      var chars = Array.from(text);
      if (chars.length > LONGEST_WORD_TRIED) return;
      chars.forEach(function (char, j) {
        (self.confusions.get(char) || []).forEach(function (other) {
          var mended = chars.slice();
          mended[j] = other;
          offer(instead(i, mended.join("")));
        });
      });
      names.forEach(function (name) {
        var length = Array.from(name).length;
        if (name !== text && length >= SHORTEST_SUGGESTION && text.indexOf(name) >= 0) others.push([name, length]);
      });
      if (chars.length < 3) return;  // two characters, one of them changed: too many names
      names.forEach(function (name) {
        var nameChars = Array.from(name);
        if (nameChars.length !== chars.length) return;
        var apart = 0;
        for (var k = 0; k < chars.length && apart < 2; k++) if (chars[k] !== nameChars[k]) apart++;
        if (apart === 1) others.push([instead(i, name), Array.from(typed).length - 1]);
      });
    });
    // Confused characters first; then what keeps the most of what was typed (Array sort is stable).
    others.sort(function (a, b) { return b[1] - a[1]; }).forEach(function (other) { offer(other[0]); });
    var partsWords = parts.map(function (part) { return tokenizer.queryWords(part); });
    if (this.sharded) {  // every shard the parts need, at once
      var needs = [];
      partsWords.forEach(function (partWords) {
        partWords.forEach(function (word) { self.wantShards(word.terms, needs); });
      });
      if (needs.length) throw new Missing(needs);
    }
    for (var i = 0; i < parts.length; i++) {
      var partWords = partsWords[i];
      // A term the index lacks, matched whole, rules the part out without a query.
      var impossible = partWords.some(function (word) {
        return word.terms.some(function (term) { return !term.leading && !term.trailing && !self.holds(term.term); });
      });
      if (impossible) continue;
      var found = this.match(partWords);
      if (found.length) return {text: parts[i], count: found.length};
    }
    return null;
  };

  /** The subsets of `items` of `size` items, each in the items' order, the earliest first. */
  function subsets(items, size) {
    if (size === 0) return [[]];
    var out = [];
    for (var i = 0; i + size <= items.length; i++) {
      subsets(items.slice(i + 1), size - 1).forEach(function (rest) { out.push([items[i]].concat(rest)); });
    }
    return out;
  }

  /**
   * Units a word finds only by one of their short names (发改委 → 省发展改革委), so that the page
   * can say which unit the reader's word names: [{word, units: [positions]}].
   */
  Engine.prototype.shortNamed = function (words) {
    var self = this;
    var found = [];
    words.forEach(function (word) {
      if (Array.from(word.text).length < SHORTEST_SUGGESTION) return;
      var holders = self.shortNames.filter(function (unit) {
        return contains(unit.short, word.text) && !contains(unit.own, word.text);
      }).map(function (unit) { return unit.position; });
      if (holders.length) found.push({word: word.text, units: holders});
    });
    return found;
  };

  /**
   * Search: {words (as read: traditional characters folded to simplified), typed (as typed),
   * readAs (the query as read, when it differs), matches (exact, ranked: what was typed, then
   * what was read), results (matches within the filters), related and relatedResults (likely
   * meant, with a reason: see `related`), suggestion (when nothing is found), shortNamed (the
   * units a word finds by a short name), browsing (no words: every task matches), facets}. `filters` maps a facet to the
   * value chosen, if any. The count of a facet value is the number of tasks shown, exact or
   * related, that it would leave, given the other filters; `facets` is null while a sharded
   * engine lacks the facet table and no filter is chosen (`needsFacets`), unless nothing is
   * asked: every task's counts come with the index (`everyTaskCounts`).
   */
  Engine.prototype.search = function (query, filters) {
    filters = filters || {};
    var self = this;
    var typed = tokenizer.queryWords(query);
    var browsing = !typed.length;
    var filtering = FACETS.some(function (facet) { return filters[facet]; });
    // Traditional characters are read as simplified (養老 as 养老): the text is simplified.
    var readAs = this.folded(typed);
    var words = readAs ? tokenizer.queryWords(readAs) : typed;
    // The facet table (76 KB gzip at 10,000 tasks) is fetched before the results only when a
    // filter needs it; otherwise the results come first and the facet counts after (null here).
    var counting = !this.needsFacets();
    if (this.sharded) {  // what every search needs, fetched together
      var needs = (filtering && this.needsFacets()) || [];
      typed.concat(readAs ? words : []).forEach(function (word) { self.wantShards(word.terms, needs); });
      var subjects = [];
      words.forEach(function (word) {
        self.subjectsNamed(word.text, false).forEach(function (entry) { subjects.push(entry.subject); });
      });
      this.needSubjects(subjects, needs);
      if (needs.length) throw new Missing(needs);
    }
    var matches = [];
    if (browsing) {
      for (var position = 0; position < this.count; position++) {
        matches.push({position: position, score: 0, place: 0, tier: 0, about: 0});
      }
    } else {
      matches = this.match(typed);
      if (readAs) {
        var seen = new Set(matches.map(function (match) { return match.position; }));
        matches = matches.concat(this.match(words).filter(function (match) { return !seen.has(match.position); }));
      }
    }
    var related = browsing ? [] : this.related(words, matches);
    var suggestion = matches.length || browsing ? null : this.suggest(words);
    var keys = this.facetKeys();
    var chosen = chosenPositions(keys, filters);
    function within(match) { return !filtering || passes(self.facetsOf(match.position), chosen); }
    var results = matches.filter(within);
    var relatedResults = related.filter(within);
    var facets = counting ? countFacets(matches.concat(related).map(function (match) {
      return self.facetsOf(match.position);
    }), chosen, keys) : browsing && !filtering ? this.everyTaskCounts() : null;
    return {words: words, typed: typed, readAs: readAs, browsing: browsing, matches: matches, results: results,
            related: related, relatedResults: relatedResults, suggestion: suggestion, facets: facets,
            shortNamed: browsing ? [] : this.shortNamed(words)};
  };

  /** The facet table, when a search drawn without facet counts should be drawn again with them. */
  Engine.prototype.needsFacets = function () {
    return this.sharded && !this.store.facets ? [{kind: "facets", name: 0}] : null;
  };

  /**
   * Search, and call `done(search)` once the records of its first `limit` results are loaded:
   * at once when nothing is missing; otherwise after `load(needs, retry, fail)` has added what
   * was missing (a sharded engine), which may take several rounds (shards, then chunks).
   * `early`, if given ({count, show}), is called with the search once the records of its first
   * `count` results are there and the others are still to come: the fifty results of a common
   * word lie in fifty chunks, and a screen shows ten.
   */
  Engine.prototype.ready = function (query, filters, limit, load, done, fail, early) {
    var self = this;
    var shownEarly = false;
    // Once the search has what it needs its answer is settled: later rounds load records to
    // show, which do not change it; only a facet table that came meanwhile adds its counts.
    var search = null;
    function attempt() {
      try {
        if (!search || (!search.facets && !self.needsFacets())) search = self.search(query, filters);
        var exact = search.results.slice(0, limit);
        var related = search.relatedResults.slice(0, Math.max(0, limit - exact.length));
        var positions = exact.concat(related).map(function (match) { return match.position; });
        if (early && !shownEarly && positions.length > early.count) {
          self.need(positions.slice(0, early.count));
          try {
            self.need(positions);
          } catch (missing) {
            if (!(missing instanceof Missing)) throw missing;
            shownEarly = true;
            early.show(search);
            return load(missing.needs, attempt, fail);
          }
        }
        self.need(positions);
      } catch (error) {
        if (error instanceof Missing) return load(error.needs, attempt, fail);
        return fail(error);
      }
      done(search);
    }
    attempt();
  };

  /** The fields of a task in which any of the words occur, as the page names them. */
  Engine.prototype.matchedFields = function (position, words) {
    var data = this.data;
    var task = this.taskAt(position);
    var fields = searchableFields(data, task);
    var names = [["标题", [task.title || ""]], ["任务内容", fields.text], ["量化指标", fields.targets],
                 ["牵头领导", fields.leaders], ["牵头单位", fields.lead], ["责任单位", fields.units],
                 ["篇章", fields.section], ["进展状态", fields.status]];
    return names.filter(function (pair) {
      var strings = normaliseAll(pair[1]);
      return words.some(function (word) { return contains(strings, word.text); });
    }).map(function (pair) { return pair[0]; });
  };

  /**
   * Where the words occur in `text`: sorted, merged [start, end) ranges of UTF-16 indices
   * into the original text, found in its normalised form.
   */
  function highlights(text, words) {
    var mapped = normalisedWithOrigins(text);
    var normalised = mapped.normalised;
    var starts = mapped.starts;
    var ends = mapped.ends;
    var ranges = [];
    words.forEach(function (word) {
      if (!word.text) return;
      var at = normalised.indexOf(word.text);
      while (at >= 0) {
        ranges.push([starts[at], ends[at + word.text.length - 1]]);
        at = normalised.indexOf(word.text, at + 1);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    ranges.forEach(function (range) {
      var last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push([range[0], range[1]]);
    });
    return merged;
  }

  var origins = new Map();

  /** The normalised text, and for each of its UTF-16 units the span of the original character
      it came from; kept, since the page shows the same strings again and again. */
  function normalisedWithOrigins(text) {
    var mapped = origins.get(text);
    if (mapped) return mapped;
    mapped = {normalised: "", starts: [], ends: []};
    var offset = 0;
    for (var char of text) {
      var piece = tokenizer.normalise(char);
      for (var i = 0; i < piece.length; i++) {
        mapped.starts.push(offset);
        mapped.ends.push(offset + char.length);
      }
      mapped.normalised += piece;
      offset += char.length;
    }
    origins.set(text, mapped);
    return mapped;
  }

  return {
    FACETS: FACETS,
    Engine: Engine,
    Missing: Missing,
    unpackIndex: unpackIndex,
    searchableFields: searchableFields,
    unitNames: unitNames,
    highlights: highlights,
    queryWords: tokenizer.queryWords
  };
});
