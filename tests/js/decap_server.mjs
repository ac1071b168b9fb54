// Decap CMS's local backend, the npm package decap-server, for the editor form's browser test:
//   node tests/js/decap_server.mjs REPOSITORY [git]
// serves REPOSITORY's files to the form on a free port of 127.0.0.1 (decap-server's own entry
// point takes a fixed port), prints the port, and serves until it is stopped. A save writes the
// file; with `git`, REPOSITORY must be a git repository and a save is a branch (the editorial
// workflow, as on GitHub, less the pull request).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { registerLocalFs, registerLocalGit } = require('decap-server/dist/middlewares.js');
const express = createRequire(require.resolve('decap-server/package.json'))('express');

process.env.GIT_REPO_DIRECTORY = process.argv[2];
const app = express();
await (process.argv[3] === 'git' ? registerLocalGit : registerLocalFs)(app, { logLevel: 'warn' });
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
