/**
 * `connector-conformance install-deps`: what the harness needs from the machine besides Node.js and
 * its npm dependencies, installed where it is missing, as `npx playwright install --with-deps` does for
 * Playwright. No browser is downloaded: Debian's packages, through apt-get:
 * - chromium and chromium-headless-shell: the ui driver and the browser user agent;
 * - chromium-driver: ChromeDriver, a W3C WebDriver server;
 * - docker.io and docker-compose: `--client image:` and the container tests; a Docker engine is
 *   started (dockerd, host networking only) where none answers.
 * The test command runs it first, so a fresh machine needs nothing else.
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, openSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { HEADLESS_SHELLS, SYSTEM_CHROMIUMS } from '../browser/chromium.ts';

const exec = promisify(execFile);

/** Where Debian puts dockerd, besides PATH. */
const SYSTEM_BIN = ['/usr/sbin', '/sbin', '/usr/bin', '/usr/local/bin'];

interface Need {
  /** What it is for, in a line of output. */
  what: string;
  /** Debian's packages that bring it. */
  packages: string[];
  present(): boolean;
  /** Part of the Docker set (left out with `docker: false`). */
  docker?: boolean;
}

const NEEDS: readonly Need[] = [
  {
    what: 'Chromium',
    packages: ['chromium'],
    present: () => process.env.CHROMIUM_PATH !== undefined || SYSTEM_CHROMIUMS.some(existsSync),
  },
  {
    what: "Chromium's headless shell",
    packages: ['chromium-headless-shell'],
    present: () => process.env.CHROMIUM_PATH !== undefined || HEADLESS_SHELLS.some(existsSync),
  },
  { what: 'ChromeDriver', packages: ['chromium-driver'], present: () => onPath('chromedriver') },
  {
    what: 'the Docker engine',
    packages: ['docker.io'],
    present: () => onPath('dockerd') && onPath('docker'),
    docker: true,
  },
  {
    what: 'docker-compose',
    packages: ['docker-compose'],
    present: () => onPath('docker-compose'),
    docker: true,
  },
];

export interface InstallDepsOptions {
  /** Only say what is missing (exit 1 when anything is), install and start nothing. */
  check?: boolean;
  /** Include Docker (default): its packages, and a started engine. */
  docker?: boolean;
  /** Where progress goes. */
  log?: (line: string) => void;
}

/** Installs what is missing and starts a Docker engine where none answers; returns the exit code. */
export async function installDeps(options: InstallDepsOptions = {}): Promise<number> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const wanted = NEEDS.filter((need) => options.docker !== false || !need.docker);
  const missing = wanted.filter((need) => !need.present());
  const packages = missing.flatMap((need) => need.packages);
  if (options.check) {
    for (const need of wanted)
      log(`${need.present() ? 'present' : 'missing'}: ${need.what} (${need.packages.join(', ')})`);
    const engine = options.docker === false || (await engineAnswers()) ? [] : ['no Docker engine answers'];
    for (const line of engine) log(`missing: ${line}`);
    return missing.length === 0 && engine.length === 0 ? 0 : 1;
  }
  if (packages.length > 0) {
    log(`install-deps: installing Debian's ${packages.join(', ')}`);
    await aptInstall(packages);
  }
  if (options.docker !== false && !(await engineAnswers())) {
    if (process.env.DOCKER_HOST) {
      throw new SetupError(
        `no Docker engine answers at DOCKER_HOST=${process.env.DOCKER_HOST}; start it there`,
      );
    }
    log('install-deps: starting dockerd (host networking only)');
    await startDockerd();
  }
  log('install-deps: everything the harness needs from the machine is here');
  return 0;
}

/** The machine could not be set up; the message is one line saying what to do. */
export class SetupError extends Error {
  override name = 'SetupError';
}

async function aptInstall(packages: string[]): Promise<void> {
  if (!onPath('apt-get')) {
    throw new SetupError(
      `no apt-get on this machine: install ${packages.join(', ')} (or their equivalents) yourself`,
    );
  }
  const root = process.getuid?.() === 0;
  if (!root && !onPath('sudo')) {
    throw new SetupError(`not root and no sudo: run as root apt-get install ${packages.join(' ')}`);
  }
  const run = (args: string[]) =>
    exec(root ? 'apt-get' : 'sudo', root ? args : ['-n', 'apt-get', ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    });
  try {
    await run(['update', '-qq']);
    await run(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '')
      .trim()
      .split('\n')
      .at(-1);
    throw new SetupError(
      `apt-get install ${packages.join(' ')} failed: ${stderr || (error as Error).message}`,
    );
  }
}

async function engineAnswers(): Promise<boolean> {
  if (!onPath('docker')) return false;
  try {
    await exec('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/** dockerd in the background, for as long as the machine runs; waits until it answers. */
async function startDockerd(): Promise<void> {
  const dockerd = findOnPath('dockerd');
  if (dockerd === undefined) throw new SetupError('dockerd is not installed (Debian package docker.io)');
  const logDir = path.join(homedir(), '.cache', 'connector-conformance');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, 'dockerd.log');
  const output = openSync(logFile, 'a');
  // No bridge and no iptables rules: containers use host networking, and only loopback is reached.
  const child = spawn(dockerd, ['--bridge=none', '--iptables=false'], {
    detached: true,
    stdio: ['ignore', output, output],
  });
  child.unref();
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  while (!(await engineAnswers())) {
    if (exited || Date.now() > deadline) {
      throw new SetupError(
        `dockerd did not start (${exited ? 'it exited' : 'no answer in 60 s'}); see ${logFile}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function findOnPath(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...SYSTEM_BIN];
  for (const dir of dirs) {
    const file = path.join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return undefined;
}

function onPath(command: string): boolean {
  return findOnPath(command) !== undefined;
}
