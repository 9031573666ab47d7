#!/usr/bin/env node
// Runs on Node 24's own TypeScript type stripping: no build step.
const argv = process.argv.slice(2);
// serve-client is started once per worker: it skips loading the run's machinery (Cucumber).
const main =
  argv[0] === 'serve-client'
    ? (args) => import('../src/cli/serve-client.ts').then((cli) => cli.serveClientCommand(args.slice(1)))
    : (args) => import('../src/cli/main.ts').then((cli) => cli.main(args));

main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`connector-conformance: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
