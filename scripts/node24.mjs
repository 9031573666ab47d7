#!/usr/bin/env node
// Runs `node <args>` on a Node.js this project runs on (22.22 or later, which strips TypeScript types).
// On an older Node (Debian's 20, say) it fetches Node 24 from the npm registry once (`npx -p node@24`)
// and runs there.
// Plain JavaScript on purpose: it must run on the old Node too.
import { spawnSync } from 'node:child_process';

const [major, minor] = process.versions.node.split('.').map(Number);
const recent = major > 22 || (major === 22 && minor >= 22);
const args = process.argv.slice(2);
const result = recent
  ? spawnSync(process.execPath, args, { stdio: 'inherit' })
  : spawnSync('npx', ['--yes', '--package=node@24', '--', 'node', ...args], { stdio: 'inherit' });
if (result.error) {
  process.stderr.write(`node24: could not start Node.js: ${result.error.message}\n`);
  process.exit(2);
}
process.exit(result.status ?? 2);
