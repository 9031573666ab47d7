/**
 * Preconditions as an administrator sets them in the admin portal. Global settings are applied to
 * the simulated world for this scenario; app profiles come from the fixtures and are only verified,
 * so a scenario never runs against a world other than the one it describes.
 */
import { Given } from '@cucumber/cucumber';
import {
  setAllowUsersToLoginToOtherTenants,
  setPartnerLoginAccess,
  setRestrictOldClientVersions,
} from '../mocks/policy/state.ts';
import type { AppProfile } from '../src/fixtures/types.ts';
import type { ConformanceWorld } from './world.ts';

Given(
  '{string} allows its users to log in to other tenants',
  function (this: ConformanceWorld, name: string) {
    setAllowUsersToLoginToOtherTenants(this.env.policy, this.organisationNamed(name).id, true);
  },
);

Given(
  '{string} does not allow its users to log in to other tenants',
  function (this: ConformanceWorld, name: string) {
    setAllowUsersToLoginToOtherTenants(this.env.policy, this.organisationNamed(name).id, false);
  },
);

Given('{string} allows partner logins from all tenants', function (this: ConformanceWorld, name: string) {
  setPartnerLoginAccess(this.env.policy, this.organisationNamed(name).id, { mode: 'all-tenants' });
});

Given(
  '{string} does not allow partner logins to its tenant',
  function (this: ConformanceWorld, name: string) {
    setPartnerLoginAccess(this.env.policy, this.organisationNamed(name).id, { mode: 'no-access' });
  },
);

Given(
  '{string} allows partner logins only from {string}',
  function (this: ConformanceWorld, name: string, domains: string) {
    const tenants = splitList(domains).map((domain) => ({ domain }));
    setPartnerLoginAccess(this.env.policy, this.organisationNamed(name).id, {
      mode: 'specific-tenants',
      tenants,
    });
  },
);

Given('{string} restricts old Client Connector versions', function (this: ConformanceWorld, name: string) {
  setRestrictOldClientVersions(this.env.policy, this.organisationNamed(name).id, true);
});

Given('{string} does not use ZPA', function (this: ConformanceWorld, name: string) {
  if (this.organisationNamed(name).services.zpa) {
    throw new Error(`the fixtures give "${name}" ZPA, but this scenario needs an organisation without it`);
  }
});

Given(
  'the app profile of {string} follows the global partner login setting',
  function (this: ConformanceWorld, username: string) {
    const profile = appProfileOf(this, username);
    if (profile.partnerLogin !== 'follow-global') {
      throw fixtureMismatch(username, profile, 'to follow the global partner login setting');
    }
  },
);

Given(
  'the app profile of {string} allows partner logins',
  function (this: ConformanceWorld, username: string) {
    const profile = appProfileOf(this, username);
    if (profile.partnerLogin === 'follow-global' || !profile.partnerLogin.allowUsersToLoginToOtherTenants) {
      throw fixtureMismatch(username, profile, 'to allow partner logins itself');
    }
  },
);

Given(
  'the app profile of {string} does not allow partner logins',
  function (this: ConformanceWorld, username: string) {
    const profile = appProfileOf(this, username);
    if (profile.partnerLogin === 'follow-global' || profile.partnerLogin.allowUsersToLoginToOtherTenants) {
      throw fixtureMismatch(username, profile, 'to refuse partner logins itself');
    }
  },
);

Given(
  'the app profile of {string} lists the partner domains {string}',
  function (this: ConformanceWorld, username: string, domains: string) {
    const profile = appProfileOf(this, username);
    const listed = profile.partnerLogin === 'follow-global' ? [] : profile.partnerLogin.partnerDomains;
    if (!sameSet(listed, splitList(domains))) {
      throw fixtureMismatch(username, profile, `to list the partner domains ${domains}`);
    }
  },
);

function appProfileOf(world: ConformanceWorld, username: string): AppProfile {
  const organisation = world.organisationOf(username);
  const user = world.findUser(username);
  const name = user.appProfile ?? organisation.appProfiles[0]?.name;
  const profile = organisation.appProfiles.find((p) => p.name === name);
  if (!profile) throw new Error(`the fixtures give "${username}" no app profile`);
  return profile;
}

function fixtureMismatch(username: string, profile: AppProfile, expected: string): Error {
  return new Error(
    `the fixtures' app profile "${profile.name}" of ${username} is ${JSON.stringify(profile.partnerLogin)}; ` +
      `this scenario needs it ${expected}`,
  );
}

export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
