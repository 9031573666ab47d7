/** Checks of which tenant has ZPA on, in the window and in the tunnels the client asked for. */
import { describeView } from '../src/drivers/describe.ts';
import type { ClientView, TenantView } from '../src/drivers/types.ts';
import { check, unmet } from './check.ts';
import { expected, severalOnInWindow, tunnelOverlap } from './observations.ts';
import { privateAccessWindow } from './private-access.checks.ts';

function tenant(view: ClientView, role: TenantView['role'], name?: string): TenantView {
  const found = view.tenants.find((t) => t.role === role && (name === undefined || t.name === name));
  if (!found) unmet(`no ${role} tenant${name ? ` "${name}"` : ''} is listed; ${describeView(view)}`);
  return found;
}

function expectZpa(view: ClientView, on: TenantView, off: TenantView): void {
  if (on.zpa !== 'on' || off.zpa !== 'off') unmet(`the window shows ${describeView(view)}`);
}

check(
  'ZPA access to my organisation is turned off and the partner tenant {string} is on',
  ['EX-PARTNER-OFF-MAIN#main-off', 'EX-PARTNER-OFF-MAIN#partner-on', 'EX-PARTNER-OFF-MAIN#automatic'],
  (partner) => `ZPA off for the organisation's tenant and on for "${partner}" right after the partner login`,
  async function (partner: string) {
    const view = await privateAccessWindow(this);
    expectZpa(view, tenant(view, 'partner', partner), tenant(view, 'main'));
  },
);

check(
  'ZPA is on for the main tenant and off for the partner tenant {string}',
  ['EX-MAIN-ON#main-on', 'EX-MAIN-ON#partner-off'],
  (partner) => `ZPA on for the main tenant and off for "${partner}" after Turn On for the main tenant`,
  async function (partner: string) {
    const view = await privateAccessWindow(this);
    expectZpa(view, tenant(view, 'main'), tenant(view, 'partner', partner));
  },
);

check(
  'ZPA is on for the partner tenant {string} and off for the main tenant',
  ['EX-PARTNER-ON#partner-on', 'EX-PARTNER-ON#main-off'],
  (partner) => `ZPA on for "${partner}" and off for the main tenant after Turn On for the partner tenant`,
  async function (partner: string) {
    const view = await privateAccessWindow(this);
    expectZpa(view, tenant(view, 'partner', partner), tenant(view, 'main'));
  },
);

check(
  'at no moment was ZPA on for more than one tenant',
  ['EX-ONE-ACTIVE#window', 'EX-ONE-ACTIVE#tunnels', 'EX-ONE-ACTIVE#off-before-on'],
  expected.oneTunnel,
  async function () {
    const several = severalOnInWindow(await this.view());
    if (several) unmet(several);
    const overlap = tunnelOverlap(this);
    if (overlap) unmet(overlap.actual);
  },
);

check(
  'ZPA is on for the partner tenant {string} and off for the partner tenant {string}',
  ['MULTI-PARTNER#one-tunnel'],
  (on, off) => `ZPA on for "${on}" and off for "${off}"`,
  async function (on: string, off: string) {
    const view = await privateAccessWindow(this);
    if (tenant(view, 'partner', on).zpa !== 'on' || tenant(view, 'partner', off).zpa !== 'off') {
      unmet(`the window shows ${describeView(view)}`);
    }
  },
);

check(
  'ZPA is off for the partner tenant {string}',
  ['MULTI-PARTNER#one-tunnel'],
  (off) => `ZPA off for "${off}" once another partner tenant's is on`,
  async function (off: string) {
    const view = await privateAccessWindow(this);
    if (tenant(view, 'partner', off).zpa !== 'off') unmet(`the window shows ${describeView(view)}`);
  },
);
