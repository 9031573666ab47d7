/**
 * `env up` under load: does its memory stay flat? Starts `connector-conformance env up` and drives
 * its policy API with autocannon on 127.0.0.1 in rounds (one-megabyte bodies, which it refuses with
 * 413, and reads of an enrolled device, which it records), reading the server's resident memory after
 * each round. Enrolments are left out: each enrolled device is state the service must keep.
 * Usage: node scripts/bench-env-soak.ts [--rounds N] [--seconds S]; prints a Markdown table.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { BIN } from '../test/support/cli.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '6' }, seconds: { type: 'string', default: '10' } },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);

const server = spawn(process.execPath, [BIN, 'env', 'up'], { stdio: ['ignore', 'pipe', 'inherit'] });
const policyApi = await new Promise<string>((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`env up exited (${code})`)));
  createInterface({ input: server.stdout }).on('line', (line) => {
    if (line.startsWith('{')) resolve((JSON.parse(line) as { policyApi: string }).policyApi);
  });
});

async function residentMb(): Promise<number> {
  const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

const megabyte = JSON.stringify({
  username: 'x'.repeat(1024 * 1024),
  platform: 'windows',
  clientVersion: '4.7',
});
const enrolled = await fetch(`${policyApi}/zcc/api/v1/devices`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'alice@acme.example', platform: 'windows', clientVersion: '4.7' }),
});
const { deviceToken } = (await enrolled.json()) as { deviceToken: string };
const rows = [
  `| round | requests | 413 | 2xx | resident memory after |`,
  '| ---: | ---: | ---: | ---: | ---: |',
];
rows.push(`| before | | | | ${(await residentMb()).toFixed(0)} MB |`);
try {
  for (let round = 1; round <= rounds; round++) {
    const result = await autocannon({
      url: policyApi,
      connections: 8,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/zcc/api/v1/devices',
          headers: { 'content-type': 'application/json' },
          body: megabyte,
        },
        {
          method: 'GET',
          path: '/zcc/api/v1/devices/current',
          headers: { authorization: `Bearer ${deviceToken}` },
        },
      ],
    });
    const tooLarge = result.statusCodeStats?.['413']?.count ?? 0;
    rows.push(
      `| ${round} | ${result.requests.total} | ${tooLarge} | ${result['2xx']} | ${(await residentMb()).toFixed(0)} MB |`,
    );
  }
} finally {
  server.kill('SIGTERM');
}
console.log(rows.join('\n'));
