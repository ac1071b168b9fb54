// Lets the Python tests drive the JavaScript side of search and compare it with Python:
//   node tests/js/search_cli.js classes             class and normalisation of every code point
//   node tests/js/search_cli.js tokenize < strings  tokens (with where they start) and query words
//                                                   (with their terms where they lie) of each string
//   node tests/js/search_cli.js unpack INDEX_JS     the Lunr serialization the page loads
//   node tests/js/search_cli.js fields INDEX_JS     the searchable strings of each task
//   node tests/js/search_cli.js search INDEX_JS [fresh] < queries   ranked task ids of each query (plan/id past the first plan)
//     (a sharded index loads its shards from beside INDEX_JS, as the page does, and says which
//     files each query loaded; `fresh`: a new engine for each query, as a cold page; a query's
//     `early: N` says what was loaded when its first N results could be drawn; `searchesAnswered`,
//     how many searches came back before its first page was ready; `facetsWithRecords`: the facet
//     table arrives with the first records loaded, as the page's may while a search waits)
// Input and output are JSON.
"use strict";
const fs = require("node:fs");
const vm = require("node:vm");
const path = require("node:path");
const tokenizer = require("../../assets/js/tokenize.js");
const engineModule = require("../../assets/js/search-engine.js");

function loadData(indexJs) {
  const sandbox = {window: {}};
  vm.runInNewContext(fs.readFileSync(indexJs, "utf8"), sandbox);
  return sandbox.window.CatalogueSearchData;
}

function stdinJson() {
  return JSON.parse(fs.readFileSync(0, "utf8"));
}

const commands = {
  classes() {
    const out = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      out.push(tokenizer.charClass(char) + tokenizer.normalise(char));
    }
    return out;
  },
  tokenize() {
    return stdinJson().map((text) => ({
      tokens: tokenizer.tokenize(text),
      at: tokenizer.tokensAt(text),
      words: tokenizer.queryWords(text).map((word) => [
        word.text, word.terms.map((term) => [term.term, term.leading, term.trailing]),
      ]),
      pieces: tokenizer.queryWords(text).map((word) => {
        const read = tokenizer.wordPieces(word.text);
        return [read.whole, read.pieces.map((piece) => [piece.term, piece.at, piece.leading, piece.trailing])];
      }),
    }));
  },
  unpack(indexJs) {
    return engineModule.unpackIndex(loadData(indexJs).index);
  },
  fields(indexJs) {
    const data = loadData(indexJs);
    return data.tasks.map((task) => engineModule.searchableFields(data, task));
  },
  search(indexJs, fresh) {
    const data = loadData(indexJs);
    let engine = null;
    let loads = [];
    let facetsWithRecords = false;  // a query's `facetsWithRecords`: the facet table comes in with its records
    // The page's loader, from disk: each shard is a script that calls CatalogueSearchShard.
    const load = (needs, then, fail) => {
      try {
        if (facetsWithRecords && needs.some((need) => need.kind === "tasks") && engine.needsFacets()) {
          needs = needs.concat(engine.needsFacets());
        }
        for (const need of needs) {
          const file = need.kind === "facets" ? "facets.js" : `${need.kind}/${need.name}.js`;
          loads.push(file);
          vm.runInNewContext(fs.readFileSync(path.join(path.dirname(indexJs), file), "utf8"), {
            CatalogueSearchShard: (kind, name, value) => engine.add(kind, name, value),
          });
        }
      } catch (error) {
        return fail(error);
      }
      then();
    };
    // A task of a further plan is named as the model's Task.key names it (hunan-2021/1-1): its
    // id alone is also a task of every other plan.
    const keyAt = (position) => {
      const task = engine.taskAt(position);
      return data.plans && task.plan ? `${data.plans[task.plan].id}/${task.id}` : task.id;
    };
    const firstOf = (search, count) => search.results.concat(search.relatedResults).slice(0, count)
      .map((match) => match.position);
    let answered = 0;  // searches that came back, not stopped by a missing shard
    const counted = (engine) => {
      engine.search = function () {
        const search = engineModule.Engine.prototype.search.apply(this, arguments);
        answered += 1;
        return search;
      };
      return engine;
    };
    return stdinJson().map(({q, filters, early, facetsWithRecords: withRecords}) => {
      if (!engine || fresh) engine = counted(new engineModule.Engine(data));
      loads = [];
      facetsWithRecords = Boolean(withRecords);
      answered = 0;
      let found = null;
      // `early`: the page's first screen, drawn while the rest of the first page loads.
      let drawnEarly = null;
      const firstScreen = early ? {count: early, show: (search) => {
        drawnEarly = {loaded: loads.slice(), positions: firstOf(search, early)};
      }} : null;
      engine.ready(q, filters || {}, 50, load, (search) => { found = search; }, (error) => { throw error; },
                   firstScreen);
      const firstPage = loads.slice();
      const searchesAnswered = answered;
      const firstPositions = firstOf(found, 50);
      // Drawn without facet counts: the page fetches the facet table next and searches again.
      const facetTable = found.facets ? null : engine.needsFacets();
      if (facetTable) {
        load(facetTable, () => {}, (e) => { throw e; });
        engine.ready(q, filters || {}, 50, load, (search) => { found = search; }, (error) => { throw error; });
      }
      // The records of every match, to print them (the page loads them a page at a time).
      const positions = found.matches.concat(found.related).map((match) => match.position);
      for (;;) {
        try {
          engine.need(positions);
          break;
        } catch (error) {
          if (!(error instanceof engineModule.Missing)) throw error;
          load(error.needs, () => {}, (e) => { throw e; });
        }
      }
      const facets = {};
      for (const [facet, counts] of Object.entries(found.facets)) facets[facet] = Object.fromEntries(counts);
      return {
        matches: found.matches.map((match) => ({
          id: keyAt(match.position), tier: match.tier, score: match.score, place: match.place,
          where: engine.matchedFields(match.position, found.words),
        })),
        results: found.results.map((match) => keyAt(match.position)),
        related: found.related.map((match) => ({id: keyAt(match.position), reason: match.reason})),
        relatedResults: found.relatedResults.map((match) => keyAt(match.position)),
        loaded: firstPage,
        searchesAnswered: searchesAnswered,
        firstPositions: firstPositions,
        drawnEarly: drawnEarly,
        suggestion: found.suggestion,
        readAs: found.readAs,
        shortNamed: found.shortNamed.map(({word, units}) => ({word, units: units.map((u) => data.units[u].name)})),
        browsing: found.browsing,
        facets: facets,
        // Everything loaded to report it: the first page, the facet table if it was needed, records.
        loadedInAll: loads.slice(),
      };
    });
  },
};

const [command, ...args] = process.argv.slice(2);
if (!commands[command]) {
  process.stderr.write(`unknown command ${command}; one of ${Object.keys(commands).join(", ")}\n`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(commands[command](...args)));
