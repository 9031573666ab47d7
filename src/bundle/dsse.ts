/**
 * DSSE, the Dead Simple Signing Envelope (github.com/secure-systems-lab/dsse, protocol v1): a payload,
 * its type, and signatures over the pre-authentication encoding of both, so that no signature over one
 * type of payload can be passed off as one over another. Here with Ed25519 (`node:crypto`).
 */
import { type KeyObject, sign, verify } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { once } from '../once.ts';
import { schemaErrorLines } from '../schema-errors.ts';
import schema from './envelope.schema.json' with { type: 'json' };

export interface Envelope {
  payloadType: string;
  /** Base64 of the payload's bytes. */
  payload: string;
  /** keyid is a hint for finding the key, never trusted. */
  signatures: { keyid?: string; sig: string }[];
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes, in decimal. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType);
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload,
  ]);
}

export function signEnvelope(payloadType: string, payload: Buffer, key: KeyObject, keyid: string): Envelope {
  const sig = sign(null, pae(payloadType, payload), key).toString('base64');
  return { payloadType, payload: payload.toString('base64'), signatures: [{ keyid, sig }] };
}

/** The payload's bytes, as signed. */
export function payloadOf(envelope: Envelope): Buffer {
  return Buffer.from(envelope.payload, 'base64');
}

/** Whether one of the envelope's signatures is `key`'s over its payload and payload type. */
export function signedBy(envelope: Envelope, key: KeyObject): boolean {
  const message = pae(envelope.payloadType, payloadOf(envelope));
  return envelope.signatures.some(({ sig }) => {
    try {
      return verify(null, message, key, Buffer.from(sig, 'base64'));
    } catch {
      return false;
    }
  });
}

const validator = once(() => new Ajv2020({ allErrors: false, strict: true }).compile<Envelope>(schema));

/** The envelope, or the first reason it is not one. */
export function parseEnvelope(bytes: Buffer): Envelope | string {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const validate = validator();
  return validate(data)
    ? data
    : (schemaErrorLines(validate.errors, '(envelope)')[0] ?? 'not a DSSE envelope');
}
