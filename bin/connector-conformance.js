#!/usr/bin/env node
// Runs on Node 24's own TypeScript type stripping: no build step.
const argv = process.argv.slice(2);
// main.ts loads only the declaration of the commands; each command loads its own modules.
const main = (args) => import('../src/cli/main.ts').then((cli) => cli.main(args));

main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`connector-conformance: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
