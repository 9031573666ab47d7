/**
 * `connector-conformance verify BUNDLE`: is the bundle as its signer made it, and was it made by a
 * published suite? Checks the signature over manifest.json, every file against its SHA-256 in the
 * manifest (and that no file was added or removed), and the suite digest against suite-versions.json.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  fingerprint,
  MANIFEST,
  type Manifest,
  PUBLIC_KEY,
  parseManifest,
  SIGNATURE,
  sha256,
} from './manifest.ts';
import { KNOWN_SUITE_VERSIONS, suiteVersionOf } from './suite.ts';
import { readTar } from './tar.ts';

export interface Check {
  /** `info` tells what the bundle is about; it neither passes nor fails. */
  outcome: 'pass' | 'fail' | 'info';
  text: string;
}

export interface Verification {
  ok: boolean;
  checks: Check[];
}

const pass = (text: string): Check => ({ outcome: 'pass', text });
const fail = (text: string): Check => ({ outcome: 'fail', text });
const info = (text: string): Check => ({ outcome: 'info', text });

/** Throws TarError when `archive` is not a readable archive; anything else is a check that fails. */
export async function verifyBundle(archive: Buffer, givenKey?: KeyObject): Promise<Verification> {
  const entries = await readTar(archive);
  const files = new Map<string, Buffer>();
  const checks: Check[] = [];
  for (const entry of entries) {
    if (files.has(entry.name)) checks.push(fail(`${entry.name}: appears twice in the bundle`));
    files.set(entry.name, entry.data);
  }
  const manifestBytes = files.get(MANIFEST);
  if (manifestBytes === undefined) {
    checks.push(fail(`${MANIFEST}: missing; this is not a certification bundle`));
    return done(checks);
  }
  checks.push(signatureCheck(manifestBytes, files, givenKey));
  const manifest = parseManifest(manifestBytes);
  if (typeof manifest === 'string') {
    checks.push(fail(`${MANIFEST}: ${manifest}`));
    return done(checks);
  }
  checks.unshift(...about(manifest));
  checks.push(...fileChecks(manifest, files), suiteCheck(manifest));
  return done(checks);
}

function done(checks: Check[]): Verification {
  return { ok: checks.every((check) => check.outcome !== 'fail'), checks };
}

function about(manifest: Manifest): Check[] {
  const product = manifest.product;
  const targets = manifest.run.targets.map((t) => `${t.platform} ${t.clientVersion}`).join(', ');
  return [
    info(
      product === null
        ? `product: not declared (the run had no --product); client ${manifest.client.name}`
        : `product: ${product.vendor} ${product.product} ${product.version}, build ${product.build}`,
    ),
    info(`run: ${targets}, exit code ${manifest.run.exitCode}, ${manifest.run.finishedAt}`),
    info(
      `environment: ${manifest.environment.harness}, Node.js ${manifest.environment.node}, ${manifest.environment.os}` +
        (manifest.environment.browser === null ? '' : `, ${manifest.environment.browser}`),
    ),
  ];
}

function signatureCheck(
  manifestBytes: Buffer,
  files: Map<string, Buffer>,
  givenKey: KeyObject | undefined,
): Check {
  const signatureText = files.get(SIGNATURE)?.toString('utf8').trim();
  if (signatureText === undefined) return fail(`signature: the bundle has no ${SIGNATURE} file`);
  let embedded: KeyObject | undefined;
  try {
    const pem = files.get(PUBLIC_KEY);
    embedded = pem === undefined ? undefined : createPublicKey(pem);
  } catch {
    embedded = undefined;
  }
  const key = givenKey ?? embedded;
  if (key === undefined) {
    return fail(
      `signature: the bundle carries no readable ${PUBLIC_KEY}; give the signer's key with --public-key`,
    );
  }
  let valid: boolean;
  try {
    valid = verify(null, manifestBytes, key, Buffer.from(signatureText, 'base64'));
  } catch {
    valid = false;
  }
  const whose =
    givenKey === undefined
      ? `the key the bundle carries (${fingerprint(key)})`
      : `the key given with --public-key (${fingerprint(key)})`;
  if (valid && givenKey !== undefined) return pass(`signature: valid, by ${whose}`);
  if (valid) {
    return pass(
      `signature: valid, by ${whose}; this shows the files are as its holder signed them: compare the fingerprint with the one the vendor published, or verify with --public-key`,
    );
  }
  const other =
    givenKey !== undefined && embedded !== undefined && fingerprint(embedded) !== fingerprint(givenKey)
      ? `; the bundle carries another key (${fingerprint(embedded)})`
      : '';
  return fail(`signature: manifest.json is not signed by ${whose}${other}`);
}

function fileChecks(manifest: Manifest, files: Map<string, Buffer>): Check[] {
  const checks: Check[] = [];
  const listed = new Set<string>();
  for (const file of manifest.files) {
    listed.add(file.path);
    const data = files.get(file.path);
    if (data === undefined)
      checks.push(fail(`${file.path}: listed in the manifest, missing from the bundle`));
    else if (sha256(data) !== file.sha256) {
      checks.push(
        fail(`${file.path}: its contents differ from the SHA-256 in the manifest (changed after signing)`),
      );
    }
  }
  for (const name of files.keys()) {
    if (!listed.has(name) && name !== MANIFEST && name !== SIGNATURE && name !== PUBLIC_KEY) {
      checks.push(fail(`${name}: in the bundle, not in the manifest (added after signing)`));
    }
  }
  if (checks.length === 0)
    checks.push(pass(`files: all ${manifest.files.length} match their SHA-256 in the manifest`));
  return checks;
}

function suiteCheck(manifest: Manifest): Check {
  const { name, version, sha256: digest } = manifest.suite;
  const short = `${digest.slice(0, 12)}…`;
  const known = suiteVersionOf(digest);
  if (known === version)
    return pass(`suite: ${name} ${version}, digest ${short} is that version's published digest`);
  if (known !== undefined) {
    return fail(
      `suite: the digest ${short} is that of suite version ${known}, but the manifest says ${version}`,
    );
  }
  return fail(
    `suite: the digest ${short} is not the published digest of any suite version (known: ${Object.keys(KNOWN_SUITE_VERSIONS).join(', ')}); its features, catalog or fixtures were changed`,
  );
}
