import { describeView } from './describe.ts';
import type { ClientView } from './types.ts';

/**
 * A wait for a view ended without it: the client went idle, or did not show it within the wait's
 * timeout, while showing something else. That is the client's behaviour, for a step to judge (a
 * check reads `view`); a driver or harness failure during the wait is never this error.
 */
export class ViewNotShown extends Error {
  override name = 'ViewNotShown';
  /** What the client showed when the wait ended; absent when no window could be read. */
  readonly view: ClientView | undefined;

  constructor(description: string, why: string, view: ClientView | undefined, detail?: string) {
    const shown = view === undefined ? (detail ?? 'no window was read') : describeView(view);
    super(`${why} without showing ${description}; ${shown}`);
    this.view = view;
  }
}
