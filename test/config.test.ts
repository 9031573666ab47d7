/** The config file: each format, profiles, one-line errors naming the key, paths, discovery, merging with flags. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { parseRunArgs } from '../src/cli/args.ts';
import { type ConformanceConfig, defineConfig } from '../src/config/define.ts';
import { ConfigError } from '../src/config/error.ts';
import { type LoadConfigOptions, loadConfig } from '../src/config/load.ts';
import { mergeRunSettings } from '../src/config/merge.ts';
import { validateConfig } from '../src/config/validate.ts';
import { UsageError } from '../src/runner/run.ts';
import { cli } from './support/cli.ts';
import { readValidReport } from './support/reports.ts';

const DEFINE = pathToFileURL(path.join(import.meta.dirname, '..', 'src', 'config', 'define.ts')).href;
const YAML_NAME = 'connector-conformance.config.yaml';
const temporary: string[] = [];

after(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh folder holding these files (a fresh one each time: Node caches an imported module by its path). */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'config-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

/** The one line loadConfig refuses with. */
async function refusal(options: LoadConfigOptions): Promise<string> {
  try {
    await loadConfig(options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return error.message;
  }
  assert.fail('the config was accepted');
}

async function yamlRefusal(text: string): Promise<string> {
  return refusal({ cwd: await folder({ [YAML_NAME]: text }) });
}

/** What each format below says, resolved against the folder it is in. */
function expected(dir: string) {
  return {
    client: 'ui',
    parallel: 2,
    targets: [{ platform: 'windows', clientVersion: '4.6' }],
    reportDir: path.join(dir, 'out'),
  };
}

describe('loadConfig reads every format', () => {
  const settings =
    "client: 'ui', parallel: 2, targets: [{ platform: 'windows', clientVersion: '4.6' }], reportDir: 'out'";
  const formats: [string, string][] = [
    [
      'connector-conformance.config.ts',
      `import { defineConfig, type ConformanceConfig } from '${DEFINE}';\nconst config: ConformanceConfig = { ${settings} };\nexport default defineConfig(config);\n`,
    ],
    ['connector-conformance.config.mjs', `export default { ${settings} };\n`],
    ['connector-conformance.config.js', `export default async () => ({ ${settings} });\n`],
    [
      'connector-conformance.config.json',
      JSON.stringify({
        $schema: './node_modules/connector-conformance/src/config/config.schema.json',
        client: 'ui',
        parallel: 2,
        targets: [{ platform: 'windows', clientVersion: '4.6' }],
        reportDir: 'out',
      }),
    ],
    [
      YAML_NAME,
      'client: ui\nparallel: 2\ntargets:\n  - platform: windows\n    clientVersion: 4.6\nreportDir: out\n',
    ],
    ['connector-conformance.config.yml', `{ ${settings} }\n`],
  ];
  for (const [name, text] of formats) {
    it(`reads ${path.extname(name)}`, async () => {
      const dir = await folder({ [name]: text });
      assert.deepEqual(await loadConfig({ cwd: dir }), expected(dir));
      assert.deepEqual(await loadConfig({ cwd: tmpdir(), file: path.join(dir, name) }), expected(dir));
    });
  }

  it('reads a YAML version as written, 4.10 not 4.1', async () => {
    const dir = await folder({ [YAML_NAME]: 'platform: macos\nclientVersion: 4.10\n' });
    assert.deepEqual((await loadConfig({ cwd: dir }))?.targets, [
      { platform: 'macos', clientVersion: '4.10' },
    ]);
  });

  it('takes a key a .js config leaves undefined (an unset environment variable) as absent', async () => {
    const dir = await folder({
      'connector-conformance.config.mjs':
        'export default { tags: undefined, profiles: { ci: { parallel: undefined } } };\n',
    });
    assert.deepEqual(await loadConfig({ cwd: dir, profile: 'ci' }), {});
  });

  it('maps every setting to its run option', async () => {
    const dir = await folder({
      [YAML_NAME]: [
        'client: remote',
        "clientCommand: 'vendor-client --port {port}'",
        'actionTimeout: 20000',
        'userAgent: browser',
        'evidence: all',
        "tags: '@req:EX-MAIN-ON or @req:EX-PARTNER-ON'",
        'defect: tunnels-overlap-while-switching',
        'reportDir: reports/nightly',
        'parallel: 4',
        'freshContext: true',
        'fixtures: fixtures',
        'expect: expect.yaml',
        'baseline: ../baseline/conformance.json',
        'bundle: { product: product.yaml, signingKey: keys/key.pem }',
        'repeat: 3',
        'passWithNoScenarios: true',
        'platform: windows',
        '',
      ].join('\n'),
    });
    assert.deepEqual(await loadConfig({ cwd: dir }), {
      client: 'remote',
      clientCommand: 'vendor-client --port {port}',
      actionTimeoutMs: 20000,
      userAgent: 'browser',
      evidence: 'all',
      targets: [
        { platform: 'windows', clientVersion: '4.7' },
        { platform: 'windows', clientVersion: '4.6' },
        { platform: 'windows', clientVersion: '4.5' },
      ],
      defect: 'tunnels-overlap-while-switching',
      tags: '@req:EX-MAIN-ON or @req:EX-PARTNER-ON',
      reportDir: path.join(dir, 'reports', 'nightly'),
      parallel: 4,
      repeat: 3,
      passWithNoScenarios: true,
      freshContext: true,
      fixturesDir: path.join(dir, 'fixtures'),
      expectFile: path.join(dir, 'expect.yaml'),
      baselineFile: path.join(path.dirname(dir), 'baseline', 'conformance.json'),
      bundle: {
        productFile: path.join(dir, 'product.yaml'),
        signingKeyFile: path.join(dir, 'keys', 'key.pem'),
      },
    });
  });
});

describe('profiles', () => {
  const file = [
    'client: ui',
    'parallel: 2',
    'platform: windows',
    'clientVersion: "4.7"',
    'bundle: { product: product.yaml }',
    'profiles:',
    '  ci:',
    '    parallel: 8',
    '    evidence: failures',
    '    targets: [{ platform: macos, clientVersion: "4.7" }]',
    '  quick:',
    '    platform: macos',
    '    bundle: false',
    '  all-platforms:',
    '    platform: all',
    '',
  ].join('\n');

  it('lays the chosen profile over the top-level settings, key by key', async () => {
    const dir = await folder({ [YAML_NAME]: file });
    assert.deepEqual(await loadConfig({ cwd: dir, profile: 'ci' }), {
      client: 'ui',
      parallel: 8,
      evidence: 'failures',
      targets: [{ platform: 'macos', clientVersion: '4.7' }],
      bundle: { productFile: path.join(dir, 'product.yaml') },
    });
  });

  it('without --profile takes the top-level settings alone', async () => {
    const dir = await folder({ [YAML_NAME]: file });
    assert.deepEqual(await loadConfig({ cwd: dir }), {
      client: 'ui',
      parallel: 2,
      targets: [{ platform: 'windows', clientVersion: '4.7' }],
      bundle: { productFile: path.join(dir, 'product.yaml') },
    });
  });

  it("keeps the top level's client version under a profile's platform, and lets bundle: false switch it off", async () => {
    const dir = await folder({ [YAML_NAME]: file });
    const quick = await loadConfig({ cwd: dir, profile: 'quick' });
    assert.deepEqual(quick?.targets, [{ platform: 'macos', clientVersion: '4.7' }]);
    assert.equal(quick?.bundle, undefined);
    const all = await loadConfig({ cwd: dir, profile: 'all-platforms' });
    assert.deepEqual(all?.targets, [
      { platform: 'windows', clientVersion: '4.7' },
      { platform: 'macos', clientVersion: '4.7' },
    ]);
  });

  it('drops the top-level targets under a profile that names a platform', async () => {
    const dir = await folder({
      [YAML_NAME]:
        'targets: [{ platform: windows, clientVersion: "4.5" }]\nprofiles: { mac: { platform: macos } }\n',
    });
    assert.deepEqual((await loadConfig({ cwd: dir, profile: 'mac' }))?.targets, [
      { platform: 'macos', clientVersion: '4.7' },
    ]);
  });

  it('refuses an unknown profile, listing the profiles', async () => {
    const dir = await folder({ [YAML_NAME]: file });
    assert.equal(
      await refusal({ cwd: dir, profile: 'nightly' }),
      `${YAML_NAME}: --profile nightly: no such profile (its profiles: ci, quick, all-platforms)`,
    );
  });

  it('refuses a profile of a file without profiles, and one named like an object property', async () => {
    const dir = await folder({ [YAML_NAME]: 'client: ui\n' });
    assert.equal(
      await refusal({ cwd: dir, profile: 'ci' }),
      `${YAML_NAME}: --profile ci: no such profile (the file has no profiles)`,
    );
    assert.match(
      await refusal({ cwd: dir, profile: 'constructor' }),
      /--profile constructor: no such profile/,
    );
  });
});

describe('a bad config file is refused in one line naming the key', () => {
  it('an unknown key, at the top level and in a profile', async () => {
    assert.match(
      await yamlRefusal('paralel: 2\n'),
      /^connector-conformance\.config\.yaml: paralel: unknown key \(expected one of client, clientCommand, .*, passWithNoScenarios, profiles\)$/,
    );
    assert.match(
      await yamlRefusal('profiles:\n  ci:\n    reportdir: out\n'),
      /^connector-conformance\.config\.yaml: profiles\.ci\.reportdir: unknown key \(expected one of client, .*reportDir.*\)$/,
    );
    assert.equal(
      await yamlRefusal('bundle: { product: p.yaml, key: k.pem }\n'),
      `${YAML_NAME}: bundle.key: unknown key (expected one of product, signingKey)`,
    );
    assert.match(
      await yamlRefusal('profiles: { ci: { profiles: {} } }\n'),
      /: profiles\.ci\.profiles: unknown key/,
    );
  });

  const wrong: [string, string, string][] = [
    [
      'a worker count out of range',
      'profiles:\n  ci:\n    parallel: 17\n',
      'profiles.ci.parallel: expected an integer from 0 to 16 (got 17)',
    ],
    [
      'a worker count as text',
      'parallel: "4"\n',
      'parallel: expected an integer from 0 to 16 (got "4", a string)',
    ],
    ['a repeat of 0', 'repeat: 0\n', 'repeat: expected an integer from 1 to 999 (got 0)'],
    [
      'a timeout too long',
      'actionTimeout: 600001\n',
      'actionTimeout: expected an integer from 1 to 600000 (got 600001)',
    ],
    ['an unknown evidence mode', 'evidence: some\n', 'evidence: expected none, failures or all (got "some")'],
    ['an unknown user agent', 'userAgent: curl\n', 'userAgent: expected http or browser (got "curl")'],
    ['an unknown platform', 'platform: linux\n', 'platform: expected windows, macos or all (got "linux")'],
    [
      'a malformed version',
      'clientVersion: four\n',
      'clientVersion: expected a version like "4.7" or "4.6.1" (got "four")',
    ],
    [
      'a YAML 1.1 boolean',
      'freshContext: yes\n',
      'freshContext: expected true or false (got "yes", a string)',
    ],
    ['an empty value', 'reportDir:\n', 'reportDir: expected a non-empty string (got nothing)'],
    [
      'a target without its version',
      'targets:\n  - platform: macos\n',
      'targets[0].clientVersion: missing (expected a version like "4.7" or "4.6.1")',
    ],
    [
      'a target on "all"',
      'targets: [{ platform: all, clientVersion: "4.7" }]\n',
      'targets[0].platform: expected windows or macos (got "all")',
    ],
    [
      'no targets',
      'targets: []\n',
      'targets: expected a list of targets, each a mapping of platform and clientVersion (got an empty list)',
    ],
    [
      'the same target twice',
      'targets: [{ platform: macos, clientVersion: "4.7" }, { platform: macos, clientVersion: "4.7" }]\n',
      'targets: lists the same target twice (items 0 and 1)',
    ],
    [
      'a bundle of the wrong type',
      'bundle: yes\n',
      'bundle: expected true, false or a mapping of product and signingKey (got "yes", a string)',
    ],
    [
      'profiles as a list',
      'profiles: [ci]\n',
      'profiles: expected a mapping of profile names to settings (got a list)',
    ],
    ['a file that is a list', '- client: ui\n', 'the file must be a mapping of run settings (got a list)'],
    ['an empty file', '', 'the file must be a mapping of run settings (got nothing)'],
    [
      'targets beside a platform',
      'platform: macos\ntargets: [{ platform: macos, clientVersion: "4.7" }]\n',
      'targets: give either targets or platform and clientVersion, not both',
    ],
    [
      'an unknown client',
      'profiles: { ci: { client: netscape } }\n',
      'profiles.ci.client: unknown client "netscape"; expected one of',
    ],
    [
      'a client URL off this machine',
      'client: remote:http://example.com\n',
      'client: "remote:http://example.com": remote:URL takes an http URL on this machine',
    ],
    ['a bad tag expression', "tags: '@a and or'\n", 'tags: Tag expression "@a and or" could not be parsed'],
    [
      'an unknown defect',
      'defect: nope\n',
      'defect: unknown defect "nope"; see `connector-conformance defects`',
    ],
  ];
  for (const [what, text, line] of wrong) {
    it(what, async () => {
      assert.ok((await yamlRefusal(text)).startsWith(`${YAML_NAME}: ${line}`));
    });
  }

  it('a number for a version in JSON, saying it is a number', async () => {
    const dir = await folder({ 'connector-conformance.config.json': '{ "clientVersion": 4.7 }' });
    assert.equal(
      await refusal({ cwd: dir }),
      'connector-conformance.config.json: clientVersion: expected a version like "4.7" or "4.6.1" (got 4.7, a number)',
    );
  });

  it('a function where a .js config wants a value', async () => {
    const dir = await folder({
      'connector-conformance.config.mjs': 'export default { client() { return "ui"; } };\n',
    });
    assert.equal(
      await refusal({ cwd: dir }),
      'connector-conformance.config.mjs: client: expected a non-empty string (got a function)',
    );
  });

  it('a YAML syntax error, with its line', async () => {
    assert.match(
      await yamlRefusal('client: ui\ntargets: [\n'),
      /^connector-conformance\.config\.yaml: line \d+, column \d+: invalid YAML: /,
    );
  });

  it('a YAML file whose aliases expand past the limit (a "billion laughs" file)', async () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    assert.match(
      await yamlRefusal(`${levels.join('\n')}\n`),
      /^connector-conformance\.config\.yaml: invalid YAML: .*alias/i,
    );
  });

  it('invalid JSON', async () => {
    const dir = await folder({ 'connector-conformance.config.json': '{ "client": ' });
    assert.match(await refusal({ cwd: dir }), /^connector-conformance\.config\.json: invalid JSON: /);
  });

  it('a module that fails to load, one without a default export, a config function that throws', async () => {
    const dir = await folder({
      'broken.mjs': 'export default {\n',
      'named.mjs': 'export const config = {};\n',
      'throws.mjs': 'export default () => { throw new Error("no\\nsecrets"); };\n',
    });
    assert.match(await refusal({ cwd: dir, file: 'broken.mjs' }), /^broken\.mjs: cannot load it: /);
    assert.equal(
      await refusal({ cwd: dir, file: 'named.mjs' }),
      'named.mjs: no default export (write export default defineConfig({ … }))',
    );
    assert.equal(
      await refusal({ cwd: dir, file: 'throws.mjs' }),
      'throws.mjs: its config function failed: no',
    );
  });

  it('a .ts config under node_modules, where Node.js does not strip types', async () => {
    const dir = await folder({
      'node_modules/pkg/connector-conformance.config.ts':
        'const x: number = 1;\nexport default { parallel: x };\n',
    });
    assert.equal(
      await refusal({ cwd: dir, file: 'node_modules/pkg/connector-conformance.config.ts' }),
      'node_modules/pkg/connector-conformance.config.ts: Node.js does not strip types from files under node_modules; use a .mjs, .json or .yaml config there',
    );
  });

  it('a --config file that is missing, a folder, or of another format', async () => {
    const dir = await folder({ 'settings.toml': 'client = "ui"\n', 'sub/x.json': '{}' });
    assert.equal(await refusal({ cwd: dir, file: 'missing.yaml' }), 'missing.yaml: no such file');
    assert.equal(
      await refusal({ cwd: dir, file: 'sub' }),
      'sub: not a config file format (expected .ts, .mjs, .js, .json, .yaml, .yml)',
    );
    await mkdir(path.join(dir, 'folder.json'));
    assert.equal(await refusal({ cwd: dir, file: 'folder.json' }), 'folder.json: not a file');
    assert.match(
      await refusal({ cwd: dir, file: 'settings.toml' }),
      /^settings\.toml: not a config file format/,
    );
    const outside = await refusal({ cwd: path.join(dir, 'sub'), file: '../missing.json' });
    assert.equal(outside, `${path.join(dir, 'missing.json')}: no such file`);
  });
});

