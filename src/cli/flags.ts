/**
 * What the commands share about their flags: node:util's parseArgs reports a bad flag in a message
 * of up to three lines, with advice meant for another program ("To specify a positional argument
 * …"); a command prints one line naming the flag.
 */

/** The one line a command prints for a parseArgs error. */
export function flagErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = (message.split('\n')[0] ?? '').replace(/\. To specify.*$/, '').replace(/\.$/, '');
  const flag = /'(-[^' ]+)/.exec(first)?.[1];
  if (
    (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' &&
    /ambiguous/.test(first)
  ) {
    return `${flag} needs a value; one that starts with "-" is written ${flag}=VALUE`;
  }
  return first;
}
