/**
 * Multi-step user flows used as setup ("Given I have added ...") or as one action ("When I add ...").
 * They do what a person would do to reach a state; when the client does not let them, they stop with
 * ClientActionError, so the scenario's own checks are reported as blocked, not as judged.
 */
import { describeView } from '../src/drivers/describe.ts';
import type { TenantView } from '../src/drivers/types.ts';
import { ClientActionError } from '../src/verdict.ts';
import type { ConformanceWorld } from './world.ts';

export async function addPartnerTenant(
  world: ConformanceWorld,
  tenant: string,
  username: string,
  { mustSucceed }: { mustSucceed: boolean },
): Promise<void> {
  if ((await world.view()).window === 'main') await world.click('Private Access');
  await world.click('Add Partner Tenant');
  if ((await world.view()).options.length > 0) {
    await world.driver.act({ type: 'select', option: tenant });
    await world.click('Connect');
  }
  world.partnerUsername = username;
  await world.driver.act({ type: 'fill', field: 'Username', value: username });
  await world.click('Submit');
  const page = await world.signInPage();
  if (!page) {
    if (!mustSucceed) return;
    throw new ClientActionError(
      `adding ${tenant}: no sign-in page opened; ${describeView(await world.view())}`,
    );
  }
  const result = await world.userAgent.signIn({ username, password: world.findUser(username).password });
  if (result.kind === 'page') {
    throw new ClientActionError(
      `adding ${tenant}: the identity provider at ${result.page.origin} did not accept ${username} ` +
        `(${result.page.organisation}: ${result.page.error ?? 'no error shown'})`,
    );
  }
  // Whether the client returns to Private Access by itself is IDP-RETURN's business; a person who
  // finds the main window instead opens Private Access to look.
  let view = await world.settle((v) => v.window !== 'authentication', 'the end of the partner sign-in');
  if (view.window === 'main') {
    await world.click('Private Access');
    view = await world.view();
  }
  if (!mustSucceed) return;
  if (!view.tenants.some((t) => t.role === 'partner' && t.name === tenant)) {
    throw new ClientActionError(`adding ${tenant}: after the sign-in, ${describeView(view)}`);
  }
}

/** Turn ZPA on for the tenant `wanted` picks and off for every other, with Turn On / Turn Off. */
export async function ensureOnly(
  world: ConformanceWorld,
  wanted: (tenant: TenantView) => boolean,
): Promise<void> {
  const target = (await world.view()).tenants.find(wanted);
  if (!target) throw new ClientActionError(`no such tenant listed; ${describeView(await world.view())}`);
  // Turn the others off first, so that a client's own switching logic is not exercised here.
  for (const other of (await world.view()).tenants) {
    if (other.zpa === 'on' && !wanted(other)) await world.click('Turn Off', other.name);
  }
  const current = (await world.view()).tenants.find(wanted);
  if (current?.zpa === 'off') await world.click('Turn On', target.name);
  const view = await world.view();
  const ok = view.tenants.every((t) => (wanted(t) ? t.zpa === 'on' : t.zpa === 'off'));
  if (!ok)
    throw new ClientActionError(`could not turn ZPA on for ${target.name} only; ${describeView(view)}`);
}