describe('relative paths', () => {
  it("are taken from the config file's folder, not the current directory", async () => {
    const dir = await folder({
      'project/ci/run.yaml':
        'reportDir: ../reports\nfixtures: /abs/fixtures\nexpect: expect.yaml\nbaseline: old/conformance.json\nbundle: { signingKey: key.pem }\n',
    });
    const options = await loadConfig({ cwd: dir, file: 'project/ci/run.yaml' });
    const ci = path.join(dir, 'project', 'ci');
    assert.deepEqual(options, {
      reportDir: path.join(dir, 'project', 'reports'),
      fixturesDir: '/abs/fixtures',
      expectFile: path.join(ci, 'expect.yaml'),
      baselineFile: path.join(ci, 'old', 'conformance.json'),
      bundle: { signingKeyFile: path.join(ci, 'key.pem') },
    });
  });

  it("a module driver's path too; other clients are left as written", async () => {
    const dir = await folder({ 'ci/run.yaml': 'client: module:./drivers/my-driver.js\n' });
    const options = await loadConfig({ cwd: dir, file: 'ci/run.yaml' });
    assert.deepEqual(options, { client: `module:${path.join(dir, 'ci', 'drivers', 'my-driver.js')}` });
    const ui = await folder({ 'run.yaml': 'client: ui:http://127.0.0.1:8080/app\n' });
    assert.deepEqual(await loadConfig({ cwd: ui, file: 'run.yaml' }), {
      client: 'ui:http://127.0.0.1:8080/app',
    });
  });
});

