/**
 * The rules that hold at every moment, watched through every scenario whatever its @req tags
 * (issue 10): after each step, the tunnel changes the client asked the policy API for, and every view
 * the step read. What breaks one is noted as that requirement's failed check at the step where it was
 * seen (noteViolation: once per requirement and scenario), so one defect is one red cell.
 */
import type { ClientView, TenantView } from '../src/drivers/types.ts';
import { noteViolation, type violated } from './check.ts';
import { expected, severalOnInWindow, shows, tunnelOverlap } from './observations.ts';
import type { ConformanceWorld } from './world.ts';

interface Listed {
  tenant: TenantView;
  /** Whether the client restarted since the tenant was last seen listed. */
  restartedSince: boolean;
}

/** What the invariants remember of a scenario: the views its steps read, the tenants listed so far. */
export class InvariantWatch {
  #views: ClientView[] = [];
  readonly #listed = new Map<string, Listed>();
  /** The policy API's tunnel change up to which overlaps were looked at. */
  tunnelsSeenUpTo = 0;
  /** Whether an Add Tenant window offered partner tenants to select: its username form is AT-SELECT's. */
  selectionSeen = false;

  saw(view: ClientView): void {
    this.#views.push(view);
  }

  restarted(): void {
    for (const listed of this.#listed.values()) listed.restartedSince = true;
  }

  /** The views read since the last call. */
  takeViews(): ClientView[] {
    const views = this.#views;
    this.#views = [];
    return views;
  }

  /** The tenants listed before that `view` (a Private Access window) no longer lists; it is remembered. */
  gone(view: ClientView): Listed[] {
    const key = (t: TenantView) => `${t.role} ${t.name}`;
    const now = new Set(view.tenants.map(key));
    const gone = [...this.#listed.entries()].filter(([id]) => !now.has(id));
    for (const [id] of gone) this.#listed.delete(id);
    for (const tenant of view.tenants) this.#listed.set(key(tenant), { tenant, restartedSince: false });
    return gone.map(([, listed]) => listed);
  }
}

/**
 * Judges what the client did during the step so far against the invariants; a violation's record is
 * attached to that step. `judge` is noteViolation after a step (the scenario goes on) and `violated`
 * inside a flow that cannot go on from a broken state (steps/flows.ts). Tunnel overlaps are always
 * noted: the state the step wanted may still be reached.
 */
export function watchInvariants(
  world: ConformanceWorld,
  judge: typeof noteViolation | typeof violated = noteViolation,
): void {
  noteOverlaps(world);
  for (const view of world.watch.takeViews()) {
    const several = severalOnInWindow(view);
    if (several) judge(world, 'EX-ONE-ACTIVE', expected.oneTunnel, several);
    for (const missing of undocumentedControls(world.watch, view)) {
      judge(world, missing.requirement, missing.expectation, `${missing.actual}; ${shows(view)}`);
    }
    if (view.window !== 'private-access') continue;
    for (const { tenant, restartedSince } of world.watch.gone(view)) {
      const actual = `${tenant.name} is no longer listed; ${shows(view)}`;
      if (tenant.role === 'main') judge(world, 'PA-OPEN', expected.organisationListed, actual);
      else
        judge(world, restartedSince ? 'PERSIST-RESTART' : 'PERSIST', expected.remains(tenant.name), actual);
    }
  }
}

/**
 * Where a window differs from the controls the article documents for it: an Add Tenant window that
 * asks for the username offers Submit; on macOS it never lists partner tenants to select (the
 * requirement applies there only); a tenant with ZPA off offers Turn On.
 */
function undocumentedControls(
  watch: InvariantWatch,
  view: ClientView,
): { requirement: string; expectation: string; actual: string }[] {
  const found: { requirement: string; expectation: string; actual: string }[] = [];
  if (view.window === 'add-tenant') {
    if (view.options.length > 0) {
      watch.selectionSeen = true;
      found.push({
        requirement: 'AT-MAC-NO-SELECT',
        expectation: 'no partner tenants to select in the Add Tenant window',
        actual: `it lists ${view.options.join(', ')}`,
      });
    }
    if (view.fields.includes('Username') && !view.controls.includes('Submit')) {
      found.push({
        requirement: watch.selectionSeen ? 'AT-SELECT' : 'AT-USERNAME',
        expectation: 'Submit in the Add Tenant window that asks for the username',
        actual: 'it offers no Submit',
      });
    }
  }
  if (view.window === 'private-access') {
    for (const tenant of view.tenants) {
      if (tenant.zpa !== 'off' || tenant.controls.includes('Turn On')) continue;
      found.push({
        requirement: tenant.role === 'main' ? 'EX-MAIN-ON' : 'EX-PARTNER-ON',
        expectation: `Turn On for ${tenant.name}, whose ZPA is off`,
        actual: `it offers ${tenant.controls.join(', ') || 'nothing'} for it`,
      });
    }
  }
  return found;
}

/** A tunnel overlap at the policy API since the last look, as EX-ONE-ACTIVE's failed check. */
export function noteOverlaps(world: ConformanceWorld): void {
  const overlap = tunnelOverlap(world, world.watch.tunnelsSeenUpTo);
  world.watch.tunnelsSeenUpTo = world.tunnelLog().at(-1)?.seq ?? world.watch.tunnelsSeenUpTo;
  if (!overlap) return;
  noteViolation(world, 'EX-ONE-ACTIVE', expected.oneTunnel, overlap.actual);
}
