import { Ajv2020 } from 'ajv/dist/2020.js';
import schema from './conformance.schema.json' with { type: 'json' };

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validate = ajv.compile(schema);

export { schema as conformanceSchema };

/** Checks a report against conformance.schema.json; returns one string per violation (empty when valid). */
export function validateReport(report: unknown): string[] {
  if (validate(report)) return [];
  return (validate.errors ?? []).map((error) => {
    const where = error.instancePath === '' ? '(report)' : error.instancePath;
    const extra =
      error.keyword === 'additionalProperties' && 'additionalProperty' in error.params
        ? ` (${String(error.params.additionalProperty)})`
        : error.keyword === 'enum' && 'allowedValues' in error.params
          ? ` (${JSON.stringify(error.params.allowedValues)})`
          : '';
    return `${where} ${error.message ?? error.keyword}${extra}`;
  });
}
