#!/usr/bin/env node
// Runs on Node 24's own TypeScript type stripping: no build step.
import { main } from '../src/cli/main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`connector-conformance: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
