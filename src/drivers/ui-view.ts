/**
 * What a person sees in a client's window, read from the window's accessibility tree by the roles and
 * accessible names of docs/ui-contract.md: the aria snapshot of the one `dialog` becomes a ClientView.
 */
import {
  type AriaNode,
  AriaSnapshotError,
  descendants,
  isDisabled,
  parseAriaSnapshot,
  textOf,
  textPieces,
} from '../browser/aria-snapshot.ts';
import type { ClientView, TenantView, WindowName } from './types.ts';

/** Accessible names the contract fixes. */
export const UI_NAMES = {
  mainWindow: 'Zscaler Client Connector',
  privateAccessWindow: 'Private Access',
  addTenantWindow: 'Add Tenant',
  authenticationWindowPrefix: 'Sign In - ',
  organisationList: 'Organization tenant',
  partnerList: 'Partner tenants',
  serviceStatus: 'Service Status',
  partnerChoice: 'Partner tenant',
  signInLink: 'Open the sign-in page',
} as const;

/** The window a title names, per the contract's table; undefined for a title it does not name. */
export function windowNamed(title: string): WindowName | undefined {
  if (title === UI_NAMES.mainWindow) return 'main';
  if (title === UI_NAMES.privateAccessWindow) return 'private-access';
  if (title === UI_NAMES.addTenantWindow) return 'add-tenant';
  if (title.startsWith(UI_NAMES.authenticationWindowPrefix)) return 'authentication';
  return undefined;
}

const CONTROL_ROLES = new Set(['button', 'link']);
const TENANT_LISTS: Record<string, TenantView['role']> = {
  [UI_NAMES.organisationList]: 'main',
  [UI_NAMES.partnerList]: 'partner',
};

/**
 * The ClientView an aria snapshot of the window (`getByRole('dialog').ariaSnapshot()`) shows.
 * `baseUrl` resolves a relative `href` of the sign-in link. Throws AriaSnapshotError when the snapshot
 * is not one named dialog whose name the contract knows, or a tenant's status is not ON or OFF.
 */
export function viewFromSnapshot(snapshot: string, baseUrl?: string): ClientView {
  const top = parseAriaSnapshot(snapshot);
  const [dialog] = top;
  if (dialog === undefined || top.length !== 1 || dialog.role !== 'dialog') {
    const roles = top.map((node) => node.role).join(', ') || 'nothing';
    throw new AriaSnapshotError(`expected one dialog (the open window), found ${roles}`);
  }
  const title = dialog.name ?? '';
  const window = windowNamed(title);
  if (window === undefined) {
    throw new AriaSnapshotError(
      title
        ? `the open window "${title}" is none the UI contract names (${UI_NAMES.mainWindow}, ` +
            `${UI_NAMES.privateAccessWindow}, ${UI_NAMES.addTenantWindow}, ${UI_NAMES.authenticationWindowPrefix}…)`
        : 'the open window (dialog) has no accessible name',
    );
  }
  const view: ClientView = { window, title, tenants: [], controls: [], fields: [], options: [], info: [] };
  const errors: string[] = [];

  const visit = (node: AriaNode): void => {
    const tenantRole = node.role === 'list' && node.name !== undefined ? TENANT_LISTS[node.name] : undefined;
    if (tenantRole !== undefined) {
      for (const item of listItems(node)) view.tenants.push(tenantFrom(item, tenantRole));
      return;
    }
    if (node.role === 'radiogroup' && node.name === UI_NAMES.partnerChoice) {
      for (const radio of descendants(node)) {
        if (radio.role === 'radio' && radio.name && !isDisabled(radio)) addOnce(view.options, radio.name);
      }
      return;
    }
    if (CONTROL_ROLES.has(node.role) && node.name) {
      if (node.role === 'link' && node.name === UI_NAMES.signInLink) {
        const href = node.props.url;
        if (href !== undefined) view.authorizationUrl = resolveUrl(href, baseUrl);
      } else if (!isDisabled(node)) {
        addOnce(view.controls, node.name);
      }
    } else if (node.role === 'textbox' && node.name && !isDisabled(node)) {
      addOnce(view.fields, node.name);
    } else if (node.role === 'note') {
      const text = textOf(node);
      if (text) view.info.push(text);
      return;
    } else if (node.role === 'alert') {
      const text = textOf(node);
      if (text) errors.push(text);
      return;
    }
    for (const child of node.children) visit(child);
  };
  for (const child of dialog.children) visit(child);
  if (errors.length > 0) view.error = errors.join(' ');
  return view;
}

/** The list's own items (not items of lists nested in them). */
function listItems(list: AriaNode): AriaNode[] {
  const items: AriaNode[] = [];
  const walk = (node: AriaNode): void => {
    for (const child of node.children) {
      if (child.role === 'listitem') items.push(child);
      else if (child.role !== 'list') walk(child);
    }
  };
  walk(list);
  return items;
}

function tenantFrom(item: AriaNode, role: TenantView['role']): TenantView {
  const pieces = textPieces(item);
  const name = item.name ?? item.children.find((child) => child.role === 'text')?.text?.trim() ?? pieces[0];
  if (!name) throw new AriaSnapshotError(`a tenant list item has no name`);
  const statuses = [...descendants(item)].filter((node) => node.role === 'status');
  const status = statuses.find((node) => node.name === UI_NAMES.serviceStatus) ?? statuses[0];
  const statusText = status === undefined ? undefined : textOf(status).toUpperCase();
  if (statusText !== 'ON' && statusText !== 'OFF') {
    throw new AriaSnapshotError(
      status === undefined
        ? `tenant "${name}" shows no ${UI_NAMES.serviceStatus} status`
        : `tenant "${name}": ${UI_NAMES.serviceStatus} is "${textOf(status)}", not ON or OFF`,
    );
  }
  const controls: string[] = [];
  for (const node of descendants(item)) {
    if (CONTROL_ROLES.has(node.role) && node.name && !isDisabled(node)) addOnce(controls, node.name);
  }
  const tenant: TenantView = { name, role, zpa: statusText === 'ON' ? 'on' : 'off', controls };
  for (const piece of pieces) {
    const username = /(?:^|\s)Username:\s*(\S+)/.exec(piece)?.[1];
    if (username !== undefined) {
      tenant.username = username.trim();
      break;
    }
  }
  return tenant;
}

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function resolveUrl(href: string, baseUrl: string | undefined): string {
  return URL.parse(href, baseUrl)?.href ?? href;
}
