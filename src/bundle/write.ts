/**
 * `run --bundle`: the run's reports in one archive with a signed manifest, for whoever certifies the
 * build. The manifest names the product, the suite (with its digest), the environment and every
 * file's SHA-256, as an in-toto Statement in a DSSE envelope signed with Ed25519
 * (attestation.intoto.jsonl); `public-key.pem` is the signer's key.
 */
import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findChromium } from '../browser/chromium.ts';
import { MARKDOWN_FILE_NAME, PAGE_FILE_NAME } from '../report/layout.ts';
import type { ConformanceReport } from '../report/types.ts';
import { REPORT_FILE_NAME } from '../report/write.ts';
import { signEnvelope } from './dsse.ts';
import { filesUnder } from './files.ts';
import { loadProduct, loadSigningKey, type Product } from './inputs.ts';
import {
  BUNDLE_FILE_NAME,
  ENVELOPE,
  fingerprint,
  type Manifest,
  PAYLOAD_TYPE,
  PREDICATE_TYPE,
  PUBLIC_KEY,
  STATEMENT_TYPE,
  sha256,
} from './manifest.ts';
import { suiteDigest } from './suite.ts';
import { writeTar } from './tar.ts';

export interface BundleOptions {
  /** A YAML file naming the product (vendor, product, version, build, platforms). */
  productFile?: string;
  /** An Ed25519 private key (PEM); without it, a fresh key signs the bundle. */
  signingKeyFile?: string;
}

/** The bundle's inputs, read and checked before the run starts. */
export interface PreparedBundle {
  product: Product | null;
  privateKey: KeyObject;
  generatedKey: boolean;
}

export interface BundleOutcome {
  file: string;
  /** How many report files the manifest lists. */
  files: number;
  publicKeyPem: string;
  fingerprint: string;
  /** The key was made for this bundle: its public half must reach the certifier some other way. */
  generatedKey: boolean;
}

export async function prepareBundle(options: BundleOptions): Promise<PreparedBundle> {
  const product = options.productFile === undefined ? null : await loadProduct(options.productFile);
  if (options.signingKeyFile !== undefined) {
    return { product, privateKey: await loadSigningKey(options.signingKeyFile), generatedKey: false };
  }
  return { product, privateKey: generateKeyPairSync('ed25519').privateKey, generatedKey: true };
}

export interface WriteBundleInput {
  reportDir: string;
  report: ConformanceReport;
  prepared: PreparedBundle;
  featuresDir: string;
  fixturesDir: string;
  /** Whether the run drove a browser (its version goes in the manifest). */
  usedBrowser: boolean;
  harness: { name: string; version: string };
}

export async function writeBundle(input: WriteBundleInput): Promise<BundleOutcome> {
  const { reportDir, report, prepared } = input;
  const { exitCode } = report.run;
  // A run stopped before its end certifies nothing (the runner writes no bundle for it).
  if (exitCode !== 0 && exitCode !== 1 && exitCode !== 2) {
    throw new Error(`an interrupted run (exit ${exitCode}) has no certification bundle`);
  }
  const names = [REPORT_FILE_NAME, PAGE_FILE_NAME, MARKDOWN_FILE_NAME, ...(await targetFiles(reportDir))];
  const entries = await Promise.all(
    names.map(async (name) => ({ name, data: await readFile(path.join(reportDir, ...name.split('/'))) })),
  );
  const manifest: Manifest = {
    _type: STATEMENT_TYPE,
    subject: entries.map(({ name, data }) => ({ name, digest: { sha256: sha256(data) } })),
    predicateType: PREDICATE_TYPE,
    predicate: {
      createdAt: new Date().toISOString(),
      product: prepared.product,
      client: report.client,
      run: {
        targets: report.run.targets,
        exitCode,
        startedAt: report.run.startedAt,
        finishedAt: report.run.finishedAt,
      },
      suite: { ...report.suite, ...(await suiteDigest(input.featuresDir, input.fixturesDir)) },
      environment: {
        harness: `${input.harness.name} ${input.harness.version}`,
        node: process.version,
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        browser: input.usedBrowser ? await browserVersion() : null,
      },
    },
  };
  const publicKey = createPublicKey(prepared.privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const envelope = signEnvelope(
    PAYLOAD_TYPE,
    Buffer.from(JSON.stringify(manifest)),
    prepared.privateKey,
    fingerprint(publicKey),
  );
  const archive = await writeTar(
    [
      { name: ENVELOPE, data: Buffer.from(`${JSON.stringify(envelope)}\n`) },
      { name: PUBLIC_KEY, data: Buffer.from(publicKeyPem) },
      ...entries,
    ],
    Date.parse(report.run.finishedAt) / 1000,
  );
  const file = path.join(reportDir, BUNDLE_FILE_NAME);
  await writeFile(file, archive);
  return {
    file,
    files: entries.length,
    publicKeyPem,
    fingerprint: fingerprint(publicKey),
    generatedKey: prepared.generatedKey,
  };
}

/** Every file under targets/ (Cucumber reports, evidence), "/"-separated, sorted. */
async function targetFiles(reportDir: string): Promise<string[]> {
  const files = await filesUnder(path.join(reportDir, 'targets')).catch(() => []);
  return files.map((file) => `targets/${file}`);
}

async function browserVersion(): Promise<string> {
  const executable = findChromium();
  if (executable === undefined) return 'unknown';
  try {
    const { stdout } = await promisify(execFile)(executable, ['--version'], { timeout: 10_000 });
    return stdout.trim().split('\n').pop() ?? executable;
  } catch {
    return executable;
  }
}
