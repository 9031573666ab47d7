/** The long poll: held until its wait, at once when the view is newer than `after`, on a change. */
import type { ViewResponse } from '../protocol/ccdp.ts';
import { type Check, CheckFailed, expectBody, fail, needSession, pass, warn } from './check.ts';
import { act, currentView, DOC, offered, readView } from './requests.ts';

export const longPollWaitCheck: Check = {
  id: 'long-poll-wait',
  section: `${DOC}#get-ccdp1sessionsidview`,
  async run(context) {
    const before = await currentView(context);
    const { holdMs, earlyMs } = context.timing;
    const answer = await readView(context, `?after=${before.serial}&wait=${holdMs}`, holdMs);
    const after = expectBody<ViewResponse>(answer, 200);
    needSession(context).last = after;
    if (after.serial < before.serial)
      return fail(`serial went down from ${before.serial} to ${after.serial}`);
    const ended =
      after.serial > before.serial
        ? 'the view changed'
        : !before.idle && after.idle
          ? 'the client became idle'
          : undefined;
    if (answer.ms < holdMs - earlyMs && ended === undefined) {
      return fail(
        `?after=${before.serial}&wait=${holdMs} answered after ${answer.ms} ms with nothing changed; it must be held until the wait is over`,
      );
    }
    return pass(
      `?after=${before.serial}&wait=${holdMs} answered after ${answer.ms} ms (${ended ?? 'the wait was over'}), idle ${after.idle}`,
    );
  },
};

export const longPollAfterCheck: Check = {
  id: 'long-poll-after',
  section: `${DOC}#get-ccdp1sessionsidview`,
  async run(context) {
    const current = await currentView(context);
    if (current.serial === 0) throw new CheckFailed('serial is still 0 after a change of the view');
    const { longWaitMs } = context.timing;
    const query = `?after=${current.serial - 1}&wait=${longWaitMs}`;
    const answer = await readView(context, query, longWaitMs);
    const body = expectBody<ViewResponse>(answer, 200);
    if (body.serial < current.serial)
      return fail(`${query}: serial ${body.serial}, lower than ${current.serial}`);
    if (answer.ms >= longWaitMs / 2) {
      return fail(
        `${query} with serial ${current.serial} answered after ${answer.ms} ms; it must answer at once`,
      );
    }
    return pass(`${query} answered after ${answer.ms} ms with serial ${body.serial}`);
  },
};

export const longPollChangeCheck: Check = {
  id: 'long-poll-change',
  section: `${DOC}#get-ccdp1sessionsidview`,
  async run(context) {
    const before = await currentView(context);
    const missing = offered(before, 'controls', 'Close');
    if (missing !== undefined) return warn(`not exercised: ${missing}`);
    const { longWaitMs } = context.timing;
    const query = `?after=${before.serial}&wait=${longWaitMs}`;
    // The poll goes first; the action that changes the view follows on another connection.
    const polling = readView(context, query, longWaitMs);
    const closed = await act(context, { type: 'click', control: 'Close' });
    const answer = await polling;
    const body = expectBody<ViewResponse>(answer, 200);
    if (closed.serial <= before.serial)
      return fail(`click "Close" changed the view, but serial stayed ${closed.serial}`);
    if (body.serial <= before.serial || answer.ms >= longWaitMs / 2) {
      return fail(
        `${query} answered after ${answer.ms} ms with serial ${body.serial}, though click "Close" changed the view (serial ${closed.serial}); it must answer on the change (requests are served concurrently)`,
      );
    }
    await act(context, { type: 'click', control: 'Private Access' });
    return pass(
      `${query} answered after ${answer.ms} ms with serial ${body.serial} when click "Close" changed the view`,
    );
  },
};
