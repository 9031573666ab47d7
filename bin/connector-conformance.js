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

/** How long the process may stay alive after its command has ended, before it is ended anyway. */
const DRAIN_MS = 10_000;

/**
 * Ends with `exitCode` once nothing is left to do. Every command resolves once its work is over (a
 * served client or world once it was stopped), so whatever still holds the event loop then was left
 * open by mistake; it must not keep a CI job, or whoever waits for the exit code, waiting.
 */
function end(exitCode) {
  process.exitCode = exitCode;
  setTimeout(() => {
    const open = process.getActiveResourcesInfo().join(', ') || 'none Node can name';
    process.stderr.write(
      `connector-conformance: the command ended ${DRAIN_MS / 1000} s ago but left handles open (${open}); exiting with ${exitCode} anyway (a harness bug: please report it)\n`,
    );
    process.exit(exitCode);
  }, DRAIN_MS).unref();
}

main(argv).then(end, (error) => {
  process.stderr.write(`connector-conformance: internal error: ${error?.stack ?? error}\n`);
  end(2);
});
