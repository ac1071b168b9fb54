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

  var FACETS = ["plan", "status", "section", "leader", "unit"];

  /**
   * Turn the packed index (catalogue/search.py, pack_index) back into the serialization that
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

  /** The strings of a task that search finds, by index field (search.py, searchable_fields). */
  function searchableFields(data, task) {
    var section = data.sections[task.section];
    function names(list, registry, withAliases) {
      var out = [];
      list.forEach(function (position) {
        var item = registry[position];
        out.push(item.name);
        if (withAliases) out.push.apply(out, item.aliases);
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

  function Engine(data) {
    this.data = data;
    this.index = lunr.Index.load(unpackIndex(data.index));
    this.tasks = data.tasks.map(function (task, position) {
      var fields = searchableFields(data, task);
      var strings = [];
      Object.keys(fields).forEach(function (name) {
        fields[name].forEach(function (value) { strings.push(tokenizer.normalise(value)); });
      });
      var units = [];
      task.lead.concat(task.units).forEach(function (unit) {
        var slug = data.units[unit].slug;
        if (units.indexOf(slug) < 0) units.push(slug);
      });
      return {
        position: position,
        task: task,
        strings: strings,
        facets: {
          plan: data.plans ? [data.plans[task.plan].id] : [],  // only a site of several plans
          status: [data.statuses[task.status].code],
          section: [data.sections[task.section].key || String(data.sections[task.section].number)],
          leader: task.leaders.map(function (leader) { return data.leaders[leader].slug; }),
          unit: units
        }
      };
    });
  }

  /** Positions and Lunr scores of the tasks that hold every term of the words. */
  Engine.prototype.candidates = function (words) {
    var terms = [];
    words.forEach(function (word) { terms.push.apply(terms, word.terms); });
    if (!terms.length) {
      return this.tasks.map(function (entry) { return {position: entry.position, score: 0}; });
    }
    var Query = lunr.Query;
    return this.index.query(function (query) {
      terms.forEach(function (term) {
        query.term(term.term, {
          presence: Query.presence.REQUIRED,
          wildcard: (term.leading ? Query.wildcard.LEADING : 0) |
                    (term.trailing ? Query.wildcard.TRAILING : 0),
          usePipeline: false
        });
      });
    }).map(function (result) { return {position: Number(result.ref), score: result.score}; });
  };

  /**
   * Tasks that contain every word of the query, best first: the words as one phrase, then all
   * in one string, then spread over the task; within that by Lunr score; then in document order.
   */
  Engine.prototype.match = function (words) {
    if (!words.length) return [];
    var tasks = this.tasks;
    var phrase = words.map(function (word) { return word.text; }).join("");
    var matches = [];
    this.candidates(words).forEach(function (candidate) {
      var strings = tasks[candidate.position].strings;
      var found = words.every(function (word) {
        return strings.some(function (string) { return string.indexOf(word.text) >= 0; });
      });
      if (!found) return;
      var tier = 2;
      if (strings.some(function (string) { return string.indexOf(phrase) >= 0; })) tier = 0;
      else if (strings.some(function (string) {
        return words.every(function (word) { return string.indexOf(word.text) >= 0; });
      })) tier = 1;
      matches.push({position: candidate.position, task: tasks[candidate.position].task,
                    score: candidate.score, tier: tier});
    });
    matches.sort(function (a, b) {
      return a.tier - b.tier || b.score - a.score || a.position - b.position;
    });
    return matches;
  };

  function passes(entry, filters, except) {
    return FACETS.every(function (facet) {
      return facet === except || !filters[facet] || entry.facets[facet].indexOf(filters[facet]) >= 0;
    });
  }

  /**
   * Search: {words, matches (all, ranked), results (matches within the filters), facets}.
   * `filters` maps a facet (status, section, leader, unit) to the value chosen, if any. The
   * count of a facet value is the number of matches it would leave, given the other filters.
   */
  Engine.prototype.search = function (query, filters) {
    filters = filters || {};
    var tasks = this.tasks;
    var words = tokenizer.queryWords(query);
    var matches = this.match(words);
    var results = matches.filter(function (match) { return passes(tasks[match.position], filters); });
    var facets = {};
    FACETS.forEach(function (facet) {
      var counts = new Map();
      matches.forEach(function (match) {
        var entry = tasks[match.position];
        if (!passes(entry, filters, facet)) return;
        entry.facets[facet].forEach(function (value) { counts.set(value, (counts.get(value) || 0) + 1); });
      });
      facets[facet] = counts;
    });
    return {words: words, matches: matches, results: results, facets: facets};
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
    unpackIndex: unpackIndex,
    searchableFields: searchableFields,
    highlights: highlights
  };
});
