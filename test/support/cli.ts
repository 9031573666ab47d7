/** The command line as a user runs it: a child process, its exit code and output. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../src/package-layout.ts';

export const BIN = path.join(PACKAGE_ROOT, 'bin', 'connector-conformance.js');

export async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
  /** Kill the command after this long (its code is then null), for a test of a command that must end. */
  timeoutMs?: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      ...(cwd === undefined ? {} : { cwd }),
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs, killSignal: 'SIGKILL' }),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export const tempDir = (prefix: string) => mkdtemp(path.join(tmpdir(), prefix));

/**
 * A copy of the bundled fixtures in a fresh folder (named from `prefix`) whose Globex partner-login
 * mode is one the schema refuses ("everyone"): a fixture error the run must name in one line.
 */
export async function brokenFixtures(prefix: string): Promise<string> {
  const fixtures = await tempDir(prefix);
  await cp(path.join(PACKAGE_ROOT, 'fixtures'), fixtures, { recursive: true });
  const globex = path.join(fixtures, 'organisations', 'globex.yaml');
  await writeFile(globex, (await readFile(globex, 'utf8')).replace('mode: all-tenants', 'mode: everyone'));
  return fixtures;
}
