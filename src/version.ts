/**
 * Client Connector versions as the harness reads them: dotted numbers compared part by part
 * ("4.10" is later than "4.9", "4.6" equals "4.6.0"). Inputs are validated where they enter (the
 * catalog schema, the --client-version flag, the policy API), so every part here is a number.
 */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
