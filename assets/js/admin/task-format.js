// The editor form's file format for task files: a save changes only the values the editor
// changed. Decap CMS would write the whole file again from its data (block lists for [a, b],
// no comments, lines folded at 80 columns), so that a one-field edit rewrote half the file.
// Here each file is kept as read, and the new data is laid over the parsed document: unchanged
// values keep their text, quoting and comments; a changed value is replaced in place; a new one
// is put where the task file format orders it.
import { Document, isMap, isScalar, isSeq, parseDocument } from '../../vendor/yaml/index.js';

// PyYAML reads task files as YAML 1.1, so strings that 1.1 would take for something else
// (yes, 1:30, 0777, 2021-06-30) are quoted when written. A date is kept as its text (the
// form's date fields hold text) in a Day, which is written plain, so that PyYAML reads a date.
class Day {
  constructor(text) {
    this.text = text;
  }

  toJSON() {
    return this.text;
  }
}

const DAY = {
  tag: 'tag:yaml.org,2002:timestamp',
  default: true,
  // PyYAML's timestamp: a string like it is quoted, so that it stays a string.
  test: /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  identify: value => value instanceof Day,
  resolve: text => new Day(text),
  stringify: ({ value }) => value.text,
};
// PyYAML's booleans: yaml's YAML 1.1 also takes y and n for booleans, PyYAML does not.
const PYYAML_BOOLEANS = {
  true: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  false: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
};
const READ = {
  version: '1.1',
  customTags: tags => tags.map(tag => {
    if (tag.tag === DAY.tag) return DAY;
    if (tag.tag === 'tag:yaml.org,2002:bool') {
      const isTrue = tag.identify(true); // the library has one tag for true, one for false
      return { ...tag, test: isTrue ? PYYAML_BOOLEANS.true : PYYAML_BOOLEANS.false };
    }
    return tag;
  }),
};
const WRITE = { lineWidth: 0, flowCollectionPadding: false };

// The file as read travels with the entry's data, under a key no form field has, so that the
// save knows what it was: toFile gets only the data.
export const AS_READ = '__file_as_read';

// `schema` comes from the build (catalogue/admin.py, from the validator's field lists and the
// form's fields): {keys: [field, …], dates: [field, …], items: {field: schema, …}, implied: {field: value}}
// keys: the order of a mapping's fields; dates: its fields that hold a date; items: the schema
// of a field's mapping, or of each mapping of a field's list; implied: a value the form needs
// and the file leaves out (a target without `kind` is a quantity), filled in when read and left
// out when written.
export function taskFormat(schema) {
  return {
    fromFile(text) {
      const document = parseDocument(text, READ);
      if (document.errors.length) {
        throw new Error(document.errors.map(error => error.message).join('\n'));
      }
      const data = document.toJS({ json: true }); // plain values: a Day becomes its text
      if (!isPlainObject(data)) {
        throw new Error('a task file holds one mapping of fields');
      }
      fillImplied(data, schema);
      data[AS_READ] = text;
      return data;
    },

    toFile(entryData) {
      const { [AS_READ]: text, ...data } = entryData;
      const wanted = withoutImplied(cleaned(data), schema) ?? {};
      if (typeof text !== 'string') {
        const fresh = new Document(null, READ);
        fresh.contents = merged(fresh, null, wanted, schema);
        return fresh.toString(WRITE);
      }
      const document = parseDocument(text, READ);
      const asWritten = document.toString(WRITE);
      document.contents = merged(document, document.contents, wanted, schema);
      return keptAsRead(text, asWritten, document.toString(WRITE));
    },
  };
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

// What the form's data means for the file: an emptied field ('' from a text or date input)
// is no value, and a mapping left with no values is none either.
function cleaned(value) {
  if (value === '' || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(cleaned).map(item => (item === undefined ? null : item));
  if (isPlainObject(value)) {
    const kept = Object.entries(value)
      .map(([key, item]) => [key, cleaned(item)])
      .filter(([, item]) => item !== undefined);
    return kept.length ? Object.fromEntries(kept) : undefined;
  }
  return value;
}

function eachMapping(value, visit) {
  if (Array.isArray(value)) value.forEach(item => eachMapping(item, visit));
  else if (isPlainObject(value)) visit(value);
}

function fillImplied(data, schema) {
  if (!isPlainObject(data) || !schema) return;
  for (const [key, implied] of Object.entries(schema.implied ?? {})) {
    if (!(key in data)) data[key] = implied;
  }
  for (const [key, inner] of Object.entries(schema.items ?? {})) {
    eachMapping(data[key], item => fillImplied(item, inner));
  }
}

function withoutImplied(data, schema) {
  if (!isPlainObject(data) || !schema) return data;
  for (const [key, implied] of Object.entries(schema.implied ?? {})) {
    if (data[key] === implied) delete data[key];
  }
  for (const [key, inner] of Object.entries(schema.items ?? {})) {
    eachMapping(data[key], item => withoutImplied(item, inner));
  }
  return data;
}

// Whether a node holds this value, whatever the order of a mapping's fields.
function same(node, value) {
  const current = node == null ? null : typeof node.toJSON === 'function' ? node.toJSON() : node;
  return canonical(current) === canonical(value);
}

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value).sort().map(key => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

// The node that now holds `value`: `node` itself, changed as little as it can be. `day`: the
// value is a date.
function merged(document, node, value, schema, day = false) {
  if (isMap(node) && isPlainObject(value)) {
    mergeMapping(document, node, value, schema);
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    mergeList(document, node, value, schema);
    return node;
  }
  const replacement = created(document, day && typeof value === 'string' ? new Day(value) : value, schema);
  if (isScalar(node) && isScalar(replacement)) {
    if (same(node, value)) return node;
    // The comments around a value stay with the value that replaces it.
    for (const kept of ['comment', 'commentBefore', 'spaceBefore']) {
      if (node[kept] !== undefined) replacement[kept] = node[kept];
    }
  }
  return replacement;
}

function mergeMapping(document, node, value, schema) {
  for (const pair of [...node.items]) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (key in value) continue;
    // A field the file leaves empty (actual: null) stays so while the form has nothing for it.
    if (!(isScalar(pair.value) && pair.value.value === null)) node.delete(key);
  }
  const order = schema?.keys ?? [];
  for (const [key, item] of Object.entries(value)) {
    const inner = schema?.items?.[key];
    const pair = node.items.find(p => (isScalar(p.key) ? p.key.value : p.key) === key);
    const day = schema?.dates?.includes(key) ?? false;
    if (pair) {
      pair.value = merged(document, pair.value, item, inner, day);
      continue;
    }
    const added = document.createPair(key, created(document, day && typeof item === 'string' ? new Day(item) : item, inner));
    // After the nearest field that the format puts before it, else first.
    const rank = order.indexOf(key);
    let at = 0;
    node.items.forEach((p, index) => {
      const other = order.indexOf(isScalar(p.key) ? p.key.value : p.key);
      if (rank === -1 || (other !== -1 && other < rank)) at = index + 1;
    });
    node.items.splice(at, 0, added);
  }
}

function mergeList(document, node, value, schema) {
  // Items the editor removed are dropped where they were, so that the items after them keep
  // their text; what is left is merged item by item, and new items go at the end.
  let removals = node.items.length - value.length;
  for (let index = 0; removals > 0 && index < node.items.length; ) {
    if (index < value.length && same(node.items[index], value[index])) {
      index += 1;
    } else {
      node.items.splice(index, 1);
      removals -= 1;
    }
  }
  node.items.splice(value.length);
  value.forEach((item, index) => {
    node.items[index] = index < node.items.length
      ? merged(document, node.items[index], item, schema)
      : created(document, item, schema);
  });
  // updates: [] that gains an update is written as a block, as lists of mappings are.
  if (node.flow && !node.items.every(isScalar)) node.flow = false;
}

// A new node in the task files' style: fields in the format's order, a list of names on one
// line ([a, b]), a text of several lines as a block (note: |).
function created(document, value, schema) {
  if (value === undefined) value = null;
  const node = document.createNode(ordered(value, schema));
  style(node);
  return node;
}

function ordered(value, schema) {
  if (Array.isArray(value)) return value.map(item => ordered(item, schema));
  if (!isPlainObject(value)) return value;
  const order = schema?.keys ?? [];
  const rank = key => (order.includes(key) ? order.indexOf(key) : order.length);
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b));
  const day = key => schema?.dates?.includes(key) && typeof value[key] === 'string';
  return Object.fromEntries(keys.map(key => [key, day(key) ? new Day(value[key]) : ordered(value[key], schema?.items?.[key])]));
}

