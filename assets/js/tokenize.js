/*
 * The search tokenizer of docs/search.md, as catalogue/search.py implements it in Python.
 * Both are tested against tests/search_cases.json.
 *
 * In a browser it defines the global CatalogueTokenize; under Node it is a CommonJS module.
 * Strings are walked by code point, never by UTF-16 unit, so characters outside the Basic
 * Multilingual Plane (rare given names, CJK Extensions B–H) count as one character.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.CatalogueTokenize = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // Scripts written without spaces between words: their runs are cut into character bigrams.
  // Closed ranges of code points, checked after normalisation; the same table is in search.py.
  var CJK_RANGES = [
    [0x1100, 0x11ff], [0x2e80, 0x2fdf], [0x3005, 0x3007], [0x3021, 0x3029],
    [0x3031, 0x3035], [0x3038, 0x303c], [0x3041, 0x3096], [0x3099, 0x309f],
    [0x30a1, 0x30fa], [0x30fc, 0x30ff], [0x3105, 0x312f], [0x3131, 0x318e],
    [0x31a0, 0x31bf], [0x31f0, 0x31ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
    [0xa960, 0xa97f], [0xac00, 0xd7ff], [0xf900, 0xfaff], [0x1b000, 0x1b16f],
    [0x20000, 0x3ffff]
  ];

  // Kept inside a run of letters and digits when both neighbours are letters or digits.
  var JOINERS = "&.";

  // Unicode White_Space: separates the words of a query.
  var WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" +
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

  var CJK = "c", WORD = "w", OTHER = "o";

  // Letters, numbers and marks in any script; the u flag makes \p and astral code points work.
  var LETTER_NUMBER_MARK = /^[\p{L}\p{N}\p{M}]$/u;

  var normalised = new Map();

  function normaliseChar(char) {
    var result = normalised.get(char);
    if (result === undefined) {
      result = char.normalize("NFKC").toLowerCase();
      normalised.set(char, result);
    }
    return result;
  }

  /** NFKC then lower-case, one code point at a time. */
  function normalise(text) {
    var out = "";
    for (var char of text) out += normaliseChar(char);
    return out;
  }

  /** CJK (cut into bigrams), WORD (letters, digits, marks: kept whole) or OTHER (separates). */
  function charClass(char) {
    var code = char.codePointAt(0);
    for (var i = 0; i < CJK_RANGES.length; i++) {
      if (code < CJK_RANGES[i][0]) break;
      if (code <= CJK_RANGES[i][1]) return CJK;
    }
    return LETTER_NUMBER_MARK.test(char) ? WORD : OTHER;
  }

  /**
   * Split normalised text into runs of CJK characters and runs of letters and digits:
   * [{kind, chars (array of code point strings), start, end}], positions in code points.
   */
  function runs(text) {
    var chars = Array.from(text);
    var classes = chars.map(charClass);
    for (var i = 1; i < chars.length - 1; i++) {
      if (JOINERS.indexOf(chars[i]) >= 0 && classes[i - 1] === WORD && classes[i + 1] === WORD) {
        classes[i] = WORD;
      }
    }
    var found = [];
    var start = 0;
    for (var end = 1; end <= chars.length; end++) {
      if (end === chars.length || classes[end] !== classes[start]) {
        if (classes[start] !== OTHER) {
          found.push({kind: classes[start], chars: chars.slice(start, end), start: start, end: end});
        }
        start = end;
      }
    }
    return found;
  }

  /** The pairs of neighbouring characters of a CJK run; a run of one character is its token. */
  function cjkTokens(chars) {
    if (chars.length === 1) return [chars[0]];
    var tokens = [];
    for (var i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
    return tokens;
  }

  /** Index terms of a text, in order, repeated as often as they occur. */
  function tokenize(text) {
    var tokens = [];
    runs(normalise(text)).forEach(function (run) {
      if (run.kind === CJK) tokens.push.apply(tokens, cjkTokens(run.chars));
      else tokens.push(run.chars.join(""));
    });
    return tokens;
  }

  /** The index terms of a text, each with the code point of the normalised text it starts at:
      [[term, at]], the terms of `tokenize` in the same order (search.py, tokens_at). */
  function tokensAt(text) {
    var found = [];
    runs(normalise(text)).forEach(function (run) {
      if (run.kind === CJK && run.chars.length > 1) {
        cjkTokens(run.chars).forEach(function (piece, i) { found.push([piece, run.start + i]); });
      } else {
        found.push([run.chars.join(""), run.start]);
      }
    });
    return found;
  }

  /**
   * Each term of a normalised query word where it starts in the word, repeats kept:
   * [{term, at, leading, trailing}] as `wordTerms` marks them; `whole` is false when a character
   * of the word is in no term (punctuation, a symbol), which no term's position can vouch for.
   */
  function wordPieces(word) {
    var chars = Array.from(word);
    var pieces = [];
    var covered = 0;
    runs(word).forEach(function (run) {
      covered += run.end - run.start;
      if (run.kind === CJK) {
        var lone = run.chars.length === 1;
        cjkTokens(run.chars).forEach(function (piece, i) {
          pieces.push({term: piece, at: run.start + i, leading: lone, trailing: lone});
        });
      } else {
        var flags = wordRunFlags(chars, run);
        pieces.push({term: run.chars.join(""), at: run.start, leading: flags[0], trailing: flags[1]});
      }
    });
    return {pieces: pieces, whole: covered === chars.length};
  }

  /** Whether a run of letters and digits may continue before and after the word: it starts
      (ends) the word, or only a joiner stands before (after) it, which could be the middle of
      r&d. */
  function wordRunFlags(chars, run) {
    var last = chars.length - 1;
    return [run.start === 0 || (run.start === 1 && JOINERS.indexOf(chars[0]) >= 0),
            run.end === last + 1 || (run.end === last && JOINERS.indexOf(chars[last]) >= 0)];
  }

  /**
   * Terms required by one normalised query word: [{term, leading, trailing}]. `leading` and
   * `trailing` say the term's run may continue in the text before or after what was typed.
   */
  function wordTerms(word) {
    var chars = Array.from(word);
    var terms = [];
    var seen = new Set();
    runs(word).forEach(function (run) {
      var made;
      if (run.kind === CJK) {
        var lone = run.chars.length === 1;
        made = cjkTokens(run.chars).map(function (piece) {
          return {term: piece, leading: lone, trailing: lone};
        });
      } else {
        var flags = wordRunFlags(chars, run);
        made = [{term: run.chars.join(""), leading: flags[0], trailing: flags[1]}];
      }
      made.forEach(function (term) {
        var key = term.term + "\u0000" + term.leading + term.trailing;
        if (!seen.has(key)) {
          seen.add(key);
          terms.push(term);
        }
      });
    });
    return terms;
  }

  /** The words of a reader's query: [{text (normalised), terms}], without repeats. */
  function queryWords(query) {
    var words = [];
    var current = "";
    for (var char of normalise(query) + " ") {
      if (WHITESPACE.indexOf(char) >= 0) {
        if (current && !words.some(function (word) { return word.text === current; })) {
          words.push({text: current, terms: wordTerms(current)});
        }
        current = "";
      } else {
        current += char;
      }
    }
    return words;
  }

  return {
    CJK_RANGES: CJK_RANGES,
    JOINERS: JOINERS,
    WHITESPACE: WHITESPACE,
    normalise: normalise,
    charClass: charClass,
    runs: runs,
    tokenize: tokenize,
    tokensAt: tokensAt,
    wordTerms: wordTerms,
    wordPieces: wordPieces,
    queryWords: queryWords
  };
});
