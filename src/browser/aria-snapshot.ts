/**
 * Reads Playwright's aria snapshots (`locator.ariaSnapshot()`): the accessibility tree as YAML, one
 * node per line, e.g.
 *
 *   - dialog "Private Access":
 *     - list "Organization tenant":
 *       - listitem "Acme Corp":
 *         - status "Service Status": "ON"
 *         - button "Turn Off"
 *     - link "Open the sign-in page":
 *       - /url: http://127.0.0.1:8080/authorize
 *     - button "Submit" [disabled]
 *
 * A key is `role "name" [attribute] [attribute=value]...`, where the name is a JSON string and the
 * whole key is YAML-quoted when it needs to be; a value is the node's text or its children; `text:`
 * items are bare text and `/url:`-like items are properties of their parent. The YAML is read with the
 * failsafe schema, so that no text turns into a number or a boolean.
 */
import { parse } from 'yaml';

export interface AriaNode {
  /** ARIA role, or `text` for bare text. */
  role: string;
  /** Accessible name, when the node has one. */
  name?: string;
  /** Bracketed states, e.g. `{ disabled: '' }`, `{ checked: '' }`, `{ level: '1' }`. */
  attributes: Record<string, string>;
  /** The node's own text: a text node's text, or an element's single text child (a textbox's value). */
  text?: string;
  /** Properties, e.g. `{ url: 'http://…' }` for a link's href. */
  props: Record<string, string>;
  children: AriaNode[];
}

export class AriaSnapshotError extends Error {
  override name = 'AriaSnapshotError';
}

/** Parses an aria snapshot into its top-level nodes; throws AriaSnapshotError on anything unreadable. */
export function parseAriaSnapshot(snapshot: string): AriaNode[] {
  let document: unknown;
  try {
    document = parse(snapshot, { schema: 'failsafe' });
  } catch (error) {
    throw new AriaSnapshotError(
      `the aria snapshot is not YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (document === null || document === undefined || document === '') return [];
  if (!Array.isArray(document)) throw new AriaSnapshotError('the aria snapshot is not a list of nodes');
  return readItems(document, undefined);
}

function readItems(items: unknown[], parent: AriaNode | undefined): AriaNode[] {
  const nodes: AriaNode[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      nodes.push(nodeFromKey(item));
      continue;
    }
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new AriaSnapshotError(`unreadable aria snapshot item: ${JSON.stringify(item)}`);
    }
    const entries = Object.entries(item);
    const [entry] = entries;
    if (entry === undefined || entries.length !== 1) {
      throw new AriaSnapshotError(`an aria snapshot item must have one key: ${JSON.stringify(item)}`);
    }
    const [key, value] = entry;
    if (key.startsWith('/')) {
      if (parent === undefined) throw new AriaSnapshotError(`property ${key} outside a node`);
      parent.props[key.slice(1)] = typeof value === 'string' ? value : '';
      continue;
    }
    const node = nodeFromKey(key);
    if (typeof value === 'string') node.text = value;
    else if (Array.isArray(value)) node.children = readItems(value, node);
    else if (value !== null) {
      throw new AriaSnapshotError(
        `unreadable value of "${key}" in the aria snapshot: ${JSON.stringify(value)}`,
      );
    }
    nodes.push(node);
  }
  return nodes;
}

const KEY = /^([A-Za-z][\w-]*)(?:\s+("(?:[^"\\]|\\.)*"|\/(?:[^/\\]|\\.)*\/))?((?:\s*\[[^\]]*\])*)\s*$/;
const ATTRIBUTE = /\[([^\]=]+)(?:=([^\]]*))?\]/g;

function nodeFromKey(key: string): AriaNode {
  if (key === 'text') return { role: 'text', attributes: {}, props: {}, children: [] };
  const match = KEY.exec(key);
  if (!match) throw new AriaSnapshotError(`unreadable aria snapshot node "${key}"`);
  const [, role = '', quoted, attributeText = ''] = match;
  const node: AriaNode = { role, attributes: {}, props: {}, children: [] };
  if (quoted !== undefined) node.name = quoted.startsWith('"') ? parseName(quoted, key) : quoted;
  for (const [, attribute = '', value = ''] of attributeText.matchAll(ATTRIBUTE)) {
    node.attributes[attribute.trim()] = value.trim();
  }
  return node;
}

function parseName(quoted: string, key: string): string {
  try {
    const name: unknown = JSON.parse(quoted);
    if (typeof name === 'string') return name;
  } catch {
    // reported below
  }
  throw new AriaSnapshotError(`unreadable accessible name in "${key}"`);
}

/** Every node below `node` (not `node` itself), depth first, in document order. */
export function* descendants(node: AriaNode): Generator<AriaNode> {
  for (const child of node.children) {
    yield child;
    yield* descendants(child);
  }
}

/** What a person reads in `node`: its own text, else its descendants' texts (and names of bare controls). */
export function textOf(node: AriaNode): string {
  if (node.text !== undefined) return normaliseSpace(node.text);
  const parts = node.children.map((child) => {
    if (child.role === 'text') return child.text ?? '';
    return textOf(child) || child.name || '';
  });
  return normaliseSpace(parts.filter((part) => part !== '').join(' '));
}

/** The texts a person reads in `node`, piece by piece (bare text, element texts), for line-wise matching. */
export function textPieces(node: AriaNode): string[] {
  const pieces: string[] = [];
  if (node.text !== undefined) pieces.push(normaliseSpace(node.text));
  for (const child of descendants(node)) {
    if (child.text !== undefined) pieces.push(normaliseSpace(child.text));
  }
  return pieces.filter((piece) => piece !== '');
}

export function isDisabled(node: AriaNode): boolean {
  return 'disabled' in node.attributes;
}

function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