function style(node) {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && node.value.includes('\n')) node.type = 'BLOCK_LITERAL';
  } else if (isSeq(node)) {
    node.flow = node.items.every(isScalar);
    node.items.forEach(style);
  } else if (isMap(node)) {
    node.items.forEach(pair => style(pair.value));
  }
}

// The new text with every line the change left alone as the file had it. The YAML library
// writes a file back in its own way where a hand may have written it otherwise (two spaces
// before a comment, four-space indents): `asWritten` is the file as read, written back by
// the library, and `updated` the same with the change. Their lines that are the same are taken
// from the file as read, when the library kept its lines one for one; the result must mean
// what `updated` means, else `updated` is the answer.
function keptAsRead(asRead, asWritten, updated) {
  if (asWritten === asRead) return updated;
  const read = asRead.split('\n');
  const written = asWritten.split('\n');
  if (read.length !== written.length) return updated;
  const lines = [];
  for (const [kind, index] of lineDiff(written, updated.split('\n'))) {
    if (kind === 'same') lines.push(read[index.from]);
    else if (kind === 'added') lines.push(index.line);
  }
  const result = lines.join('\n');
  const meaning = text => canonical(parseDocument(text, READ).toJS({ json: true }));
  try {
    return meaning(result) === meaning(updated) ? result : updated;
  } catch {
    return updated;
  }
}

// The lines of `after` against those of `before`, in order: ['same', {from}] for a line of
// `before` kept, ['removed', {from}], ['added', {line}]. The common head and tail are matched
// first; the rest by the longest common subsequence.
function lineDiff(before, after) {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head += 1;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head
         && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail += 1;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const common = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      common[i][j] = a[i] === b[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const steps = [];
  for (let i = 0; i < head; i += 1) steps.push(['same', { from: i }]);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      steps.push(['same', { from: head + i }]);
      i += 1;
      j += 1;
    } else if (j < b.length && (i === a.length || common[i][j + 1] >= common[i + 1][j])) {
      steps.push(['added', { line: b[j] }]);
      j += 1;
    } else {
      steps.push(['removed', { from: head + i }]);
      i += 1;
    }
  }
  for (let k = before.length - tail; k < before.length; k += 1) steps.push(['same', { from: k }]);
  return steps;
}
