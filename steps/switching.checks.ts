/** Checks of which tenant has ZPA on, in the window and in the tunnels the client asked for. */
import { describeView } from '../src/drivers/describe.ts';
import type { ClientView, TenantView } from '../src/drivers/types.ts';
import { check, unmet } from './check.ts';
import { expected, severalOnInWindow, tunnelOverlap, tunnelsDisagree } from './observations.ts';
import { privateAccessWindow } from './private-access.checks.ts';
import type { ConformanceWorld } from './world.ts';

function tenant(view: ClientView, role: TenantView['role'], name?: string): TenantView {
  const found = view.tenants.find((t) => t.role === role && (name === undefined || t.name === name));
  if (!found) unmet(`no ${role} tenant${name ? ` "${name}"` : ''} is listed; ${describeView(view)}`);
  return found;
}

/** ZPA on for `on` and off for `off`, in the window and in the tunnels the client asked for. */
function expectZpa(world: ConformanceWorld, view: ClientView, on: TenantView, off: TenantView): void {
  if (on.zpa !== 'on' || off.zpa !== 'off') unmet(`the window shows ${describeView(view)}`);
  const disagree = tunnelsDisagree(world, view);
  if (disagree) unmet(disagree);
}

check(
  'ZPA access to my organisation is turned off and the partner tenant {string} is on',
  ['EX-PARTNER-OFF-MAIN#main-off', 'EX-PARTNER-OFF-MAIN#partner-on', 'EX-PARTNER-OFF-MAIN#automatic'],
  (partner) => `ZPA off for the organisation's tenant and on for "${partner}" right after the partner login`,
  async function (partner: string) {
    const view = await privateAccessWindow(this);
    expectZpa(this, view, tenant(view, 'partner', partner), tenant(view, 'main'));
  },
);

check(
  'ZPA is on for the main tenant and off for the partner tenant {string}',
  ['EX-MAIN-ON#main-on', 'EX-MAIN-ON#partner-off'],
  (partner) => `ZPA on for the main tenant and off for "${partner}" after Turn On for the main tenant`,
  async function (partner: string) {
    const view = await privateAccessWindow(this);
    expectZpa(this, view, tenant(view, 'main'), tenant(view, 'partner', partner));
  },
);

check(
  'ZPA is on for the partner tenant {string} and off for the main tenant',
  ['EX-PARTNER-ON#partner-on', 'EX-PARTNER-ON#main-off'],
  (partner) => `ZPA on for "${partner}" and off for the main tenant after Turn On for the partner tenant`,
  async function (partner: string) {
    const view = await privateAccessWindow(this);
    expectZpa(this, view, tenant(view, 'partner', partner), tenant(view, 'main'));
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
    expectZpa(this, view, tenant(view, 'partner', on), tenant(view, 'partner', off));
  },
);

check(
  'ZPA is off for the partner tenant {string}',
  ['MULTI-PARTNER#one-tunnel'],
  (off) => `ZPA off for "${off}" once another partner tenant's is on`,
  async function (off: string) {
    const view = await privateAccessWindow(this);
    if (tenant(view, 'partner', off).zpa !== 'off') unmet(`the window shows ${describeView(view)}`);
    const disagree = tunnelsDisagree(this, view);
    if (disagree) unmet(disagree);
  },
);

// Which tenant a switch turns on is the switch's own requirement (EX-MAIN-ON, EX-PARTNER-ON),
// checked right after it; SWITCH-HOLDS is that the window opened again shows what the switch left.
check(
  'the Private Access window opened again shows ZPA as the last switch left it',
  ['SWITCH-HOLDS#after-turn-on', 'SWITCH-HOLDS#after-turn-off'],
  'each tenant with the ZPA status the last switch left, when Private Access is opened again',
  async function () {
    const view = await privateAccessWindow(this);
    const switched = this.lastSwitch;
    if (!switched) throw new Error('the scenario switched no tenant before this check');
    // A tenant no longer listed is PERSIST's (watched in every scenario), not this check's.
    const both = switched.tenants.filter((t) => view.tenants.some((now) => now.name === t.name));
    if (both.length === 0)
      unmet(`it lists none of the tenants it listed after the switch; ${describeView(view)}`);
    const changed = both.filter((t) => view.tenants.find((now) => now.name === t.name)?.zpa !== t.zpa);
    if (changed.length > 0) {
      unmet(
        `${changed.map((t) => `${t.name} was ZPA ${t.zpa} after the switch`).join(' and ')}; now ${describeView(view)}`,
      );
    }
  },
);

check(
  'the partner tenant {string} is listed with ZPA off',
  ['SWITCH-HOLDS#after-turn-off'],
  (partner) => `"${partner}" still listed, with ZPA off, after Turn Off for it`,
  async function (partner: string) {
    const view = await privateAccessWindow(this);
    if (tenant(view, 'partner', partner).zpa !== 'off') unmet(`the window shows ${describeView(view)}`);
  },
);
