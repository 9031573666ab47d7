/**
 * Compiles the package for installing: TypeScript 7's tsc emits dist/ (JavaScript, declarations, the
 * JSON the code imports) with the `.ts` import specifiers rewritten to `.js`; the other files the code
 * reads beside itself (the page's CSS and script, the web UI's script) are copied after it. `npm pack`
 * runs it (prepack). The clone itself runs its sources and never needs dist/.
 */
import { spawnSync } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/package-layout.ts';

const CODE_FOLDERS = ['src', 'steps', 'client', 'mocks'];
const dist = path.join(PACKAGE_ROOT, 'dist');

await rm(dist, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [path.join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  { cwd: PACKAGE_ROOT, stdio: 'inherit' },
);
if (tsc.status !== 0) {
  process.stderr.write('build: tsc failed\n');
  process.exit(1);
}
for (const folder of CODE_FOLDERS) {
  await cp(path.join(PACKAGE_ROOT, folder), path.join(dist, folder), {
    recursive: true,
    filter: (source) => !source.endsWith('.ts'),
  });
}
process.stdout.write(`build: ${path.relative(process.cwd(), dist) || '.'} written\n`);
