/**
 * A minimal web client that follows docs/ui-contract.md and nothing else: a node:http server holding a
 * ClientView the test sets, and a page that renders it by role and accessible name (with a DOM unlike
 * the reference client's: links and buttons mixed, a tenant list item without a name, decoys that must
 * not count) and posts the person's actions back. The test decides what each action does.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientAction, ClientView } from '../../src/drivers/types.ts';

export interface ContractPage {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** The same page, declaring its busy state with aria-busy on the window (docs/ui-contract.md). */
  busyUrl: string;
  /** The actions the page posted, in order. */
  actions: ClientAction[];
  /** Shows `view` now: pushed to the page over its event stream. */
  show(view: ClientView): void;
  /** What an action does: the view after it (undefined: no change); the POST is answered once it resolves. */
  onAction: (action: ClientAction) => ClientView | undefined | Promise<ClientView | undefined>;
  /** Resolves when the page has posted its `count`-th action. */
  actionReceived(count: number): Promise<ClientAction>;
  close(): Promise<void>;
}

export function emptyView(window: ClientView['window'], title: string): ClientView {
  return { window, title, tenants: [], controls: [], fields: [], options: [], info: [] };
}

/** Controls the page renders as links; the others are buttons. */
const LINK_CONTROLS = ['Add Partner Tenant', 'Internet Security'];

const PAGE_SCRIPT = `
const LINKS = ${JSON.stringify(LINK_CONTROLS)};
const DECLARE_BUSY = new URL(location.href).searchParams.has('busy');
let pending = 0;
let shown = '';
let serial = -1;
const root = document.getElementById('root');

function el(tag, props, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children || []) node.append(child);
  return node;
}

function markBusy() {
  if (!DECLARE_BUSY) return;
  document.querySelector('[role=dialog]:not([hidden])')?.setAttribute('aria-busy', String(pending > 0));
}

async function post(action) {
  pending += 1;
  markBusy();
  try {
    const response = await fetch('/action', { method: 'POST', body: JSON.stringify(action) });
    const answer = await response.json();
    show(answer.serial, answer.view);
  } finally {
    pending -= 1;
    markBusy();
  }
}

function control(name, tenant) {
  const act = (event) => {
    event.preventDefault();
    post(tenant === undefined ? { type: 'click', control: name } : { type: 'click', control: name, tenant });
  };
  return LINKS.includes(name)
    ? el('a', { href: '#', text: name, onclick: act })
    : el('button', { type: 'button', text: name, onclick: act });
}

function tenantList(label, tenants, named) {
  const id = 'list-' + label.replace(/\\W/g, '');
  return el('div', {}, [
    el('h3', { id, text: label }),
    el('ul', { 'aria-labelledby': id }, tenants.map((tenant) => {
      const item = el('li', named ? { 'aria-label': tenant.name } : {}, [
        el('strong', { text: tenant.name }),
        el('span', { role: 'status', 'aria-label': 'Service Status', text: tenant.zpa.toUpperCase() }),
        ...tenant.controls.map((name) => control(name, tenant.name)),
      ]);
      if (tenant.username) item.append(el('p', { text: 'Username: ' + tenant.username }));
      return item;
    })),
  ]);
}

function render(view) {
  const parts = [el('h2', { id: 'title', text: view.title })];
  const own = view.tenants.filter((tenant) => tenant.role === 'main');
  const partners = view.tenants.filter((tenant) => tenant.role === 'partner');
  if (own.length) parts.push(tenantList('Organization tenant', own, true));
  if (partners.length) parts.push(tenantList('Partner tenants', partners, false));
  if (view.options.length) {
    parts.push(el('div', { role: 'radiogroup', 'aria-label': 'Partner tenant' }, view.options.map((option) =>
      el('label', {}, [
        el('input', { type: 'radio', name: 'partner', value: option, onchange: () => post({ type: 'select', option }) }),
        document.createTextNode(option),
      ]))));
  }
  for (const field of view.fields) {
    const id = 'field-' + field.replace(/\\W/g, '');
    parts.push(el('label', { for: id, text: field }));
    parts.push(el('input', { id, type: 'text', oninput: (event) => post({ type: 'fill', field, value: event.target.value }) }));
  }
  for (const text of view.info) parts.push(el('aside', { role: 'note' }, [el('p', { text })]));
  if (view.error !== undefined) parts.push(el('div', { role: 'alert', text: view.error }));
  if (view.authorizationUrl !== undefined) {
    parts.push(el('a', { href: view.authorizationUrl, target: '_blank', text: 'Open the sign-in page' }));
  }
  parts.push(el('nav', {}, view.controls.map((name) => control(name))));
  // Decoys: a disabled control and a hidden one are not offered.
  parts.push(el('button', { type: 'button', disabled: '', text: 'Help' }));
  parts.push(el('button', { type: 'button', hidden: '', text: 'Secret' }));
  root.replaceChildren(el('section', { role: 'dialog', 'aria-labelledby': 'title' }, parts));
  markBusy();
}

function show(number, view) {
  if (number < serial) return;
  serial = number;
  const json = JSON.stringify(view);
  if (json === shown) return;
  shown = json;
  render(view);
}

const events = new EventSource('/events');
events.addEventListener('message', (event) => {
  const { serial: number, view } = JSON.parse(event.data);
  show(number, view);
});
`;

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Contract client</title></head>
<body>
<div role="dialog" aria-label="Ghost window" hidden><button type="button">Boo</button></div>
<main id="root"></main>
<script type="module">${PAGE_SCRIPT}</script>
</body></html>`;

export async function serveContractPage(initial: ClientView): Promise<ContractPage> {
  let view = initial;
  let serial = 0;
  const streams = new Set<ServerResponse>();
  const waiters: { count: number; resolve: (action: ClientAction) => void }[] = [];

  const push = (stream: ServerResponse) => stream.write(`data: ${JSON.stringify({ serial, view })}\n\n`);

  const page: ContractPage = {
    url: '',
    busyUrl: '',
    actions: [],
    show(next) {
      view = next;
      serial += 1;
      for (const stream of streams) push(stream);
    },
    onAction: () => undefined,
    actionReceived(count) {
      const action = page.actions[count - 1];
      if (action !== undefined) return Promise.resolve(action);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const server = createServer((request, response) => {
    const route = `${request.method} ${request.url}`;
    if (route === 'GET /' || route === 'GET /?busy') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(PAGE);
    } else if (route === 'GET /events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      streams.add(response);
      response.on('close', () => streams.delete(response));
      push(response);
    } else if (route === 'POST /action') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const action = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ClientAction;
        page.actions.push(action);
        for (const waiter of waiters.filter((w) => w.count === page.actions.length)) waiter.resolve(action);
        const next = await page.onAction(action);
        if (next !== undefined) page.show(next);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ serial, view }));
      });
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  page.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  page.busyUrl = `${page.url}?busy`;
  return page;
}
