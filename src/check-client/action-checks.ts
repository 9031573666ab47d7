/** Each action kind answered with a view, and NOT_OFFERED for what the window does not offer. */
import { type ProtocolAction, sessionPath } from '../protocol/ccdp.ts';
import { type Check, expectError, fail, needSession, pass, warn } from './check.ts';
import { act, currentView, DOC, describeView, offered } from './requests.ts';

export const actionClickCheck: Check = {
  id: 'action-click',
  section: `${DOC}#post-ccdp1sessionsidactions`,
  async run(context) {
    const before = await currentView(context);
    const missing = offered(before, 'controls', 'Private Access');
    if (missing !== undefined) return warn(`not exercised: ${missing}`);
    const after = await act(context, { type: 'click', control: 'Private Access' });
    if (after.view.window === before.view.window) {
      return warn(`200, but the window is still ${after.view.window}: no click was seen to change the view`);
    }
    if (after.serial <= before.serial)
      return fail(`the window changed, but serial stayed ${after.serial}: it must grow on every change`);
    return pass(`click "Private Access": 200, ${describeView(after)}`);
  },
};

export const errorNotOfferedCheck: Check = {
  id: 'error-not-offered',
  section: `${DOC}#post-ccdp1sessionsidactions`,
  async run(context) {
    const session = needSession(context);
    const actions: ProtocolAction[] = [
      { type: 'click', control: 'check-client: no such control' },
      { type: 'click', control: 'Turn On', tenant: 'check-client: no such tenant' },
      { type: 'fill', field: 'check-client: no such field', value: 'x' },
      { type: 'select', option: 'check-client: no such option' },
    ];
    for (const action of actions) {
      const answer = await context.probe.send({
        method: 'POST',
        path: sessionPath(session.id, '/actions'),
        body: action,
        expect: { status: 409, kind: 'error' },
      });
      expectError(answer, 'NOT_OFFERED');
    }
    return pass('409 NOT_OFFERED for a control, a tenant, a field and an option the window does not offer');
  },
};

export const actionSelectCheck: Check = {
  id: 'action-select',
  section: `${DOC}#post-ccdp1sessionsidactions`,
  async run(context) {
    let current = await currentView(context);
    if (current.view.window !== 'add-tenant') {
      const missing = offered(current, 'controls', 'Add Partner Tenant');
      if (missing !== undefined) return warn(`not exercised: ${missing}`);
      current = await act(context, { type: 'click', control: 'Add Partner Tenant' });
    }
    const [option] = current.view.options;
    if (option === undefined) {
      return warn(
        `not exercised: the ${current.view.window} window lists no options for ${context.username} (Windows 4.6 and later do)`,
      );
    }
    const selected = await act(context, { type: 'select', option });
    if (selected.view.controls.includes('Connect')) await act(context, { type: 'click', control: 'Connect' });
    return pass(`select "${option}": 200, ${describeView(selected)}`);
  },
};

export const actionFillCheck: Check = {
  id: 'action-fill',
  section: `${DOC}#post-ccdp1sessionsidactions`,
  async run(context) {
    const current = await currentView(context);
    const missing = offered(current, 'fields', 'Username');
    if (missing !== undefined) return warn(`not exercised: ${missing}`);
    const filled = await act(context, { type: 'fill', field: 'Username', value: context.partnerUsername });
    return pass(`fill "Username": 200, ${describeView(filled)}`);
  },
};

export const actionRestartCheck: Check = {
  id: 'action-restart',
  section: `${DOC}#post-ccdp1sessionsidactions`,
  async run(context) {
    const restarted = await act(context, { type: 'restart' });
    return pass(`restart: 200, ${describeView(restarted)}`);
  },
};