describe('discovery', () => {
  it('finds nothing in a folder without a config file, and needs one for --profile', async () => {
    const dir = await folder({ 'other.yaml': 'client: ui\n' });
    assert.equal(await loadConfig({ cwd: dir }), undefined);
    assert.match(
      await refusal({ cwd: dir, profile: 'ci' }),
      /^--profile ci: no config file here \(connector-conformance\.config\.ts, .*connector-conformance\.config\.yml\); give one with --config FILE$/,
    );
  });

  it('finds the one config file of the current directory', async () => {
    const dir = await folder({ 'connector-conformance.config.json': '{ "parallel": 3 }' });
    assert.deepEqual(await loadConfig({ cwd: dir }), { parallel: 3 });
  });

  it('refuses several, naming them, unless --config picks one', async () => {
    const dir = await folder({
      'connector-conformance.config.json': '{ "parallel": 3 }',
      [YAML_NAME]: 'parallel: 5\n',
    });
    assert.equal(
      await refusal({ cwd: dir }),
      'several config files here (connector-conformance.config.json, connector-conformance.config.yaml): keep one, or choose with --config FILE',
    );
    assert.deepEqual(await loadConfig({ cwd: dir, file: YAML_NAME }), { parallel: 5 });
  });
});

describe('mergeRunSettings: flags override the file', () => {
  const fromConfig = {
    client: 'ui',
    parallel: 4,
    targets: [{ platform: 'windows' as const, clientVersion: '4.7' }],
    reportDir: '/project/reports',
    bundle: { productFile: '/project/product.yaml', signingKeyFile: '/project/key.pem' },
  };

  it('takes a given flag over the file, and leaves the file where no flag is given', () => {
    const { options } = parseRunArgs(['--parallel', '0', '--platform', 'macos', '--tags', '@req:EX-MAIN-ON']);
    assert.deepEqual(mergeRunSettings(fromConfig, options), {
      client: 'ui',
      parallel: 0,
      targets: [{ platform: 'macos', clientVersion: '4.7' }],
      reportDir: '/project/reports',
      tags: '@req:EX-MAIN-ON',
      bundle: fromConfig.bundle,
    });
  });

  it("merges the bundle's files one level down", () => {
    const { options } = parseRunArgs(['--bundle', '--signing-key', 'other.pem']);
    assert.deepEqual(mergeRunSettings(fromConfig, options).bundle, {
      productFile: '/project/product.yaml',
      signingKeyFile: 'other.pem',
    });
  });

  it('ignores flags left undefined, and takes the flags alone without a file', () => {
    assert.equal(mergeRunSettings(fromConfig, { client: undefined }).client, 'ui');
    assert.deepEqual(mergeRunSettings(undefined, { parallel: 2 }), { parallel: 2 });
  });

  it('does not change its inputs', () => {
    const before = structuredClone(fromConfig);
    mergeRunSettings(fromConfig, { bundle: { signingKeyFile: 'k.pem' }, parallel: 1 });
    assert.deepEqual(fromConfig, before);
  });
});

