import type { ClientView } from './types.ts';

/** One line saying what a person sees in the client, for failure messages. */
export function describeView(view: ClientView): string {
  const parts = [`the ${view.title} window`];
  if (view.tenants.length > 0) {
    const tenants = view.tenants.map((t) => `${t.name} (${t.role}, ZPA ${t.zpa})`).join(', ');
    parts.push(`tenants: ${tenants}`);
  }
  if (view.controls.length > 0) parts.push(`controls: ${view.controls.join(', ')}`);
  if (view.fields.length > 0) parts.push(`fields: ${view.fields.join(', ')}`);
  if (view.options.length > 0) parts.push(`options: ${view.options.join(', ')}`);
  if (view.error) parts.push(`error: "${view.error}"`);
  return parts.join('; ');
}
