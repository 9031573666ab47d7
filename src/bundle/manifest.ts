/**
 * The signed part of a certification bundle: what was certified, by which suite, where, and every
 * file's digest, as an in-toto Statement v1 (the files its subjects, the rest its predicate) in a DSSE
 * envelope signed with Ed25519, so a certifier can check it with any DSSE or in-toto tool.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Target } from '../catalog/types.ts';
import { once } from '../once.ts';
import type { ConformanceReport } from '../report/types.ts';
import { schemaErrorLines } from '../schema-errors.ts';
import { type Envelope, payloadOf } from './dsse.ts';
import type { Product } from './inputs.ts';
import schema from './manifest.schema.json' with { type: 'json' };
import productSchema from './product.schema.json' with { type: 'json' };
import type { SuiteDigest } from './suite.ts';

export const BUNDLE_FILE_NAME = 'certification-bundle.tar';
/** The DSSE envelope of the manifest, on one line (in-toto's name for a file of envelopes). */
export const ENVELOPE = 'attestation.intoto.jsonl';
/** The signer's public key, PEM (SPKI). */
export const PUBLIC_KEY = 'public-key.pem';
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://connector-conformance.local/certification/v1';

/** A file of the bundle: its path in the archive and its SHA-256 (hex). */
export interface Subject {
  name: string;
  digest: { sha256: string };
}

/** What the bundle certifies: the statement's predicate. */
export interface Certification {
  createdAt: string;
  /** From --product; null when the run was not told. */
  product: Product | null;
  client: ConformanceReport['client'];
  run: { targets: Target[]; exitCode: 0 | 1 | 2; startedAt: string; finishedAt: string };
  suite: { name: string; version: string } & SuiteDigest;
  environment: {
    /** "connector-conformance 0.1.0" */
    harness: string;
    node: string;
    os: string;
    /** The browser's version when the run used one. */
    browser: string | null;
  };
}

export interface Manifest {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: Certification;
}

const validator = once(() =>
  new Ajv2020({ allErrors: false, strict: true, schemas: [productSchema] }).compile<Manifest>(schema),
);

/** The manifest the envelope carries, or the first reason it carries none. */
export function parseManifest(envelope: Envelope): Manifest | string {
  if (envelope.payloadType !== PAYLOAD_TYPE) {
    return `the payload type is ${JSON.stringify(envelope.payloadType)}, not ${PAYLOAD_TYPE}`;
  }
  let data: unknown;
  try {
    data = JSON.parse(payloadOf(envelope).toString('utf8'));
  } catch (error) {
    return `the payload is not JSON (${(error as Error).message})`;
  }
  const validate = validator();
  return validate(data) ? data : (schemaErrorLines(validate.errors, '(statement)')[0] ?? 'invalid');
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** "SHA256:" and the base64 SHA-256 of the key's DER (SPKI), as SSH shows key fingerprints. */
export function fingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}
