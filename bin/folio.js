#!/usr/bin/env node
// The `folio` command. Runs the compiled core in build/ (made by `npm install` via the
// prepare script, or `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../build/app/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('folio: the build is missing; run `npm install` (or `npm run build`) in the Folio folder first\n');
  process.exit(2);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv);
