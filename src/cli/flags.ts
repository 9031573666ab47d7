/**
 * What the commands share about their flags: commander reports a bad flag or argument as
 * "error: unknown option '--colour'\n(Did you mean --no-color?)"; a command prints one line.
 */
import type { CommanderError } from 'commander';

/** The one line a command prints for a parse error of commander's. */
export function flagErrorLine(error: CommanderError): string {
  return error.message
    .replace(/^error: /, '')
    .split('\n')
    .filter((line) => line !== '')
    .join(' ');
}

/**
 * Bad input a command found in its flags, arguments or files: main.ts prints the message in one
 * line after the command's name, and exits 2.
 */
export class InputError extends Error {
  override name = 'InputError';
}
