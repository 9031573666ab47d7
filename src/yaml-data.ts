/** YAML files people write (fixtures, config files): their data, or one line saying what is wrong. */
import { type Document, parseDocument } from 'yaml';

/** Why a YAML text could not be read, in one line: where, and what. */
export class YamlError extends Error {
  override name = 'YamlError';
}

/** The data of `text`; `prepare` may change the document first. Throws YamlError. */
export function yamlData(text: string, prepare?: (document: Document) => void): unknown {
  const document = parseDocument(text);
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const at = syntaxError.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}: ` : '';
    const reason = firstLine(syntaxError).replace(/ at line \d+, column \d+:?$/, '');
    throw new YamlError(`${where}invalid YAML: ${reason}`);
  }
  prepare?.(document);
  try {
    // yaml refuses a document whose aliases expand past its limit (a "billion laughs" file).
    return document.toJS();
  } catch (error) {
    throw new YamlError(`invalid YAML: ${firstLine(error)}`);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}
