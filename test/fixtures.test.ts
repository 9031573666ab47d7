import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import schema from '../fixtures/schema/organisation.schema.json' with { type: 'json' };
import { DEFAULT_IDENTITY_PROVIDER } from '../src/fixtures/defaults.ts';
import { FixtureError, findOrganisationByDomain, findUser, loadFixtures } from '../src/fixtures/load.ts';

const REAL = join(import.meta.dirname, '..', 'fixtures');
const temporary: string[] = [];

after(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A copy of the real fixtures with one file's text edited; returns the dir and that file's display path. */
async function brokenCopy(
  id: string,
  edit: (text: string) => string,
): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'fixtures-'));
  temporary.push(dir);
  await cp(join(REAL, 'organisations'), join(dir, 'organisations'), { recursive: true });
  const path = join(dir, 'organisations', `${id}.yaml`);
  const before = await readFile(path, 'utf8');
  const after = edit(before);
  assert.notEqual(after, before, 'the edit must change the file');
  await writeFile(path, after);
  return { dir, file: relative(process.cwd(), path) };
}

async function assertFixtureError(dir: string, expected: string): Promise<void> {
  await assert.rejects(loadFixtures(dir), (error: unknown) => {
    assert.ok(error instanceof FixtureError, `expected a FixtureError, got ${String(error)}`);
    assert.equal(error.name, 'FixtureError');
    assert.equal(error.message, expected);
    assert.ok(!error.message.includes('\n'), 'the message is one line');
    return true;
  });
}

describe('loadFixtures on the real fixture folder', () => {
  it('loads the eight organisations of the simulated world', async () => {
    const fixtures = await loadFixtures(REAL);
    assert.equal(fixtures.dir, REAL);
    assert.deepEqual(
      fixtures.organisations.map((org) => org.id),
      ['acme', 'globex', 'hooli', 'initech', 'soylent', 'umbrella', 'vandelay', 'wayne'],
    );
  });

  it('keeps the settings the suite depends on', async () => {
    const fixtures = await loadFixtures(REAL);
    const acme = findOrganisationByDomain(fixtures, 'ACME.example');
    assert.equal(acme?.name, 'Acme Corp');
    assert.deepEqual(acme?.partnerLogins, {
      allowPartnerLoginToThisTenant: { mode: 'no-access' },
      allowUsersToLoginToOtherTenants: true,
      restrictOldClientVersions: false,
    });
    assert.deepEqual(acme?.appProfiles[1], {
      name: 'Restricted Partners',
      partnerLogin: {
        allowUsersToLoginToOtherTenants: true,
        partnerDomains: ['globex.example', 'hooli.example'],
      },
    });
    assert.deepEqual(
      findOrganisationByDomain(fixtures, 'hooli.example')?.partnerLogins.allowPartnerLoginToThisTenant,
      {
        mode: 'specific-tenants',
        tenants: [{ domain: 'acme.example', cloud: 'zscalerthree.net' }],
      },
    );
    assert.equal(findOrganisationByDomain(fixtures, 'vandelay.example')?.cloud, 'zscalertwo.net');
    assert.deepEqual(findOrganisationByDomain(fixtures, 'umbrella.example')?.services, {
      zpa: false,
      zia: true,
    });
    assert.equal(
      findOrganisationByDomain(fixtures, 'soylent.example')?.partnerLogins.restrictOldClientVersions,
      true,
    );
    assert.equal(findOrganisationByDomain(fixtures, 'nowhere.example'), undefined);
  });

  it('gives every organisation the default identity-provider registration', async () => {
    const fixtures = await loadFixtures(REAL);
    for (const org of fixtures.organisations) {
      assert.deepEqual(org.identityProvider, DEFAULT_IDENTITY_PROVIDER, org.id);
    }
    assert.deepEqual(DEFAULT_IDENTITY_PROVIDER, {
      clientId: 'zscaler-client-connector',
      redirectUris: ['http://127.0.0.1/oauth/callback'],
      scopes: ['openid', 'profile', 'email'],
      idTokenSigningAlg: 'RS256',
    });
  });

  it('the schema states the same defaults as the loader applies', () => {
    const fields = schema.$defs.identityProvider.properties;
    assert.deepEqual(
      Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.default])),
      DEFAULT_IDENTITY_PROVIDER,
    );
  });

  it('takes the identity-provider fields a file gives, and the defaults for the others', async () => {
    const { dir } = await brokenCopy('globex', (text) =>
      text.concat('identityProvider:\n  idTokenSigningAlg: ES256\n  redirectUris: ["http://[::1]/cb"]\n'),
    );
    const fixtures = await loadFixtures(dir);
    assert.deepEqual(findOrganisationByDomain(fixtures, 'globex.example')?.identityProvider, {
      ...DEFAULT_IDENTITY_PROVIDER,
      idTokenSigningAlg: 'ES256',
      redirectUris: ['http://[::1]/cb'],
    });
    assert.deepEqual(
      findOrganisationByDomain(fixtures, 'acme.example')?.identityProvider,
      DEFAULT_IDENTITY_PROVIDER,
    );
  });

  it('finds users by username, case-insensitively', async () => {
    const fixtures = await loadFixtures(REAL);
    const found = findUser(fixtures, 'Walter@Wayne.example');
    assert.equal(found?.organisation.id, 'wayne');
    assert.equal(found?.user.appProfile, 'Partners Allowed');
    assert.equal(findUser(fixtures, 'alice@globex.example')?.organisation.id, 'globex');
    assert.equal(findUser(fixtures, 'nobody@acme.example'), undefined);
  });
});

