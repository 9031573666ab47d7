/**
 * Whether the summary is in colour: --no-color says no; then FORCE_COLOR, set and not empty ("0" or
 * "false" off, anything else on), as Node and most command-line tools read it; then NO_COLOR, set and
 * not empty (no-color.org); else colour on a terminal only.
 */
export function useColor(
  flag: boolean,
  env: NodeJS.ProcessEnv = process.env,
  terminal = Boolean(process.stdout.isTTY),
): boolean {
  if (!flag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return terminal;
}
