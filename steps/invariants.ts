/**
 * The rules that hold at every moment, watched through every scenario whatever its @req tags
 * (issue 10): after each step, the tunnel changes the client asked the policy API for, and every view
 * the step read. What breaks one is noted as that requirement's failed check at the step where it was
 * seen (noteViolation: once per requirement and scenario), so one defect is one red cell.
 */
import type { ClientView, TenantView } from '../src/drivers/types.ts';
import { noteViolation } from './check.ts';
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
 * Judges what the client did during the step that just ended against the invariants; a violation's
 * record is attached to that step.
 */
export function watchInvariants(world: ConformanceWorld): void {
  noteOverlaps(world);
  for (const view of world.watch.takeViews()) {
    const several = severalOnInWindow(view);
    if (several) noteViolation(world, 'EX-ONE-ACTIVE', expected.oneTunnel, several);
    if (view.window !== 'private-access') continue;
    for (const { tenant, restartedSince } of world.watch.gone(view)) {
      const actual = `${tenant.name} is no longer listed; ${shows(view)}`;
      if (tenant.role === 'main') noteViolation(world, 'PA-OPEN', expected.organisationListed, actual);
      else
        noteViolation(
          world,
          restartedSince ? 'PERSIST-RESTART' : 'PERSIST',
          expected.remains(tenant.name),
          actual,
        );
    }
  }
}

/** A tunnel overlap at the policy API since the last look, as EX-ONE-ACTIVE's failed check. */
export function noteOverlaps(world: ConformanceWorld): void {
  const overlap = tunnelOverlap(world, world.watch.tunnelsSeenUpTo);
  world.watch.tunnelsSeenUpTo = world.tunnelLog().at(-1)?.seq ?? world.watch.tunnelsSeenUpTo;
  if (!overlap) return;
  noteViolation(world, 'EX-ONE-ACTIVE', expected.oneTunnel, overlap.actual);
}
