/** The commands README.md and docs/ tell people to type exist: this package's, and the tools it installs. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { createProgram } from '../src/cli/program.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';

async function documents(): Promise<string[]> {
  const docs = (await readdir(path.join(PACKAGE_ROOT, 'docs'))).filter((file) => file.endsWith('.md'));
  return ['README.md', ...docs.map((file) => path.join('docs', file))];
}

test('every `npx NAME COMMAND` is an installed tool, and every connector-conformance command is one', async () => {
  const commands = [...createProgram(() => {}).commands.map((command) => command.name()), 'help'];
  let seen = 0;
  for (const file of await documents()) {
    const text = await readFile(path.join(PACKAGE_ROOT, file), 'utf8');
    for (const [, tool, command] of text.matchAll(/npx ([a-z][\w-]*)(?: ([a-z][\w-]*))?/g)) {
      seen += 1;
      if (tool === 'connector-conformance') {
        assert.ok(commands.includes(command ?? ''), `${file}: connector-conformance ${command}`);
      } else {
        assert.ok(
          existsSync(path.join(PACKAGE_ROOT, 'node_modules', '.bin', tool ?? '')),
          `${file}: npx ${tool}`,
        );
      }
    }
  }
  assert.ok(seen > 10, `${seen} commands`);
});

test("the trace viewer README names is playwright-core's show-trace", async () => {
  const readme = await readFile(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes('`npx playwright-core show-trace FILE`'));
  const bin = path.join(PACKAGE_ROOT, 'node_modules', '.bin', 'playwright-core');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'show-trace', '--help']);
  assert.match(stdout, /show trace viewer/);
});