describe('the file accepts what the flags accept', () => {
  /** Whether `run` takes the flag's text, and the config the value as its key. */
  function flagTakes(flag: string, text: string): boolean {
    try {
      parseRunArgs([flag, text]);
      return true;
    } catch (error) {
      assert.ok(error instanceof UsageError, String(error));
      return false;
    }
  }
  function configTakes(key: string, value: unknown): boolean {
    try {
      validateConfig({ [key]: value }, 'config');
      return true;
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return false;
    }
  }
  const cases: [string, string, unknown[]][] = [
    ['--parallel', 'parallel', [-1, 0, 1, 16, 17]],
    ['--repeat', 'repeat', [0, 1, 999, 1000]],
    ['--action-timeout', 'actionTimeout', [0, 1, 600000, 600001]],
    ['--client-version', 'clientVersion', ['4', '4.7', '4.6.1', '4.6.1.2', '4.6.1.2.3', 'v4.7', '4.7-beta']],
    ['--platform', 'platform', ['windows', 'macos', 'all', 'linux', 'Windows']],
    ['--evidence', 'evidence', ['none', 'failures', 'all', 'some']],
    ['--user-agent', 'userAgent', ['http', 'browser', 'curl']],
    ['--tags', 'tags', ['@a', '@a and not @b', '@a and', '(@a']],
  ];
  for (const [flag, key, values] of cases) {
    it(`${key} as ${flag}`, () => {
      for (const value of values) {
        assert.equal(configTakes(key, value), flagTakes(flag, String(value)), `${key}: ${String(value)}`);
      }
    });
  }
});

