/** What `--bundle` reads from files: the product file and the signing key, each checked with a one-line error. */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import type { Platform } from '../fixtures/types.ts';
import { once } from '../once.ts';
import schema from './product.schema.json' with { type: 'json' };

/** A bad --product, --signing-key or --public-key file; the message names the flag and the file. */
export class BundleInputError extends Error {
  override name = 'BundleInputError';
}

export interface Product {
  vendor: string;
  product: string;
  version: string;
  /** The vendor's build identifier. */
  build: string;
  platforms?: Platform[];
}

const productValidator = once(() => new Ajv2020({ allErrors: false, strict: true }).compile<Product>(schema));

async function read(flag: string, file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new BundleInputError(
      `${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

export async function loadProduct(file: string): Promise<Product> {
  const where = `--product ${file}`;
  let data: unknown;
  try {
    data = parse((await read('--product', file)).toString('utf8'));
  } catch (error) {
    if (error instanceof BundleInputError) throw error;
    throw new BundleInputError(`${where}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const validateProduct = productValidator();
  if (validateProduct(data)) return data;
  const error = validateProduct.errors?.[0];
  const fieldName = error?.instancePath.slice(1).replaceAll('/', '.') ?? '';
  if (error?.keyword === 'required') {
    throw new BundleInputError(`${where}: field "${String(error.params.missingProperty)}" is missing`);
  }
  if (error?.keyword === 'additionalProperties') {
    throw new BundleInputError(`${where}: unknown field "${String(error.params.additionalProperty)}"`);
  }
  if (fieldName === '')
    throw new BundleInputError(`${where}: expected a mapping of vendor, product, version, build, platforms`);
  const allowed = error?.keyword === 'enum' ? ` (${JSON.stringify(error.params.allowedValues)})` : '';
  throw new BundleInputError(`${where}: field "${fieldName}" ${error?.message ?? 'is invalid'}${allowed}`);
}

const NEW_KEY_HINT = 'make one: openssl genpkey -algorithm ed25519 -out key.pem';

/** An Ed25519 key in PEM: the private key to sign with, or the public key to verify with. */
async function loadEd25519(flag: '--signing-key' | '--public-key', file: string): Promise<KeyObject> {
  const pem = await read(flag, file);
  const signing = flag === '--signing-key';
  const hint = signing ? ` (${NEW_KEY_HINT})` : '';
  let key: KeyObject;
  try {
    key = signing ? createPrivateKey(pem) : createPublicKey(pem);
  } catch {
    throw new BundleInputError(`${flag} ${file}: not a PEM ${signing ? 'private' : 'public'} key${hint}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new BundleInputError(
      `${flag} ${file}: an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519${hint}`,
    );
  }
  return key;
}

/** The private key that signs a bundle (PKCS#8 PEM). */
export function loadSigningKey(file: string): Promise<KeyObject> {
  return loadEd25519('--signing-key', file);
}

/** The signer's public key (a private key's file gives its public half too). */
export function loadPublicKey(file: string): Promise<KeyObject> {
  return loadEd25519('--public-key', file);
}
