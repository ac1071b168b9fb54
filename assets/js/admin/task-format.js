// The editor form's file format for task files: a save changes only the values the editor
// changed. Decap CMS would write the whole file again from its data (block lists for [a, b],
// no comments, lines folded at 80 columns), so that a one-field edit rewrote half the file.
// Here each file is kept as read, and the new data is laid over the parsed document: unchanged
// values keep their text, quoting and comments; a changed value is replaced in place; a new one
// is put where the task file format orders it.
import { Document, isMap, isScalar, isSeq, parseDocument } from '../../vendor/yaml/index.js';

// PyYAML reads task files as YAML 1.1, so strings that 1.1 would take for something else
// (yes, 1:30, 0777) are quoted when written. Dates stay text here, as the form's date fields
// hold them, and are written plain, so that PyYAML reads them as dates again.
const READ = {
  version: '1.1',
  customTags: tags => tags.filter(tag => tag.tag !== 'tag:yaml.org,2002:timestamp'),
};
const WRITE = { lineWidth: 0, flowCollectionPadding: false };

// The file as read travels with the entry's data, under a key no form field has, so that the
// save knows what it was: toFile gets only the data.
export const AS_READ = '__file_as_read';

// `schema` comes from the build (catalogue/admin.py, from the validator's field lists):
//   {keys: [field, …], items: {field: schema, …}, implied: {field: value}}
// keys: the order of a mapping's fields; items: the schema of a field's mapping, or of each
// mapping of a field's list; implied: a value the form needs and the file leaves out (a target
// without `kind` is a quantity), filled in when read and left out when written.
export function taskFormat(schema) {
  return {
    fromFile(text) {
      const document = parseDocument(text, READ);
      if (document.errors.length) {
        throw new Error(document.errors.map(error => error.message).join('\n'));
      }
      const data = document.toJS();
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
      const document = typeof text === 'string' ? parseDocument(text, READ) : new Document(null, READ);
      document.contents = merged(document, document.contents, wanted, schema);
      return document.toString(WRITE);
    },
  };
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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

function same(node, value) {
  const current = node == null ? null : typeof node.toJSON === 'function' ? node.toJSON() : node;
  return JSON.stringify(current) === JSON.stringify(value);
}

// The node that now holds `value`: `node` itself, changed as little as it can be.
function merged(document, node, value, schema) {
  if (isMap(node) && isPlainObject(value)) {
    mergeMapping(document, node, value, schema);
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    mergeList(document, node, value, schema);
    return node;
  }
  if (isScalar(node) && !isPlainObject(value) && !Array.isArray(value)) {
    if (same(node, value)) return node;
  }
  return created(document, value, schema);
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
    if (pair) {
      pair.value = merged(document, pair.value, item, inner);
      continue;
    }
    const added = document.createPair(key, created(document, item, inner));
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
  return Object.fromEntries(keys.map(key => [key, ordered(value[key], schema?.items?.[key])]));
}

function style(node) {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && node.value.includes('\n')) node.type = 'BLOCK_LITERAL';
  } else if (isSeq(node)) {
    node.flow = node.items.length > 0 && node.items.every(isScalar);
    node.items.forEach(style);
  } else if (isMap(node)) {
    node.items.forEach(pair => style(pair.value));
  }
}
