/**
 * Multi-step user flows used as setup ("Given I have added ...") or as one action ("When I add ...").
 * They do what a person would do to reach a state, and judge what they see on the way as the rule
 * in docs/architecture.md ("Whose fault is it?") says: a documented effect that does not follow its
 * action is the client breaking the requirement that documents it (`violated`); a control, field or
 * option the flow needs that the client does not offer stops the flow (ClientActionError, blocked).
 */
import { describeView } from '../src/drivers/describe.ts';
import type { ClientView, TenantView } from '../src/drivers/types.ts';
import { ClientActionError } from '../src/verdict.ts';
import { violated } from './check.ts';
import { noteOverlaps, watchInvariants } from './invariants.ts';
import { expected, shows } from './observations.ts';
import type { ConformanceWorld } from './world.ts';

export async function addPartnerTenant(
  world: ConformanceWorld,
  tenant: string,
  username: string,
  { mustSucceed }: { mustSucceed: boolean },
): Promise<void> {
  let start = await world.view();
  // A person trying again closes the Add Tenant window an earlier attempt left open.
  if (start.window === 'add-tenant' && start.controls.includes('Cancel')) {
    await world.click('Cancel');
    start = await world.view();
  }
  if (start.window === 'main') await openPrivateAccess(world);
  await world.click('Add Partner Tenant');
  const form = await world.settle((v) => v.window === 'add-tenant', 'the Add Tenant window');
  if (form.window !== 'add-tenant') violated(world, 'AT-OPEN', expected.addTenantOpens, shows(form));
  if (form.options.length > 0) {
    await world.driver.act({ type: 'select', option: tenant });
    await world.click('Connect');
    const asked = await world.settle(asksForUsername, 'the username form after Connect');
    if (!asksForUsername(asked)) violated(world, 'AT-SELECT', expected.usernameAfterConnect, shows(asked));
  }
  world.partnerUsername = username;
  await world.driver.act({ type: 'fill', field: 'Username', value: username });
  await world.click('Submit');
  if (!mustSucceed && !(await world.signInPage())) return;
  await world.requireSignInPage();
  await world.signInAsPartner(username);
  // Whether the client returns to Private Access by itself is IDP-RETURN's business; a person who
  // finds the main window instead opens Private Access to look.
  let view = await world.settle((v) => v.window !== 'authentication', 'the end of the partner sign-in');
  if (view.window === 'main') {
    await world.click('Private Access');
    view = await world.view();
  }
  noteOverlaps(world);
  if (!mustSucceed) return;
  if (!view.tenants.some((t) => t.role === 'partner' && t.name === tenant)) {
    violated(world, 'IDP-RETURN', expected.returnWithPartner(tenant), `after the sign-in, ${shows(view)}`);
  }
}

/**
 * Turn ZPA on for the tenant `wanted` picks and off for every other, with Turn Off and Turn On as the
 * Private Access window offers them; each click is watched for the rules it may break.
 */
export async function ensureOnly(
  world: ConformanceWorld,
  wanted: (tenant: TenantView) => boolean,
): Promise<void> {
  const start = await world.view();
  const target = start.tenants.find(wanted);
  if (!target) throw new ClientActionError(`no such tenant listed; ${describeView(start)}`);
  // Turn the others off first where the client offers Turn Off (the related page documents it), so
  // that its own switching logic is not exercised here; where it does not, or Turn Off did not turn
  // off, Turn On must switch.
  for (const other of start.tenants) {
    if (other.zpa !== 'on' || wanted(other) || !other.controls.includes('Turn Off')) continue;
    await world.click('Turn Off', other.name);
    await watched(world);
  }
  if ((await world.view()).tenants.find(wanted)?.zpa === 'off') {
    await world.click('Turn On', target.name);
    const view = await watched(world);
    if (view.tenants.find(wanted)?.zpa !== 'on') {
      const requirement = target.role === 'main' ? 'EX-MAIN-ON' : 'EX-PARTNER-ON';
      violated(world, requirement, expected.turnOn(target.name), shows(view));
    }
  }
  const view = await world.view();
  const others = view.tenants.filter((t) => !wanted(t) && t.zpa === 'on');
  if (others.length > 0) {
    throw new ClientActionError(`could not turn ZPA on for ${target.name} only; ${describeView(view)}`);
  }
}

/** Open Private Access from the main window; not opening it breaks PA-OPEN. */
async function openPrivateAccess(world: ConformanceWorld): Promise<void> {
  await world.click('Private Access');
  const view = await world.settle((v) => v.window === 'private-access', 'the Private Access window');
  if (view.window !== 'private-access') violated(world, 'PA-OPEN', expected.privateAccessOpens, shows(view));
}

function asksForUsername(view: ClientView): boolean {
  return view.window === 'add-tenant' && view.fields.includes('Username');
}

/**
 * The window after a Turn On or Turn Off, judged by the invariants (steps/invariants.ts): a tenant
 * gone or two tunnels on in the window stops the flow on its requirement; a tunnel overlap at the
 * policy API is noted, since the state may still be reached.
 */
async function watched(world: ConformanceWorld): Promise<ClientView> {
  const view = await world.view();
  watchInvariants(world, violated);
  return view;
}
