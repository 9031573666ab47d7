/**
 * The WebDriver bridge (issue 13): the UI map and its defaults, the shipped maps, and the bridge
 * driving the reference client's web UI through Debian's chromedriver: a session's life cycle over
 * ccdp/1, the full suite with the in-process verdicts on every default target, and every defect
 * caught on its requirement.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from 'webdriver';
import { DEFECTS, SCRIPTED_DEFECTS } from '../client/core/defects.ts';
import { bridgeBackend, connectWebDriver } from '../src/bridge/backend.ts';
import { KeptWebDriverSession } from '../src/bridge/kept-session.ts';
import { BridgeSession } from '../src/bridge/session.ts';
import { loadUiMap, UiMapError, uiMap } from '../src/bridge/ui-map.ts';
import type { Target } from '../src/catalog/types.ts';
import type { SessionOptions } from '../src/drivers/types.ts';
import { ReferenceClientUi } from '../src/drivers/ui.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import type { SessionResponse, ViewResponse } from '../src/protocol/ccdp.ts';
import { type MessageKind, validateMessage } from '../src/protocol/schema.ts';
import { type CcdpListener, ccdpHandler, serveCcdp } from '../src/protocol/server.ts';
import { DEFAULT_TARGETS } from '../src/runner/options.ts';
import { yamlData } from '../src/yaml-data.ts';
import { request, serveCcdpProcess, sessionRequest } from './support/ccdp.ts';
import { type Chromedriver, startChromedriver } from './support/chromedriver.ts';
import { BIN, cli, tempDir } from './support/cli.ts';
import { StubPolicyApi, stubSignIn } from './support/reference-client-stubs.ts';
import { defectScope, run, verdicts } from './support/runs.ts';

const MAPS = path.join(PACKAGE_ROOT, 'bridge', 'ui-maps');
const WEB_MAP = path.join(MAPS, 'web.yaml');

describe('the UI map', () => {
  test('an empty map is the web defaults: the accessible names of docs/ui-contract.md', () => {
    const map = uiMap(null, 'empty.yaml');
    assert.equal(map.driver, 'web');
    assert.deepEqual(map.start, { app: 'reference-web-ui' });
    assert.equal(map.restart, 'navigate');
    assert.equal(map.webdriverSession, 'kept');
    assert.equal(map.changes, 'page-source');
    assert.deepEqual(map.window.titles, {
      main: 'Zscaler Client Connector',
      'private-access': 'Private Access',
      'add-tenant': 'Add Tenant',
      authentication: 'Sign In - ',
    });
    assert.match(map.tenants.partner.value, /'Partner tenants'/);
    assert.match(map.authorizationUrl.locator.value, /'Open the sign-in page'/);
    assert.equal(map.authorizationUrl.read, '@href');
  });

  test('a key given replaces that default only; a native driver starts the app by its capabilities', () => {
    const map = uiMap(
      {
        driver: 'windows',
        window: { titles: { main: 'Client Connector' } },
        controls: { name: '@AutomationId' },
      },
      'win.yaml',
    );
    assert.equal(map.window.titles.main, 'Client Connector');
    assert.equal(map.window.titles['private-access'], 'Private Access');
    assert.equal(map.controls.name, '@AutomationId');
    assert.match(map.controls.locator.value, /Button/);
    assert.deepEqual(map.start, { app: 'capabilities' });
    assert.equal(map.restart, 'new-session');
    assert.equal(map.webdriverSession, 'new');
    assert.equal(
      uiMap({ start: { app: 'url', url: 'http://127.0.0.1:8/' } }, 'url.yaml').webdriverSession,
      'new',
    );
  });

  const bad: [string, unknown, RegExp][] = [
    [
      'an unknown key',
      { window: { titel: 'x' } },
      /^bad\.yaml: window\.titel: unknown key \(expected one of locator, title, busy, titles\)$/,
    ],
    [
      'a locator without value',
      { controls: { locator: { using: 'name' } } },
      /^bad\.yaml: controls\.locator\.value: missing$/,
    ],
    [
      'a read that is none',
      { fields: { name: 'aria' } },
      /^bad\.yaml: fields\.name: expected text, label \(the computed accessible name\) or @ATTRIBUTE \(got "aria"\)$/,
    ],
    [
      'an unknown driver',
      { driver: 'safari' },
      /^bad\.yaml: driver: expected web, windows or mac2 \(got "safari"\)$/,
    ],
    ['a url start without url', { start: { app: 'url' } }, /^bad\.yaml: start\.url: missing \(app: url\)$/],
    [
      'a kept WebDriver session for an app the capabilities start',
      { driver: 'windows', webdriverSession: 'kept' },
      /^bad\.yaml: webdriverSession: kept needs start\.app reference-web-ui or url \(the capabilities start the app/,
    ],
    [
      'a kept WebDriver session restarted as a new one',
      { restart: 'new-session' },
      /^bad\.yaml: restart: new-session ends the WebDriver session that webdriverSession: kept keeps \(give webdriverSession: new\)$/,
    ],
    [
      'an authentication setting for a client the bridge does not start',
      { start: { app: 'url', url: 'http://127.0.0.1:8/', authentication: 'embedded' } },
      /^bad\.yaml: start\.authentication: only for app: reference-web-ui \(the bundled client\)/,
    ],
    [
      'changes that are none',
      { changes: 'never' },
      /^bad\.yaml: changes: expected page-source or read \(got "never"\)$/,
    ],
  ];
  for (const [what, data, message] of bad) {
    test(`${what} is one line naming the key`, () => {
      assert.throws(
        () => uiMap(data, 'bad.yaml'),
        (error: unknown) => {
          assert.ok(error instanceof UiMapError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  test('the shipped maps (web, windows, macos) validate', async () => {
    const files = (await readdir(MAPS)).filter((file) => file.endsWith('.yaml')).sort();
    assert.deepEqual(files, ['macos.yaml', 'web.yaml', 'windows.yaml']);
    const drivers = await Promise.all(
      files.map(async (file) => (await loadUiMap(path.join(MAPS, file))).driver),
    );
    assert.deepEqual(drivers, ['mac2', 'web', 'windows']);
  });

  test('bridge webdriver with a bad map: one line naming the file and the key, exit 2', async () => {
    const dir = await tempDir('ui-map-');
    const file = path.join(dir, 'map.yaml');
    await writeFile(file, 'driver: web\ntenants:\n  zpa:\n    locatr: {using: xpath, value: x}\n');
    const caps = path.join(dir, 'caps.json');
    await writeFile(caps, '{}');
    const result = await cli([
      'bridge',
      'webdriver',
      '--webdriver',
      'http://127.0.0.1:9/',
      '--capabilities',
      caps,
      '--ui-map',
      file,
      '--platform',
      'windows',
      '--client-version',
      '4.7',
    ]);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr.trim(),
      `connector-conformance bridge webdriver: --ui-map ${file}: tenants.zpa.locatr: unknown key (expected one of locator, read)`,
    );
  });
});

describe('the bridge through chromedriver and the reference web UI', () => {
  let driver: Chromedriver;
  before(async () => {
    driver = await startChromedriver();
  });
  after(() => driver?.stop());

  test('a session: started, read, acted on, NOT_OFFERED, long-polled, its log, deleted; every body valid', async () => {
    const api = new StubPolicyApi({});
    const listener: CcdpListener = await serveCcdp(
      ccdpHandler(
        bridgeBackend({
          webdriver: new URL(driver.url),
          capabilities: driver.capabilities,
          map: await loadUiMap(WEB_MAP),
          platform: 'windows',
          clientVersion: '4.7',
          deps: { policyApi: () => api, signIn: stubSignIn([]) },
        }),
      ),
    );
    const call = async (kind: MessageKind, status: number, method: string, where: string, body?: unknown) => {
      const answer = await request(`${listener.url}/ccdp/1${where}`, method, body);
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.deepEqual(validateMessage(kind, answer.body), [], JSON.stringify(answer.body));
      return answer.body;
    };
    try {
      const status = (await call('status', 200, 'GET', '/status')) as { capabilities: { defects: string[] } };
      assert.equal(status.capabilities.defects.length, DEFECTS.length);
      const created = (await call('session', 201, 'POST', '/sessions', sessionRequest())) as SessionResponse;
      assert.equal(created.view.window, 'main');
      assert.equal(created.idle, false);
      assert.ok(created.view.controls.includes('Private Access'), created.view.controls.join(', '));
      const at = `/sessions/${created.id}`;

      const opened = (await call('view-response', 200, 'POST', `${at}/actions`, {
        type: 'click',
        control: 'Private Access',
      })) as ViewResponse;
      assert.equal(opened.view.window, 'private-access');
      assert.ok(opened.serial > created.serial);
      assert.deepEqual(
        opened.view.tenants.map((tenant) => [tenant.name, tenant.role, tenant.zpa]),
        [['Acme Corp', 'main', 'on']],
      );

      const refused = (await call('error', 409, 'POST', `${at}/actions`, {
        type: 'click',
        control: 'Connect',
      })) as {
        code: string;
        message: string;
      };
      assert.equal(refused.code, 'NOT_OFFERED');
      assert.match(
        refused.message,
        /^the Private Access window offers no control "Connect" \(controls: .*Add Partner Tenant/,
      );

      const same = (await call(
        'view-response',
        200,
        'GET',
        `${at}/view?after=${opened.serial}&wait=100`,
      )) as ViewResponse;
      assert.equal(same.serial, opened.serial);
      assert.deepEqual(same.view, opened.view);

      const evidence = (await call('evidence', 200, 'GET', `${at}/evidence`)) as { log: string[] };
      assert.ok(
        evidence.log.some((line) => line.includes('Private Access')),
        evidence.log.join('\n'),
      );
      assert.equal((await request(`${listener.url}/ccdp/1${at}`, 'DELETE')).status, 204);
      await call('error', 404, 'GET', `${at}/view`);
    } finally {
      await listener.close();
    }
  });

  const SESSION: SessionOptions = {
    platform: 'windows',
    clientVersion: '4.7',
    policyApiUrl: 'http://127.0.0.1:9/',
    username: 'alex@acme.example',
  };

  /** A WebDriver session on chromedriver whose commands are counted by name. */
  async function countedSession() {
    // The whole of WebdriverIO's client, for the commands a test needs beyond the bridge's (cookies).
    const client = (await connectWebDriver({
      webdriver: new URL(driver.url),
      capabilities: driver.capabilities,
    })) as unknown as Client;
    const calls: string[] = [];
    // Its commands are read-only properties: each is shadowed on an object inheriting the rest.
    const counted = Object.create(client) as Client;
    const keys = new Set<string>();
    for (
      let at: object | null = client;
      at !== null && at !== Object.prototype;
      at = Object.getPrototypeOf(at)
    )
      for (const key of Object.getOwnPropertyNames(at)) keys.add(key);
    for (const key of keys) {
      const command = Reflect.get(client, key) as unknown;
      if (key === 'constructor' || typeof command !== 'function') continue;
      Object.defineProperty(counted, key, {
        value: (...args: unknown[]) => {
          calls.push(key);
          return command.apply(client, args);
        },
      });
    }
    return { client: counted, calls };
  }

  test('a read stands while the page source is the same: one command; a changed window is read anew', async () => {
    const { client, calls } = await countedSession();
    const ui = new ReferenceClientUi({ policyApi: () => new StubPolicyApi({}), signIn: stubSignIn([]) });
    const session = new BridgeSession({
      map: await loadUiMap(WEB_MAP),
      connect: async () => client,
      app: ui,
    });
    try {
      await session.start(SESSION);
      // The page may still change as it connects its event stream: read until a read costs one command.
      const first = await session.read();
      for (let attempt = 0; attempt < 10; attempt += 1) {
        calls.length = 0;
        assert.deepEqual(await session.read(), first);
        if (calls.length === 1) break;
      }
      assert.deepEqual(calls, ['getPageSource']);
      await session.act({ type: 'click', control: 'Private Access' });
      calls.length = 0;
      const opened = await session.read();
      assert.equal(opened.view.window, 'private-access');
      assert.ok(opened.serial > first.serial);
      // Read anew: its elements found in one script in the page, then each name read.
      assert.deepEqual(calls.slice(0, 2), ['getPageSource', 'executeScript']);
      assert.ok(calls.filter((call) => call === 'getElementComputedLabel').length >= 3, calls.join(' '));
    } finally {
      await session.stop();
    }
    assert.deepEqual(calls.at(-1), 'deleteSession');
  });

  test('changes: read reads the window every time', async () => {
    const { client, calls } = await countedSession();
    const ui = new ReferenceClientUi({ policyApi: () => new StubPolicyApi({}), signIn: stubSignIn([]) });
    const map = uiMap({ changes: 'read' }, 'read.yaml');
    const session = new BridgeSession({ map, connect: async () => client, app: ui });
    try {
      await session.start(SESSION);
      calls.length = 0;
      await session.read();
      await session.read();
      assert.ok(!calls.includes('getPageSource'), calls.join(' '));
      assert.equal(calls.filter((call) => call === 'executeScript').length, 2, calls.join(' '));
    } finally {
      await session.stop();
    }
  });

  test('found by one WebDriver command per locator (a strategy no page script runs) or in the page: the same view', async () => {
    const views: ViewResponse[] = [];
    // `tag name` is evaluated by the driver only, so this map's reads find every element by commands.
    const byCommands = uiMap(
      { error: { locator: { using: 'tag name', value: 'no-such-element' } } },
      'c.yaml',
    );
    for (const map of [await loadUiMap(WEB_MAP), byCommands]) {
      const { client, calls } = await countedSession();
      const ui = new ReferenceClientUi({ policyApi: () => new StubPolicyApi({}), signIn: stubSignIn([]) });
      const session = new BridgeSession({ map, connect: async () => client, app: ui });
      try {
        await session.start(SESSION);
        await session.act({ type: 'click', control: 'Private Access' });
        calls.length = 0;
        views.push(await session.read());
        assert.equal(calls.includes('findElementsFromElement'), map === byCommands, calls.join(' '));
      } finally {
        await session.stop();
      }
    }
    const [inPage, commands] = views;
    assert.equal(inPage?.view.window, 'private-access');
    assert.deepEqual(commands?.view, inPage?.view);
  });

  test('a kept WebDriver session serves one session after another, its cookies deleted; a dead one is replaced', async () => {
    let opened = 0;
    const kept = new KeptWebDriverSession<Client>(async () => {
      opened += 1;
      return (await countedSession()).client;
    });
    const ui = new ReferenceClientUi({ policyApi: () => new StubPolicyApi({}), signIn: stubSignIn([]) });
    const url = await ui.start(SESSION);
    try {
      const first = await kept.take();
      await first.navigateTo(url);
      await first.addCookie({ name: 'left', value: 'over' });
      await kept.give(first);
      assert.equal(await first.getUrl(), 'about:blank');
      const second = await kept.take();
      assert.equal(second, first);
      assert.equal(opened, 1);
      await second.navigateTo(url);
      assert.deepEqual(await second.getAllCookies(), []);
      await kept.give(second);
      await second.deleteSession();
      const third = await kept.take();
      assert.notEqual(third, second);
      assert.equal(opened, 2);
      await kept.give(third);
    } finally {
      await kept.close();
      await ui.stop();
    }
  });

  test('a client at a URL: restart as a new WebDriver session, the log file as evidence, its data cleared after', async () => {
    const dir = await tempDir('bridge-url-');
    const logFile = path.join(dir, 'client.log');
    const cleared = path.join(dir, 'cleared');
    await writeFile(logFile, 'started\nenrolled alex@acme.example\n');
    const ui = new ReferenceClientUi({ policyApi: () => new StubPolicyApi({}), signIn: stubSignIn([]) });
    const url = await ui.start({
      platform: 'macos',
      clientVersion: '4.7',
      policyApiUrl: 'http://127.0.0.1:9/',
      username: 'alex@acme.example',
    });
    const map = uiMap(
      {
        start: { app: 'url', url },
        restart: 'new-session',
        clearData: {
          command: [process.execPath, '-e', 'require("node:fs").writeFileSync(process.argv[1], "")', cleared],
        },
        log: { file: logFile },
      },
      'url.yaml',
    );
    const listener = await serveCcdp(
      ccdpHandler(
        bridgeBackend({
          webdriver: new URL(driver.url),
          capabilities: driver.capabilities,
          map,
          platform: 'macos',
          clientVersion: '4.7',
        }),
      ),
    );
    try {
      const created = (
        await request(`${listener.url}/ccdp/1/sessions`, 'POST', sessionRequest({ platform: 'macos' }))
      ).body as SessionResponse;
      assert.equal(created.view.window, 'main', JSON.stringify(created));
      const at = `${listener.url}/ccdp/1/sessions/${created.id}`;
      const restarted = (await request(`${at}/actions`, 'POST', { type: 'restart' })).body as ViewResponse;
      assert.equal(restarted.view.window, 'main', JSON.stringify(restarted));
      assert.ok(restarted.serial > created.serial);
      assert.deepEqual((await request(`${at}/evidence`, 'GET')).body, {
        log: ['started', 'enrolled alex@acme.example'],
      });
      await assert.rejects(stat(cleared));
      assert.equal((await request(at, 'DELETE')).status, 204);
      assert.equal((await stat(cleared)).isFile(), true);
    } finally {
      await listener.close();
      await ui.stop();
    }
  });

  /** One bridge per worker, all on one chromedriver, as a QA team would start it. */
  const bridgeArgs = (at: { platform: string; version: string; port: string }) => [
    'bridge',
    'webdriver',
    '--webdriver',
    driver.url,
    '--capabilities',
    driver.capabilitiesFile,
    '--ui-map',
    WEB_MAP,
    '--platform',
    at.platform,
    '--client-version',
    at.version,
    '--port',
    at.port,
  ];
  const bridgeCommand = () =>
    ['node', BIN, ...bridgeArgs({ platform: '{platform}', version: '{version}', port: '{port}' })].join(' ');

  test('check-client passes on the bridge: every check of the self-test, exit 0', async () => {
    const closers: (() => Promise<void>)[] = [];
    try {
      const url = await serveCcdpProcess(
        [BIN, ...bridgeArgs({ platform: 'windows', version: '4.7', port: '0' })],
        closers,
      );
      const { code, stdout, stderr } = await cli(['check-client', url, '--platform', 'windows']);
      assert.equal(code, 0, stdout + stderr);
      const rows = stdout.trim().split('\n').slice(1, -1);
      assert.ok(rows.length >= 20, stdout);
      for (const row of rows) assert.match(row, /^\S+\s+passed\s+driver-protocol\.md#/, row);
    } finally {
      await Promise.all(closers.map((close) => close()));
    }
  });

  /**
   * The bundled client with its sign-in page inside its authentication window: no URL to read, so the
   * harness types the sign-in through the map's `signIn` elements, in the same WebDriver session.
   */
  describe("a client that signs in inside its own window, through the map's signIn", () => {
    const target: Target = { platform: 'windows', clientVersion: '4.7' };
    const bridges: CcdpListener[] = [];
    /** A bridge to the embedded client, with the shipped web map and `keys` over it. */
    const bridgeWith = async (keys: object = {}) => {
      const bridge = await serveCcdp(
        ccdpHandler(
          bridgeBackend({
            webdriver: new URL(driver.url),
            capabilities: driver.capabilities,
            map: uiMap(
              {
                ...(yamlData(await readFile(WEB_MAP, 'utf8')) as object),
                start: { app: 'reference-web-ui', authentication: 'embedded' },
                ...keys,
              },
              'web.yaml, embedded',
            ),
            ...target,
          }),
        ),
      );
      bridges.push(bridge);
      return `remote:${bridge.url}`;
    };
    let shipped: Promise<string> | undefined;
    const embedded = () => {
      shipped ??= bridgeWith();
      return shipped;
    };
    after(() => Promise.all(bridges.map((bridge) => bridge.close())));

    test('the suite on one target: the in-process verdicts', async () => {
      const inProcess = await run({ targets: [target] });
      const bridged = await run({ client: await embedded(), targets: [target] });
      assert.equal(bridged.report.run.exitCode, 0, JSON.stringify(bridged.report.run.errors));
      assert.deepEqual(verdicts(bridged.report), verdicts(inProcess.report));
    });

    test('found by one WebDriver command per locator, the signIn elements too: the in-process verdicts', async () => {
      // `tag name` is evaluated by the driver only, so this map's reads find every element by commands
      // (information texts, which these scenarios do not read, are found by it).
      const byCommands = await bridgeWith({
        info: { locator: { using: 'tag name', value: 'no-such-element' } },
      });
      const tags = '@req:IDP-RETURN or @req:FAIL-NO-CHANGE';
      const inProcess = await run({ targets: [target], tags });
      const bridged = await run({ client: byCommands, targets: [target], tags });
      assert.equal(bridged.report.run.exitCode, 0, JSON.stringify(bridged.report.run.errors));
      assert.deepEqual(verdicts(bridged.report), verdicts(inProcess.report));
    });

    // A refused request, silence after Sign In, a forged callback and a failed sign-in, in the window.
    for (const name of [
      'redirect-uri-not-registered',
      'enrolment-refusal-not-shown',
      'callback-state-not-checked',
      'main-off-after-failed-sign-in',
    ]) {
      test(`${name}: caught as in process`, async () => {
        const defect = DEFECTS.find((candidate) => candidate.name === name);
        assert.ok(defect);
        const { tags } = defectScope(defect);
        const inProcess = await run({ defect: name, targets: [target], tags });
        const bridged = await run({ client: await embedded(), defect: name, targets: [target], tags });
        assert.equal(bridged.report.run.exitCode, 1, JSON.stringify(bridged.report.run.errors));
        assert.deepEqual(verdicts(bridged.report), verdicts(inProcess.report));
      });
    }
  });

  test('the full suite through the bridge gives the in-process verdicts on every default target', async (t) => {
    const inProcess = await run({});
    const started = performance.now();
    const bridged = await run({ clientCommand: bridgeCommand(), parallel: 2 });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    assert.equal(bridged.report.run.exitCode, 0, JSON.stringify(bridged.report.run.errors));
    assert.deepEqual(bridged.report.run.targets, DEFAULT_TARGETS);
    assert.deepEqual(verdicts(bridged.report), verdicts(inProcess.report));
    assert.equal(bridged.report.summary.scenarios, inProcess.report.summary.scenarios);
    t.diagnostic(`the full suite through the bridge: ${seconds} s`);
  });

  /**
   * Every defect through the bridge, each on the first target where the in-process run catches it on its
   * requirement, with the in-process verdicts there. One bridge per target in this process, each keeping
   * its WebDriver session from defect to defect (bridge processes and the whole suite through them are
   * tested above). Every defect on every target takes about four times as long.
   */
  describe('every defect caught on its requirement through the bridge', () => {
    const bridges = new Map<string, Promise<CcdpListener>>();
    const bridgeFor = (target: Target) => {
      const key = `${target.platform} ${target.clientVersion}`;
      let bridge = bridges.get(key);
      if (bridge === undefined) {
        bridge = loadUiMap(WEB_MAP).then((map) =>
          serveCcdp(
            ccdpHandler(
              bridgeBackend({
                webdriver: new URL(driver.url),
                capabilities: driver.capabilities,
                map,
                ...target,
              }),
            ),
          ),
        );
        bridges.set(key, bridge);
      }
      return bridge;
    };
    after(async () => {
      await Promise.all([...bridges.values()].map(async (bridge) => (await bridge).close()));
    });

    for (const defect of SCRIPTED_DEFECTS) {
      test(`${defect.name}: caught through the bridge on ${(defect.shownIn ?? [defect.requirement]).join(' and ')}'s scenarios`, async () => {
        const { targets, tags } = defectScope(defect);
        const inProcess = await run({ defect: defect.name, targets, tags });
        const caught = inProcess.report.results.find(
          (result) =>
            result.requirement === defect.requirement &&
            (result.status === 'nonconforming' || result.status === 'blocked'),
        );
        assert.ok(caught, `the in-process run catches ${defect.name} on ${defect.requirement}`);
        const target = targets.find(
          (candidate) =>
            candidate.platform === caught.platform && candidate.clientVersion === caught.clientVersion,
        );
        assert.ok(target);
        const bridged = await run({
          client: `remote:${(await bridgeFor(target)).url}`,
          targets: [target],
          defect: defect.name,
          tags,
        });
        assert.equal(bridged.report.run.exitCode, 1, JSON.stringify(bridged.report.run.errors));
        assert.equal(bridged.report.client.defect, defect.name);
        assert.deepEqual(verdicts(bridged.report, target), verdicts(inProcess.report, target));
      });
    }
  });
});
