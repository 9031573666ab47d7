import type { ErrorObject } from 'ajv';

/** Ajv's errors as one line each: where, what, and the offending property or the allowed values. */
export function schemaErrorLines(errors: ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath === '' ? root : error.instancePath;
    const extra =
      error.keyword === 'additionalProperties' && 'additionalProperty' in error.params
        ? ` (${String(error.params.additionalProperty)})`
        : error.keyword === 'enum' && 'allowedValues' in error.params
          ? ` (${JSON.stringify(error.params.allowedValues)})`
          : '';
    return `${where} ${error.message ?? error.keyword}${extra}`;
  });
}
