/**
 * Proof that a run talks to nothing but loopback: runs the harness under `strace -f` (every process
 * it starts: workers, client processes, Chromium and its network service) and reads every connect()
 * and every call that sends data on a socket. It fails (exit 1) on
 * - a connect() to any address outside 127.0.0.0/8 and ::1 but Chromium's IPv6 route lookup (below);
 * - any data sent (send, sendto, sendmsg, sendmmsg, write, writev) on a socket whose peer or
 *   destination is outside loopback.
 *
 * Chromium's host resolver connects a UDP socket to 2001:4860:4860::8888 port 443 before it resolves
 * any host, an IP literal such as 127.0.0.1 included, at most once a second
 * (`HostResolverManager::StartIPv6ReachabilityCheck`), to read which local address the kernel would
 * use for IPv6. Connecting a UDP socket sends nothing (udp(7): it only sets the default destination);
 * upstream Chromium has no switch for the probe (`EnableIPv6ReachabilityOverride` only ignores its
 * result), so the check counts those route lookups, and fails if a single byte is sent on them.
 *
 *   node scripts/check-loopback-only.ts [run flags…]   (default: --client ui on windows 4.7)
 *
 * Needs strace (apt-get install strace) and permission to ptrace (root, or ptrace_scope 0).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'connector-conformance.js');
const DEFAULT_RUN = ['--client', 'ui', '--platform', 'windows', '--client-version', '4.7'];
/** Where Chromium's resolver connects its IPv6 probe (kIPv6ProbeAddress, Google Public DNS). */
const CHROMIUM_IPV6_PROBE = '2001:4860:4860::8888';
const SEND_CALLS = new Set(['send', 'sendto', 'sendmsg', 'sendmmsg', 'write', 'writev']);

/** 127.0.0.0/8, ::1, and 127.0.0.0/8 mapped into IPv6. */
export function isLoopback(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export interface Finding {
  kind: 'violation' | 'route-lookup';
  line: string;
}

/** What one line of `strace -f -yy` output shows, if it is a connect or a send on an Internet socket. */
export function classify(line: string): Finding | undefined {
  // The annotation holds no '>' but in its '->'.
  const call = /^(?:\d+\s+)?(\w+)\((\d+)<((?:->|[^>])*)>/.exec(line);
  if (call === null) return undefined;
  const [, name = '', , socket = ''] = call;
  const protocol = /^(TCP|UDP|UDPLITE|RAW)(v6)?:/.exec(socket)?.[1];
  if (protocol === undefined) return undefined; // Unix sockets, netlink, files, pipes
  const destination = explicitDestination(line) ?? peerOf(socket);
  if (destination === undefined || isLoopback(destination)) return undefined;
  if (name === 'connect') {
    const probe = protocol === 'UDP' && destination === CHROMIUM_IPV6_PROBE;
    return { kind: probe ? 'route-lookup' : 'violation', line };
  }
  return SEND_CALLS.has(name) ? { kind: 'violation', line } : undefined;
}

/** The address a connect() or sendto() names: inet_addr("…") or inet_pton(AF_INET6, "…"). */
function explicitDestination(line: string): string | undefined {
  return (/inet_addr\("([^"]+)"\)/.exec(line) ?? /inet_pton\(AF_INET6, "([^"]+)"/.exec(line))?.[1];
}

/** The peer of a connected socket as -yy shows it: `TCP:[127.0.0.1:1->127.0.0.1:2]`, `UDPv6:[[::1]:1->[::1]:2]`. */
function peerOf(socket: string): string | undefined {
  return /->(\[[^\]]+\]|[^:\]]+):\d+\]?$/.exec(socket)?.[1];
}

async function main(args: string[]): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loopback-only-'));
  const trace = path.join(dir, 'strace.log');
  const run = args.length > 0 ? args : DEFAULT_RUN;
  const started = Date.now();
  const result = spawnSync(
    'strace',
    [
      '-f',
      '-qq',
      '-yy',
      '-e',
      'trace=connect,sendto,sendmsg,sendmmsg,write,writev',
      '-o',
      trace,
      process.execPath,
      BIN,
      'run',
      '--report-dir',
      path.join(dir, 'reports'),
      '--no-color',
      ...run,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (result.error !== undefined) {
    process.stderr.write(
      `check-loopback-only: cannot start strace (${result.error.message}); apt-get install strace\n`,
    );
    return 2;
  }
  const lines = (await readFile(trace, 'utf8').catch(() => '')).split('\n');
  if (lines.length < 10) {
    process.stderr.write(`check-loopback-only: strace traced nothing (is ptrace allowed here?)\n`);
    return 2;
  }
  const findings = lines.map(classify).filter((finding) => finding !== undefined);
  const violations = findings.filter((finding) => finding.kind === 'violation');
  const lookups = findings.filter((finding) => finding.kind === 'route-lookup');
  const connects = lines.filter((line) => /\bconnect\(\d+<(TCP|UDP)/.test(line)).length;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `run ${run.join(' ')}: exit ${result.status}, ${seconds} s under strace\n` +
      `${connects} connect() calls on Internet sockets, ${lines.length} traced calls in all\n` +
      `${lookups.length} UDP route lookups outside loopback (no data sent on them): ` +
      `${[...new Set(lookups.map((lookup) => explicitDestination(lookup.line)))].join(', ') || 'none'}\n` +
      `${violations.length} connection(s) or send(s) outside 127.0.0.0/8 and ::1\n`,
  );
  for (const violation of violations.slice(0, 20)) process.stdout.write(`  ${violation.line}\n`);
  await rm(dir, { recursive: true, force: true });
  return violations.length === 0 && result.status === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
