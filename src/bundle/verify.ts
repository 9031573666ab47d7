/**
 * `connector-conformance verify BUNDLE`: is the bundle as its signer made it, and was it made by a
 * published suite? Checks the envelope's signature over the manifest (DSSE, Ed25519), every file
 * against its SHA-256 among the manifest's subjects (and that no file was added or removed), and the
 * suite digest against suite-versions.json.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { type Envelope, parseEnvelope, signedBy } from './dsse.ts';
import { ENVELOPE, fingerprint, type Manifest, PUBLIC_KEY, parseManifest, sha256 } from './manifest.ts';
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
  const envelopeBytes = files.get(ENVELOPE);
  if (envelopeBytes === undefined) {
    checks.push(fail(`${ENVELOPE}: missing; this is not a certification bundle`));
    return done(checks);
  }
  const envelope = parseEnvelope(envelopeBytes);
  if (typeof envelope === 'string') {
    checks.push(fail(`${ENVELOPE}: ${envelope}`));
    return done(checks);
  }
  checks.push(signatureCheck(envelope, files, givenKey));
  const manifest = parseManifest(envelope);
  if (typeof manifest === 'string') {
    checks.push(fail(`${ENVELOPE}: ${manifest}`));
    return done(checks);
  }
  checks.unshift(...about(manifest));
  checks.push(...fileChecks(manifest, files), suiteCheck(manifest));
  return done(checks);
}

function done(checks: Check[]): Verification {
  return { ok: checks.every((check) => check.outcome !== 'fail'), checks };
}

function about({ predicate }: Manifest): Check[] {
  const product = predicate.product;
  const targets = predicate.run.targets.map((t) => `${t.platform} ${t.clientVersion}`).join(', ');
  return [
    info(
      product === null
        ? `product: not declared (the run had no --product); client ${predicate.client.name}`
        : `product: ${product.vendor} ${product.product} ${product.version}, build ${product.build}`,
    ),
    info(`run: ${targets}, exit code ${predicate.run.exitCode}, ${predicate.run.finishedAt}`),
    info(
      `environment: ${predicate.environment.harness}, Node.js ${predicate.environment.node}, ${predicate.environment.os}` +
        (predicate.environment.browser === null ? '' : `, ${predicate.environment.browser}`),
    ),
  ];
}

function signatureCheck(
  envelope: Envelope,
  files: Map<string, Buffer>,
  givenKey: KeyObject | undefined,
): Check {
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
  const valid = signedBy(envelope, key);
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
  return fail(`signature: the manifest in ${ENVELOPE} is not signed by ${whose}${other}`);
}

function fileChecks(manifest: Manifest, files: Map<string, Buffer>): Check[] {
  const checks: Check[] = [];
  const listed = new Set<string>();
  for (const { name, digest } of manifest.subject) {
    listed.add(name);
    const data = files.get(name);
    if (data === undefined) checks.push(fail(`${name}: listed in the manifest, missing from the bundle`));
    else if (sha256(data) !== digest.sha256) {
      checks.push(
        fail(`${name}: its contents differ from the SHA-256 in the manifest (changed after signing)`),
      );
    }
  }
  for (const name of files.keys()) {
    if (!listed.has(name) && name !== ENVELOPE && name !== PUBLIC_KEY) {
      checks.push(fail(`${name}: in the bundle, not in the manifest (added after signing)`));
    }
  }
  if (checks.length === 0)
    checks.push(pass(`files: all ${manifest.subject.length} match their SHA-256 in the manifest`));
  return checks;
}

function suiteCheck(manifest: Manifest): Check {
  const { name, version, sha256: digest } = manifest.predicate.suite;
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
