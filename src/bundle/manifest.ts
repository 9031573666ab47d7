/** The signed part of a certification bundle: what was certified, by which suite, where, and every file's digest. */
import { createHash, type KeyObject } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Target } from '../catalog/types.ts';
import type { ConformanceReport } from '../report/types.ts';
import { schemaErrorLines } from '../schema-errors.ts';
import type { Product } from './inputs.ts';
import schema from './manifest.schema.json' with { type: 'json' };
import productSchema from './product.schema.json' with { type: 'json' };
import type { SuiteDigest } from './suite.ts';

export const BUNDLE_FILE_NAME = 'certification-bundle.tar';
export const MANIFEST = 'manifest.json';
/** The Ed25519 signature of manifest.json's bytes, base64. */
export const SIGNATURE = 'signature';
/** The signer's public key, PEM (SPKI). */
export const PUBLIC_KEY = 'public-key.pem';

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  bundleVersion: 1;
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
  files: ManifestFile[];
}

const validate = new Ajv2020({ allErrors: false, strict: true, schemas: [productSchema] }).compile<Manifest>(
  schema,
);

/** The manifest, or the first reason it is not one. */
export function parseManifest(bytes: Buffer): Manifest | string {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  return validate(data) ? data : (schemaErrorLines(validate.errors, '(manifest)')[0] ?? 'invalid');
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** "SHA256:" and the base64 SHA-256 of the key's DER (SPKI), as SSH shows key fingerprints. */
export function fingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}