describe('docs/config.md', () => {
  it('shows a .ts config and its YAML equivalent, which load as the same settings, each profile too', async () => {
    const docs = await readFile(path.join(import.meta.dirname, '..', 'docs', 'config.md'), 'utf8');
    const block = (lang: string) => {
      const text = docs.split(`\n\`\`\`${lang}\n`)[1]?.split('\n```')[0];
      assert.ok(text, `a ${lang} block`);
      return text;
    };
    const dir = await folder({
      'example.ts': block('ts').replace("from 'connector-conformance'", `from '${DEFINE}'`),
      'example.yaml': block('yaml'),
    });
    for (const profile of [undefined, 'ci', 'quick']) {
      const fromTs = await loadConfig({ cwd: dir, file: 'example.ts', profile });
      assert.ok(fromTs?.targets !== undefined && fromTs.clientCommand !== undefined);
      assert.deepEqual(await loadConfig({ cwd: dir, file: 'example.yaml', profile }), fromTs);
    }
  });
});

describe('defineConfig', () => {
  it('returns the config it is given, typed', () => {
    const config: ConformanceConfig = { client: 'ui', profiles: { ci: { parallel: 4 } } };
    assert.equal(defineConfig(config), config);
    const fn = () => config;
    assert.equal(defineConfig(fn), fn);
    // @ts-expect-error a misspelt key is a type error in a .ts config
    defineConfig({ paralel: 4 });
    // @ts-expect-error so is a value of the wrong type
    defineConfig({ profiles: { ci: { parallel: '4' } } });
  });

  it('ConfigError keeps a quoted message on one line', () => {
    assert.equal(new ConfigError('a: b\n  c').message, 'a: b c');
  });
});

