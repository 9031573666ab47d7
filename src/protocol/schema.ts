/** The ccdp/1 JSON Schemas (./schemas/, draft 2020-12), compiled once; one validator per message. */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { once } from '../once.ts';
import { schemaErrorLines } from '../schema-errors.ts';
import action from './schemas/action.schema.json' with { type: 'json' };
import clientView from './schemas/client-view.schema.json' with { type: 'json' };
import error from './schemas/error.schema.json' with { type: 'json' };
import evidence from './schemas/evidence.schema.json' with { type: 'json' };
import session from './schemas/session.schema.json' with { type: 'json' };
import sessionRequest from './schemas/session-request.schema.json' with { type: 'json' };
import status from './schemas/status.schema.json' with { type: 'json' };
import viewResponse from './schemas/view-response.schema.json' with { type: 'json' };

/** Schema file → the message it describes. */
export const PROTOCOL_SCHEMAS = {
  status,
  'session-request': sessionRequest,
  session,
  'view-response': viewResponse,
  'client-view': clientView,
  action,
  evidence,
  error,
} as const;

export type MessageKind = keyof typeof PROTOCOL_SCHEMAS;

const ajv = once(() => {
  const made = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  for (const schema of Object.values(PROTOCOL_SCHEMAS)) made.addSchema(schema);
  return made;
});

const validators = new Map<MessageKind, ValidateFunction>();

function validator(kind: MessageKind): ValidateFunction {
  let validate = validators.get(kind);
  if (validate === undefined) {
    const compiled = ajv().getSchema(PROTOCOL_SCHEMAS[kind].$id);
    if (compiled === undefined) throw new Error(`no ccdp/1 schema for ${kind}`);
    validate = compiled;
    validators.set(kind, validate);
  }
  return validate;
}

/** Checks `value` against the schema of `kind`; one line per violation, empty when it is valid. */
export function validateMessage(kind: MessageKind, value: unknown): string[] {
  const validate = validator(kind);
  if (validate(value)) return [];
  return schemaErrorLines(validate.errors, '(body)');
}
