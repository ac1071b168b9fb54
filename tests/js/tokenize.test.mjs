// The shared tokenizer cases (tests/search_cases.json) against assets/js/tokenize.js.
// Run: node --test tests/js/   (tests/test_search_tokenize.py runs it too)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const tokenizer = require("../../assets/js/tokenize.js");
const cases = JSON.parse(readFileSync(new URL("../search_cases.json", import.meta.url), "utf8"));

for (const { case: name, input, output } of cases.normalise) {
  test(`normalise: ${name}`, () => assert.equal(tokenizer.normalise(input), output));
}

for (const { case: name, input, tokens } of cases.tokenize) {
  test(`tokenize: ${name}`, () => assert.deepEqual(tokenizer.tokenize(input), tokens));
}

for (const { case: name, input, words } of cases.query) {
  test(`query: ${name}`, () => {
    const got = tokenizer.queryWords(input).map((word) => [
      word.text, word.terms.map((term) => [term.term, term.leading, term.trailing]),
    ]);
    assert.deepEqual(got, words);
  });
}
