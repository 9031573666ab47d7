#!/usr/bin/env node
// Plain JavaScript that any Node.js runs, so that it can say which one it needs. From the clone it runs
// the TypeScript sources (Node strips their types); installed, the compiled dist/ (Node does not strip
// types under node_modules, and the package ships no sources).
import { existsSync } from 'node:fs';
import module from 'node:module';

const [major, minor] = process.versions.node.split('.').map(Number);
// What the dependencies need: Cucumber 22, 24 or 26+; testcontainers and msw 22.12+, some 22.22+.
if (!(major === 22 ? minor >= 22 : major === 24 || major >= 26)) {
  process.stderr.write(
    `connector-conformance: needs Node.js 22.22 or later (22.x, 24.x or 26+); this is Node.js ${process.versions.node}\n`,
  );
  process.exit(2);
}

// V8's compiled code of every module, kept on disk between runs (Node 22.1+; a no-op where it cannot).
module.enableCompileCache?.();

const sources = existsSync(new URL('../src/cli/main.ts', import.meta.url));
const code = (file) =>
  new URL(`../${sources ? '' : 'dist/'}src/cli/${file}${sources ? '.ts' : '.js'}`, import.meta.url);
const argv = process.argv.slice(2);
// main.ts loads only the declaration of the commands; each command loads its own modules.
const main = (args) => import(code('main')).then((cli) => cli.main(args));

main(argv).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error) => {
    process.stderr.write(`connector-conformance: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