describe('loadFixtures on broken fixtures', () => {
  it('names a wrong enum value, the allowed values and what was found', async () => {
    const { dir, file } = await brokenCopy('globex', (text) =>
      text.replace('{ mode: all-tenants }', '{ mode: "yes" }'),
    );
    await assertFixtureError(
      dir,
      `${file}: partnerLogins.allowPartnerLoginToThisTenant.mode must be one of no-access, specific-tenants, all-tenants (found "yes")`,
    );
  });

  it('names a missing field and what it must be', async () => {
    const { dir, file } = await brokenCopy('acme', (text) =>
      text.replace('  restrictOldClientVersions: false\n', ''),
    );
    await assertFixtureError(
      dir,
      `${file}: partnerLogins.restrictOldClientVersions is required: must be true or false (found nothing)`,
    );
  });

  it('names an unknown extra field and the known ones', async () => {
    const { dir, file } = await brokenCopy('wayne', (text) =>
      text.replace('    displayName: Wendy Walsh\n', '    displayName: Wendy Walsh\n    colour: blue\n'),
    );
    await assertFixtureError(
      dir,
      `${file}: users[0].colour is not a known field: expected one of username, password, displayName, appProfile (found "colour")`,
    );
  });

  it('reports YAML syntax errors with their line', async () => {
    const { dir, file } = await brokenCopy('initech', (text) =>
      text.replace('services: { zpa: true, zia: false }', 'services: { zpa: true, zia: false'),
    );
    await assert.rejects(loadFixtures(dir), (error: unknown) => {
      assert.ok(error instanceof FixtureError);
      assert.match(
        error.message,
        new RegExp(`^${escapeRegExp(file)}: line \\d+, column \\d+: invalid YAML: .+`),
      );
      assert.ok(!error.message.includes('\n'));
      return true;
    });
  });

  it('refuses a file whose aliases expand past the YAML limit, naming it', async () => {
    // A "billion laughs" document: each level refers to the one before ten times.
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const { dir, file } = await brokenCopy('initech', (text) => `${levels.join('\n')}\n${text}`);
    await assert.rejects(loadFixtures(dir), (error: unknown) => {
      assert.ok(error instanceof FixtureError, String(error));
      assert.match(error.message, new RegExp(`^${escapeRegExp(file)}: invalid YAML: .*alias`));
      assert.ok(!error.message.includes('\n'));
      return true;
    });
  });

  it('refuses a folder named like a fixture file, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fixtures-'));
    temporary.push(dir);
    await cp(join(REAL, 'organisations'), join(dir, 'organisations'), { recursive: true });
    await mkdir(join(dir, 'organisations', 'aaa.yaml'));
    await assertFixtureError(
      dir,
      `${relative(process.cwd(), join(dir, 'organisations', 'aaa.yaml'))}: cannot read it (EISDIR)`,
    );
  });

  it('refuses a user whose app profile does not exist', async () => {
    const { dir, file } = await brokenCopy('acme', (text) =>
      text.replace('appProfile: No Partner Logins', 'appProfile: Contractors'),
    );
    await assertFixtureError(
      dir,
      `${file}: users[2].appProfile must name one of the organisation's app profiles: Default, Restricted Partners, No Partner Logins (found "Contractors")`,
    );
  });

  it('refuses partner domains that are no organisation of the fixtures', async () => {
    const { dir, file } = await brokenCopy('acme', (text) =>
      text.replace('[globex.example, hooli.example]', '[globex.example, hooly.example]'),
    );
    await assertFixtureError(
      dir,
      `${file}: appProfiles[1].partnerLogin.partnerDomains[1] must be the domain of an organisation in the fixtures: acme.example, globex.example, hooli.example, initech.example, soylent.example, umbrella.example, vandelay.example, wayne.example (found "hooly.example")`,
    );
  });

  it('refuses specific tenants that are no organisation of the fixtures', async () => {
    const { dir, file } = await brokenCopy('hooli', (text) =>
      text.replace('{ domain: acme.example,', '{ domain: acme.test,'),
    );
    await assert.rejects(loadFixtures(dir), (error: unknown) => {
      assert.ok(error instanceof FixtureError);
      assert.ok(
        error.message.startsWith(
          `${file}: partnerLogins.allowPartnerLoginToThisTenant.tenants[0].domain must be the domain of an organisation in the fixtures: `,
        ),
        error.message,
      );
      assert.ok(error.message.endsWith('(found "acme.test")'), error.message);
      return true;
    });
  });

  it('refuses specific-tenants without tenants, and tenants with another mode', async () => {
    const missing = await brokenCopy('hooli', (text) => text.replace(/ {4}tenants:\n.*\n/, ''));
    await assertFixtureError(
      missing.dir,
      `${missing.file}: partnerLogins.allowPartnerLoginToThisTenant.tenants is required: must be a list (found nothing)`,
    );
    const extra = await brokenCopy('hooli', (text) =>
      text.replace('mode: specific-tenants', 'mode: all-tenants'),
    );
    await assertFixtureError(
      extra.dir,
      `${extra.file}: partnerLogins.allowPartnerLoginToThisTenant.tenants is not allowed here (found a list of 1)`,
    );
  });

  it('refuses a misspelt follow-global', async () => {
    const { dir, file } = await brokenCopy('umbrella', (text) =>
      text.replace('partnerLogin: follow-global', 'partnerLogin: follow-globals'),
    );
    await assertFixtureError(
      dir,
      `${file}: appProfiles[0].partnerLogin must be "follow-global" (found "follow-globals")`,
    );
  });

  it('refuses an organisation without app profiles', async () => {
    const { dir, file } = await brokenCopy('soylent', (text) =>
      text.replace('appProfiles:\n  - name: Default\n    partnerLogin: follow-global\n', 'appProfiles: []\n'),
    );
    await assertFixtureError(dir, `${file}: appProfiles must list at least 1 item(s) (found an empty list)`);
  });

  it('refuses a malformed domain and a username of another domain', async () => {
    const domain = await brokenCopy('initech', (text) =>
      text.replace('domain: initech.example', 'domain: Initech'),
    );
    await assertFixtureError(
      domain.dir,
      `${domain.file}: domain must be a lowercase domain name such as acme.example (found "Initech")`,
    );
    const user = await brokenCopy('initech', (text) =>
      text.replace('username: uma@initech.example', 'username: uma@globex.example'),
    );
    await assertFixtureError(
      user.dir,
      `${user.file}: users[1].username must end with @initech.example (found "uma@globex.example")`,
    );
  });

  it('refuses two organisations with one domain', async () => {
    const { dir, file } = await brokenCopy('wayne', (text) =>
      text.replace('domain: wayne.example', 'domain: acme.example'),
    );
    const acme = relative(process.cwd(), join(dir, 'organisations', 'acme.yaml'));
    await assertFixtureError(dir, `${file}: domain must be unique (found "acme.example", also in ${acme})`);
  });

  it('refuses a type mismatch', async () => {
    const { dir, file } = await brokenCopy('vandelay', (text) =>
      text.replace('allowUsersToLoginToOtherTenants: false', 'allowUsersToLoginToOtherTenants: "no"'),
    );
    await assertFixtureError(
      dir,
      `${file}: partnerLogins.allowUsersToLoginToOtherTenants must be true or false (found "no")`,
    );
  });
});

