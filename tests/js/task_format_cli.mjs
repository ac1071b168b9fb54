// Lets the Python tests drive the editor form's task file format (assets/js/admin/task-format.js):
//   node tests/js/task_format_cli.mjs < {"schema": …, "calls": [["read", text], ["write", data], …]}
// prints a JSON list with each call's result: the data fromFile makes of a file's text, or the
// text toFile makes of data; {"error": message} for a call that throws.
import { readFileSync } from 'node:fs';
import { taskFormat } from '../../assets/js/admin/task-format.js';

// What fromFile gives Decap must be plain data (Decap keeps it in Immutable maps, and JSON
// would hide an object that only turns into text when stringified).
function plain(value, path = 'data') {
  if (Array.isArray(value)) value.forEach((item, index) => plain(item, `${path}[${index}]`));
  else if (value !== null && typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype) throw new Error(`${path} is not plain data`);
    Object.entries(value).forEach(([key, item]) => plain(item, `${path}.${key}`));
  }
  return value;
}

const { schema, calls } = JSON.parse(readFileSync(0, 'utf8'));
const format = taskFormat(schema);
const results = calls.map(([operation, argument]) => {
  try {
    return operation === 'read' ? plain(format.fromFile(argument)) : format.toFile(argument);
  } catch (error) {
    return { error: error.message };
  }
});
process.stdout.write(JSON.stringify(results));
