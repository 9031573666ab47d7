/** A bad config file, `--config` or `--profile`: the message is one line naming the file and the key. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(message: string) {
    // Messages quote other parsers (a tag expression's, a module's); a line break would split the line.
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}
