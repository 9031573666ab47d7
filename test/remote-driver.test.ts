/**
 * The remote driver against the reference client served over ccdp/1 in this process, and against
 * servers that break the protocol: a broken answer is a ClientProtocolError naming the action, what
 * was expected and what came back, never a ClientActionError.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { CLIENT_NAME } from '../client/protocol/server.ts';
import { ClientProcess } from '../src/drivers/client-process.ts';
import { RemoteDriver, readStatus } from '../src/drivers/remote.ts';
import type { SessionOptions } from '../src/drivers/types.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import { ClientActionError, ClientProtocolError } from '../src/verdict.ts';
import { closedPort, ENROLLED_USER, serveStubbedClient } from './support/ccdp.ts';
import { type Fault, serveFaultyClient } from './support/faulty-client.ts';
import { GLOBEX_USER, redirectBack, StubPolicyApi, stubSignIn } from './support/reference-client-stubs.ts';

const SESSION: SessionOptions = {
  platform: 'windows',
  clientVersion: '4.7',
  policyApiUrl: 'http://127.0.0.1:9',
  username: ENROLLED_USER,
};

const closers: (() => Promise<void>)[] = [];
after(() => Promise.all(closers.map((close) => close())));

async function driverFor(url: string, options: Partial<ConstructorParameters<typeof RemoteDriver>[0]> = {}) {
  const driver = new RemoteDriver({ baseUrl: url, actionTimeoutMs: 2000, ...options });
  closers.push(() => driver.stop().catch(() => undefined));
  return driver;
}

describe('the remote driver with the reference client', () => {
  test('acts, waits for the change the sign-in brought, restarts and reads the log', async () => {
    const server = await serveStubbedClient();
    closers.push(server.close);
    const driver = await driverFor(server.url);
    await driver.start(SESSION);
    assert.equal((await driver.view()).window, 'main');
    await driver.act({ type: 'click', control: 'Private Access' });
    await driver.act({ type: 'click', control: 'Add Partner Tenant' });
    await driver.act({ type: 'fill', field: 'Username', value: GLOBEX_USER });
    await driver.act({ type: 'click', control: 'Submit' });
    const signIn = await driver.waitForView((view) => view.window === 'authentication', {
      description: 'the authentication window',
    });
    // As the harness's user agent does: the redirect is answered once the client has handled it.
    assert.equal((await redirectBack(signIn.authorizationUrl ?? '', { code: 'good' })).status, 200);
    const listed = await driver.waitForView((view) => view.tenants.length === 2, {
      description: 'both tenants',
    });
    assert.deepEqual(
      listed.tenants.map((tenant) => `${tenant.name} ${tenant.zpa}`),
      ['Acme Corp off', 'Globex Corporation on'],
    );
    await driver.restart();
    assert.equal((await driver.view()).window, 'main');
    assert.ok((await driver.evidence()).log.some((line) => line.startsWith('state: restored 1 partner')));
    await driver.stop();
  });

  test('a control the window does not offer is a ClientActionError; an idle client ends a wait at once', async () => {
    const server = await serveStubbedClient();
    closers.push(server.close);
    const driver = await driverFor(server.url);
    await driver.start({ ...SESSION, defect: 'private-access-does-not-open' });
    await assert.rejects(driver.act({ type: 'click', control: 'Add Partner Tenant' }), (error: Error) => {
      assert.ok(error instanceof ClientActionError, String(error));
      assert.match(error.message, /no control "Add Partner Tenant" in the Zscaler Client Connector window/);
      return true;
    });
    await driver.act({ type: 'click', control: 'Private Access' });
    await assert.rejects(
      driver.waitForView((view) => view.window === 'private-access', {
        description: 'the Private Access window',
        timeoutMs: 60_000,
      }),
      /^ViewNotShown: the client is idle without showing the Private Access window; the Zscaler Client Connector window/,
    );
    await driver.stop();
  });
});

describe('a client that breaks the protocol', () => {
  const expected: Record<Exclude<Fault, 'crash'>, RegExp> = {
    invalid:
      /^click "Private Access": expected 200 with a ccdp\/1 view-response from POST \/ccdp\/1\/sessions\/[^/]+\/actions; got 200 with \/view must have required property 'tenants'.*\/view\/window must be equal to one of the allowed values/,
    timeout:
      /^click "Private Access": expected 200 with a ccdp\/1 view-response from POST \/ccdp\/1\/sessions\/[^/]+\/actions; got no answer within 300 ms \(--action-timeout\) \(what the supervisor says\)$/,
    refused:
      /^read the view: expected 200 with a ccdp\/1 view-response from GET \/ccdp\/1\/sessions\/[^/]+\/view; got connection refused \(nothing listens there\) \(what the supervisor says\)$/,
  };
  for (const [fault, message] of Object.entries(expected)) {
    test(`${fault}: a ClientProtocolError saying what was expected and what came back`, async () => {
      const api = new StubPolicyApi({});
      const server = await serveFaultyClient({
        fault: fault as Fault,
        platform: 'windows',
        clientVersion: '4.7',
        deps: { policyApi: () => api, signIn: stubSignIn([]) },
      });
      closers.push(server.close);
      const faults: string[] = [];
      const driver = await driverFor(server.url, {
        actionTimeoutMs: 300,
        describeFault: async () => 'what the supervisor says',
        onFault: (error) => faults.push(error.message),
      });
      await driver.start(SESSION);
      const failing = async () => {
        await driver.act({ type: 'click', control: 'Private Access' });
        await driver.view();
      };
      await assert.rejects(failing(), (error: Error) => {
        assert.ok(error instanceof ClientProtocolError, String(error));
        assert.ok(!(error instanceof ClientActionError));
        assert.match(error.message, message);
        return true;
      });
      assert.equal(faults.length, 1);
      assert.ok(server.faulted);
      // After a fault the driver still ends the session, quietly when the client cannot answer.
      await driver.stop();
    });
  }

  test('nothing listening: starting is a ClientProtocolError naming the refused connection', async () => {
    const port = await closedPort();
    const driver = await driverFor(`http://127.0.0.1:${port}`);
    await assert.rejects(
      driver.start(SESSION),
      (error: Error) =>
        error instanceof ClientProtocolError &&
        /^start the client enrolled as alex@acme.example: expected 201 with a ccdp\/1 session from POST \/ccdp\/1\/sessions; got connection refused/.test(
          error.message,
        ),
    );
  });

  test('an error that is not a ccdp/1 error body is a ClientProtocolError, not a refusal', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(409, { 'content-type': 'text/plain' }).end('conflict, sorry');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const driver = await driverFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await assert.rejects(driver.start(SESSION), (error: Error) => {
      assert.ok(error instanceof ClientProtocolError, String(error));
      assert.match(error.message, /got 409 with a body that is not JSON: "conflict, sorry"$/);
      return true;
    });
  });
});

describe('a client process started from a command', () => {
  const start = (command: string, startupTimeoutMs = 10_000) =>
    ClientProcess.start({ command, platform: 'windows', clientVersion: '4.7', startupTimeoutMs });

  test('serve-client: ready once its status answers for the target, gone once stopped', async () => {
    const client = await start(
      `node ${PACKAGE_ROOT}bin/connector-conformance.js serve-client --platform {platform} --client-version {version} --port {port}`,
    );
    closers.push(() => client.stop());
    assert.match(client.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const status = await readStatus(client.url);
    assert.deepEqual(status.client, { name: CLIENT_NAME, version: '4.7', platform: 'windows' });
    assert.equal(status.session, null);
    await client.stop();
    assert.equal(client.alive, false);
    assert.match(
      (await client.describeExit()) ?? '',
      /^the client process (was ended by SIGTERM|exited with code 0)/,
    );
  });

  test('a command that exits: the error names the command, the exit code and its output', async () => {
    await assert.rejects(
      start(`node -e "console.error('no licence for port {port}'); process.exit(4)"`),
      (error: Error) => {
        assert.ok(error instanceof ClientProtocolError);
        assert.match(
          error.message,
          /^--client-command "node -e .*": the client did not answer GET http:\/\/127\.0\.0\.1:\d+\/ccdp\/1\/status: the client process exited with code 4; its last output: no licence for port \d+$/,
        );
        return true;
      },
    );
  });

  test('a command that never answers: the error says how long it waited', async () => {
    await assert.rejects(start(`node -e "setInterval(() => {}, 1000)" {port}`, 300), (error: Error) => {
      assert.match(
        error.message,
        /^--client-command "node -e .*": the client did not answer GET http:\/\/127\.0\.0\.1:\d+\/ccdp\/1\/status within 300 ms$/,
      );
      return true;
    });
  });

  test('a client of another target: the error says which it is', async () => {
    await assert.rejects(
      start(
        `node ${PACKAGE_ROOT}bin/connector-conformance.js serve-client --platform macos --client-version 4.7 --port {port}`,
      ),
      /the client is macos 4\.7, not the target windows 4\.7 \(use \{platform\} and \{version\} in the command\)$/,
    );
  });
});