describe('loadFixtures on a broken identity-provider block', () => {
  async function assertRefused(block: string, expected: string): Promise<void> {
    const { dir, file } = await brokenCopy('globex', (text) => text.concat(`identityProvider:\n${block}`));
    await assertFixtureError(dir, `${file}: ${expected}`);
  }

  it('names an unknown ID token algorithm and the known ones', () =>
    assertRefused(
      '  idTokenSigningAlg: HS256\n',
      'identityProvider.idTokenSigningAlg must be one of RS256, ES256, PS256 (found "HS256")',
    ));

  it('refuses a redirect URI that is not a loopback IP literal without port', async () => {
    for (const uri of [
      'http://localhost/oauth/callback',
      'http://127.0.0.1:8080/oauth/callback',
      'https://127.0.0.1/oauth/callback',
      'com.example.zcc:/callback',
    ]) {
      await assertRefused(
        `  redirectUris: ["${uri}"]\n`,
        `identityProvider.redirectUris[0] must be a loopback redirect URI without port, query or fragment, such as http://127.0.0.1/oauth/callback (any port is accepted at sign-in, RFC 8252 section 7.3) (found "${uri}")`,
      );
    }
  });

  it('refuses scopes without openid, and unknown scopes', async () => {
    await assertRefused(
      '  scopes: [profile, email]\n',
      'identityProvider.scopes must include "openid" (found a list of 2)',
    );
    await assertRefused(
      '  scopes: [openid, groups]\n',
      'identityProvider.scopes[1] must be one of openid, profile, email (found "groups")',
    );
  });

  it('refuses an empty client id and an unknown field', async () => {
    await assertRefused(
      '  clientId: ""\n',
      'identityProvider.clientId must be a client_id of printable ASCII without spaces, such as zscaler-client-connector (found "")',
    );
    await assertRefused(
      '  clientSecret: s3cret\n',
      'identityProvider.clientSecret is not a known field: expected one of clientId, redirectUris, scopes, idTokenSigningAlg (found "clientSecret")',
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
