/** The user's actions in Zscaler Client Connector, in the article's words. */
import { Given, When } from '@cucumber/cucumber';
import type { Platform } from '../src/fixtures/types.ts';
import { ClientActionError } from '../src/verdict.ts';
import { addPartnerTenant, ensureOnly } from './flows.ts';
import type { ConformanceWorld } from './world.ts';

Given(
  'Zscaler Client Connector for {platform} is enrolled as {string}',
  async function (this: ConformanceWorld, platform: Platform, username: string) {
    if (platform !== this.parameters.platform) {
      throw new Error(
        `this scenario is written for ${platform} but runs against a ${this.parameters.platform} client: ` +
          'its @platform tag is missing or wrong',
      );
    }
    await this.startClient(username);
  },
);

When('I open Zscaler Client Connector and click Private Access', async function (this: ConformanceWorld) {
  await this.click('Private Access');
});

When(
  /^I click (Private Access|Add Partner Tenant|Submit|Connect|Close|Cancel)$/,
  async function (this: ConformanceWorld, control: string) {
    await this.click(control);
  },
);

When('I click Turn On for the main tenant', async function (this: ConformanceWorld) {
  const main = (await this.view()).tenants.find((t) => t.role === 'main');
  if (!main) throw new ClientActionError('the Private Access window lists no main tenant to turn on');
  await this.click('Turn On', main.name);
});

When(
  'I click Turn On for the partner tenant {string}',
  async function (this: ConformanceWorld, tenant: string) {
    await this.click('Turn On', tenant);
  },
);

When(
  'I click Turn Off for the partner tenant {string}',
  async function (this: ConformanceWorld, tenant: string) {
    await this.click('Turn Off', tenant);
  },
);

When(
  'I enter {string} as my username for the partner tenant',
  async function (this: ConformanceWorld, username: string) {
    this.partnerUsername = username;
    await this.driver.act({ type: 'fill', field: 'Username', value: username });
  },
);

When('I select the partner tenant {string}', async function (this: ConformanceWorld, tenant: string) {
  await this.driver.act({ type: 'select', option: tenant });
});

When('I close the authentication window', async function (this: ConformanceWorld) {
  await this.click('Cancel');
});

When('I restart Zscaler Client Connector', async function (this: ConformanceWorld) {
  await this.restart();
});

When(
  'I add the partner tenant {string} as {string}',
  async function (this: ConformanceWorld, tenant: string, username: string) {
    await addPartnerTenant(this, tenant, username, { mustSucceed: false });
  },
);

Given(
  'I have added the partner tenant {string} as {string}',
  async function (this: ConformanceWorld, tenant: string, username: string) {
    await addPartnerTenant(this, tenant, username, { mustSucceed: true });
  },
);

Given(
  'ZPA is on for the partner tenant {string} only',
  async function (this: ConformanceWorld, tenant: string) {
    await ensureOnly(this, (t) => t.role === 'partner' && t.name === tenant);
  },
);

Given('ZPA is on for the main tenant only', async function (this: ConformanceWorld) {
  await ensureOnly(this, (t) => t.role === 'main');
});
