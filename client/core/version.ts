/** Client Connector versions are dotted numbers compared part by part: "4.10" is later than "4.9". */

// Stryker disable next-line Regex: equivalent in a run: every version reaching the client was validated by the CLI first (src/version.ts)
const VERSION_PATTERN = /^\d+(\.\d+)*$/;

export function isVersion(value: string): boolean {
  return VERSION_PATTERN.test(value);
}

export function compareVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  const length = Math.max(left.length, right.length);
  // Stryker disable next-line EqualityOperator: equivalent: one step more compares 0 with 0
  for (let i = 0; i < length; i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

export function versionAtLeast(version: string, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0;
}

function parseVersion(value: string): number[] {
  // Stryker disable all: unreachable: the CLI and ReferenceClient.start validate every version first
  if (!isVersion(value))
    throw new Error(`"${value}" is not a client version (expected dotted numbers, e.g. 4.7)`);
  // Stryker restore all
  return value.split('.').map(Number);
}