describe('run with a config file', () => {
  it('takes its settings and profile from the file of the current directory, flags over them', async () => {
    const dir = await folder({
      [YAML_NAME]:
        "platform: windows\nreportDir: from-file\nprofiles:\n  one:\n    tags: '@req:EX-MAIN-ON'\n",
    });
    const { code, stdout } = await cli(['run', '--profile', 'one', '--client-version', '4.6'], {}, dir);
    assert.equal(code, 0, stdout);
    const report = await readValidReport(path.join(dir, 'from-file'));
    assert.deepEqual(report.run.targets, [{ platform: 'windows', clientVersion: '4.6' }]);
    assert.equal(report.run.tags, '@req:EX-MAIN-ON');
  });

  it('a file it refuses: one line naming the key, exit 2, and a report', async () => {
    const dir = await folder({ [YAML_NAME]: 'paralel: 2\n' });
    const { code, stderr } = await cli(['run', '--report-dir', 'refused'], {}, dir);
    assert.equal(code, 2);
    assert.match(
      stderr.split('\n')[0] ?? '',
      /^connector-conformance: connector-conformance\.config\.yaml: paralel: unknown key/,
    );
    const report = await readValidReport(path.join(dir, 'refused'));
    assert.match(report.run.errors[0] ?? '', /paralel: unknown key/);
  });
});
