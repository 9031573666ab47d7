// Mutation testing of the reference client (`npm run mutation`, BENCHMARKS.md): StrykerJS mutates
// client/core/ (not its named defects) and runs the whole conformance run against each mutant. A
// mutant the run does not fail survived: a behaviour of the client no scenario pins down (or none
// a client can show). A benchmark, not a test: neither `npm test` nor .ci/run runs it.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['client/core/**/*.ts', '!client/core/defects.ts', '!client/core/sign-in-defects.ts'],
  // The command runner (built in): it knows only the exit code, so it cannot measure coverage and
  // runs the one "test" against every mutant. The Node that runs Stryker runs the wrapper, so the
  // run is on the same Node 24 even where `node` on the PATH is older.
  testRunner: 'command',
  commandRunner: { command: `"${process.execPath}" scripts/mutation-test.mjs` },
  coverageAnalysis: 'off',
  // Code a defect-free run cannot reach by construction (what only a named defect runs, the client's
  // log lines) is reported as ignored, with its reason: scripts/stryker-ignorers.mjs.
  plugins: ['@stryker-mutator/*', './scripts/stryker-ignorers.mjs'],
  ignorers: ['DefectBranches', 'ClientLog'],
  // 2 cores: two runs at a time did 32 mutants in 184 s, one at a time in 223 s (BENCHMARKS.md).
  concurrency: 2,
  // A clean run takes 3-7 s here; a mutant gets its dry-run time × 1.5 + 10 s before it is a timeout,
  // which leaves room for a loaded machine and still ends a client that hangs or waits out every
  // scenario's 3-5 s view waits.
  timeoutMS: 10000,
  timeoutFactor: 1.5,
  // Stryker's default sandbox (a copy under .stryker-tmp/, node_modules symlinked) runs as is: the
  // copy keeps the layout, so the `.ts` relative imports resolve, and it is outside node_modules,
  // so Node strips its types. No inPlace: a killed Stryker would leave mutated sources in the tree.
  // tsconfig.json stays out of the sandbox: Stryker would rewrite it through TypeScript's JS API,
  // which TypeScript 7 no longer has (ts.parseConfigFileTextToJson), and nothing at run time reads it
  // (no type check, no build). Nor are docs/ and coverage/ needed.
  ignorePatterns: ['/tsconfig.json', '/coverage', '/docs'],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
};
