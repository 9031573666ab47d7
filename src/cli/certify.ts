/** The certification bundle on the command line: what `run --bundle` prints, and `verify`. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleInputError, loadPublicKey } from '../bundle/inputs.ts';
import { TarError } from '../bundle/tar.ts';
import { verifyBundle } from '../bundle/verify.ts';
import type { BundleOutcome } from '../bundle/write.ts';
import { InputError } from './flags.ts';
import { out } from './output.ts';

/** Lines for the end of `run --bundle`: where the bundle is and which key signed it. */
export function describeBundle(bundle: BundleOutcome): string {
  const where = `bundle: ${path.relative(process.cwd(), bundle.file)} (${bundle.files} report files, signed with Ed25519)`;
  if (!bundle.generatedKey) return `${where}\nsigning key fingerprint: ${bundle.fingerprint}\n`;
  return (
    `${where}\n` +
    `signed with a fresh key (no --signing-key); give the certifier this public key, or its fingerprint, to pin:\n` +
    `${bundle.publicKeyPem.trimEnd()}\nfingerprint: ${bundle.fingerprint}\n`
  );
}

const MARKS = { pass: '✓', fail: '✗', info: '·' } as const;

/** `verify BUNDLE [--public-key PEM]`: 0 the bundle verifies, 1 it does not, 2 it cannot be read. */
export async function verifyCommand(flags: { publicKey?: string }, file: string): Promise<number> {
  let archive: Buffer;
  try {
    archive = await readFile(file);
  } catch (error) {
    throw new InputError(
      `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    const key = flags.publicKey === undefined ? undefined : await loadPublicKey(flags.publicKey);
    const { ok, checks } = await verifyBundle(archive, key);
    out(`bundle: ${file}\n`);
    for (const check of checks) out(`${MARKS[check.outcome]} ${check.text}\n`);
    const failed = checks.filter((check) => check.outcome === 'fail').length;
    out(
      ok
        ? 'result: the bundle verifies (exit 0)\n'
        : `result: the bundle does not verify (exit 1): ${failed} check${failed === 1 ? '' : 's'} failed\n`,
    );
    return ok ? 0 : 1;
  } catch (error) {
    if (error instanceof TarError) throw new InputError(`${file}: not a readable bundle: ${error.message}`);
    if (error instanceof BundleInputError) throw new InputError(error.message);
    throw error;
  }
}
