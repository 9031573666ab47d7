/**
 * A value made on first use and kept: for work a module would otherwise do at import time (compiling
 * a JSON Schema validator, say), so that a command pays only for what it uses.
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}
