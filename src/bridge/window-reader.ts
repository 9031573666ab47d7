/**
 * A client's open window read and acted on through WebDriver, by the locators of a UI map: what a
 * person sees becomes a ClientView, and a ccdp/1 action becomes a click, a fill or a selection.
 */
import type { ClientAction, ClientView, TenantView, WindowName } from '../drivers/types.ts';
import { ClientActionError } from '../verdict.ts';
import type { Locator, Read, UiMap } from './ui-map.ts';

/** What the bridge needs of a WebDriver session (WebdriverIO's `webdriver` Client has it all). */
export interface WebDriverClient {
  findElements(using: string, value: string): Promise<ElementReference[]>;
  findElementsFromElement(elementId: string, using: string, value: string): Promise<ElementReference[]>;
  getElementText(elementId: string): Promise<string>;
  getElementAttribute(elementId: string, name: string): Promise<string | null>;
  getElementComputedLabel(elementId: string): Promise<string>;
  elementClick(elementId: string): Promise<void>;
  elementClear(elementId: string): Promise<void>;
  elementSendKeys(elementId: string, text: string): Promise<void>;
  navigateTo(url: string): Promise<void>;
  getUrl(): Promise<string>;
  getPageSource(): Promise<string>;
  executeScript(script: string, args: unknown[]): Promise<unknown>;
  deleteAllCookies(): Promise<void>;
  deleteSession(): Promise<void>;
}

export type ElementReference = Record<string, string>;

/** W3C WebDriver's key of an element reference; JSON Wire drivers (WinAppDriver) answer `ELEMENT`. */
const W3C_ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

function elementId(reference: ElementReference): string {
  const id = reference[W3C_ELEMENT] ?? reference.ELEMENT;
  if (id === undefined) throw new Error(`not a WebDriver element reference: ${JSON.stringify(reference)}`);
  return id;
}

/** A window as read: its view, and the elements each of its names stands for. */
export interface WindowRead {
  view: ClientView;
  /** The open window's element. */
  window: string;
  controls: Map<string, string>;
  fields: Map<string, string>;
  options: Map<string, string>;
  /** Per tenant name: its controls. */
  tenantControls: Map<string, Map<string, string>>;
}

export class WindowReader {
  readonly #driver: WebDriverClient;
  readonly #map: UiMap;

  constructor(driver: WebDriverClient, map: UiMap) {
    this.#driver = driver;
    this.#map = map;
  }

  /** Whether the open window says it is busy; false when the map says nothing of it. */
  async busy(): Promise<boolean> {
    const busy = this.#map.window.busy;
    if (busy === undefined) return false;
    const { locator } = this.#map.window;
    const last = (await this.#driver.findElements(locator.using, locator.value)).at(-1);
    return last !== undefined && (await this.#read(elementId(last), busy)) === 'true';
  }

  /** The open window as a ClientView, with its elements. */
  async read(): Promise<WindowRead> {
    const found = await (inPage(this.#map) ? this.#findInPage() : this.#findByCommands());
    const title = await this.#read(found.window, this.#map.window.title);
    const { titles } = this.#map.window;
    const kind = windowKind(title, titles);
    if (kind === undefined) {
      throw new Error(
        `the open window "${title}" is none the UI map names (${Object.values(titles).join(', ')})`,
      );
    }
    const view: ClientView = {
      window: kind,
      title,
      tenants: [],
      controls: [],
      fields: [],
      options: [],
      info: [],
    };
    const tenantControls = new Map<string, Map<string, string>>();
    const taken = new Set<string>();
    for (const role of ['main', 'partner'] as const) {
      for (const row of found.tenants[role]) {
        const { tenant, controls } = await this.#tenant(row, role);
        view.tenants.push(tenant);
        tenantControls.set(tenant.name, controls);
        for (const control of controls.values()) taken.add(control);
      }
    }
    const options = await this.#named(found.options, this.#map.options.name, taken);
    for (const option of options.values()) taken.add(option);
    for (const element of found.authorization) taken.add(element);
    // A sign-in page in the authentication window: its elements by the names the harness uses.
    const page = kind === 'authentication' ? signInPage(found.signIn) : undefined;
    for (const element of [...(page?.fields.values() ?? []), ...(page?.controls.values() ?? [])])
      taken.add(element);
    const controls = withFirst(
      page?.controls,
      await this.#named(found.controls, this.#map.controls.name, taken),
    );
    const fields = withFirst(page?.fields, await this.#named(found.fields, this.#map.fields.name, taken));
    view.controls = [...controls.keys()];
    view.fields = [...fields.keys()];
    view.options = [...options.keys()];
    view.info = await this.#texts(found.info, this.#map.info.read);
    const errors = await this.#texts(found.error, this.#map.error.read);
    if (errors.length > 0) view.error = errors.join(' ');
    const url = (await this.#texts(found.authorization, this.#map.authorizationUrl.read))[0];
    if (url !== undefined) view.authorizationUrl = url;
    return { view, window: found.window, controls, fields, options, tenantControls };
  }

  /** Does `action` in the window `read` shows; ClientActionError when it does not offer it. */
  async act(action: ClientAction, read: WindowRead): Promise<void> {
    const window = `the ${read.view.title} window`;
    switch (action.type) {
      case 'click': {
        if (action.tenant === undefined) {
          const control = offered(read.controls, action.control, `${window} offers no control`, 'controls');
          await this.#driver.elementClick(control);
          return;
        }
        const tenant = read.tenantControls.get(action.tenant);
        if (tenant === undefined) {
          throw new ClientActionError(
            `${window} lists no tenant "${action.tenant}" (tenants: ${list([...read.tenantControls.keys()])})`,
          );
        }
        const control = offered(
          tenant,
          action.control,
          `${window}: the tenant "${action.tenant}" offers no control`,
          'its controls',
        );
        await this.#driver.elementClick(control);
        return;
      }
      case 'fill': {
        const field = offered(read.fields, action.field, `${window} offers no field`, 'fields');
        await this.#driver.elementClear(field);
        if (action.value !== '') await this.#driver.elementSendKeys(field, action.value);
        return;
      }
      case 'select': {
        const option = offered(read.options, action.option, `${window} offers no option`, 'options');
        await this.#driver.elementClick(option);
        return;
      }
    }
  }

  async #tenant(row: FoundRow, role: TenantView['role']) {
    const { tenants } = this.#map;
    const name = (await this.#read(row.row, tenants.name)).trim();
    const state = (await this.#texts(row.zpa, tenants.zpa.read))[0]?.toUpperCase();
    if (state !== 'ON' && state !== 'OFF') {
      throw new Error(
        state === undefined
          ? `tenant "${name}" shows no ZPA state (nothing matches ${shown(tenants.zpa.locator)})`
          : `tenant "${name}": the ZPA state is "${state}", not ON or OFF`,
      );
    }
    const controls = await this.#named(row.controls, tenants.controls.name, new Set());
    const tenant: TenantView = {
      name,
      role,
      zpa: state === 'ON' ? 'on' : 'off',
      controls: [...controls.keys()],
    };
    if (tenants.username !== undefined) {
      const username = /(?:^|\s)Username:\s*(\S+)/.exec(await this.#read(row.row, tenants.username))?.[1];
      if (username !== undefined) tenant.username = username;
    }
    return { tenant, controls };
  }

  /** Every element a read needs, one WebDriver command per locator (and per tenant row). */
  async #findByCommands(): Promise<Found> {
    const map = this.#map;
    const { locator } = map.window;
    const window = (await this.#driver.findElements(locator.using, locator.value)).at(-1);
    if (window === undefined)
      throw new Error(`the client shows no window (nothing matches ${shown(locator)})`);
    const id = elementId(window);
    const rows = async (rowLocator: Locator): Promise<FoundRow[]> => {
      const found: FoundRow[] = [];
      for (const row of await this.#find(id, rowLocator)) {
        const zpa = await this.#find(row, map.tenants.zpa.locator);
        found.push({ row, zpa, controls: await this.#find(row, map.tenants.controls.locator) });
      }
      return found;
    };
    return {
      window: id,
      tenants: { main: await rows(map.tenants.main), partner: await rows(map.tenants.partner) },
      options: await this.#find(id, map.options.locator),
      authorization: await this.#find(id, map.authorizationUrl.locator),
      controls: await this.#find(id, map.controls.locator),
      fields: await this.#find(id, map.fields.locator),
      info: await this.#find(id, map.info.locator),
      error: await this.#find(id, map.error.locator),
      ...(map.signIn === undefined
        ? {}
        : {
            signIn: {
              username: await this.#find(id, map.signIn.username),
              password: await this.#find(id, map.signIn.password),
              submit: await this.#find(id, map.signIn.submit),
            },
          }),
    };
  }

  /**
   * Every element a read needs, found in one script in the page (web maps whose locators are all CSS
   * or XPath): the same elements the find commands would return, each about 14 ms through chromedriver.
   */
  async #findInPage(): Promise<Found> {
    const spec = readLocators(this.#map);
    const found = (await this.#driver.executeScript(FIND_IN_PAGE, [spec])) as InPage | null;
    if (found === null)
      throw new Error(`the client shows no window (nothing matches ${shown(this.#map.window.locator)})`);
    const elements = found.elements.map(elementId);
    const id = (index: number) => {
      const element = elements[index];
      if (element === undefined) throw new Error(`the page's find script returned no element ${index}`);
      return element;
    };
    const ids = (indexes: number[]) => indexes.map(id);
    const rows = (list: InPageRow[]) =>
      list.map((row) => ({ row: id(row.row), zpa: ids(row.zpa), controls: ids(row.controls) }));
    return {
      window: id(found.window),
      tenants: { main: rows(found.main), partner: rows(found.partner) },
      options: ids(found.options),
      authorization: ids(found.authorization),
      controls: ids(found.controls),
      fields: ids(found.fields),
      info: ids(found.info),
      error: ids(found.errors),
      ...(found.signIn === null
        ? {}
        : {
            signIn: {
              username: ids(found.signIn.username),
              password: ids(found.signIn.password),
              submit: ids(found.signIn.submit),
            },
          }),
    };
  }

  /** The elements `elements` names, by what `name` reads (the first of each name), leaving out `taken` ones. */
  async #named(elements: string[], name: Read, taken: Set<string>): Promise<Map<string, string>> {
    const byName = new Map<string, string>();
    for (const element of elements) {
      if (taken.has(element)) continue;
      const text = (await this.#read(element, name)).trim();
      if (text !== '' && !byName.has(text)) byName.set(text, element);
    }
    return byName;
  }

  /** What `read` reads on each of `elements`, normalised; empty ones left out. */
  async #texts(elements: string[], read: Read): Promise<string[]> {
    const texts: string[] = [];
    for (const element of elements) {
      const text = normalise(await this.#read(element, read));
      if (text !== '') texts.push(text);
    }
    return texts;
  }

  async #find(scope: string, locator: Locator): Promise<string[]> {
    const found = await this.#driver.findElementsFromElement(scope, locator.using, locator.value);
    return found.map(elementId);
  }

  async #read(element: string, read: Read): Promise<string> {
    if (read === 'text') return this.#driver.getElementText(element);
    if (read === 'label') return this.#driver.getElementComputedLabel(element);
    return (await this.#driver.getElementAttribute(element, read.slice(1))) ?? '';
  }
}

/** The elements of one tenant row. */
interface FoundRow {
  row: string;
  zpa: string[];
  controls: string[];
}

/** The open window's elements a read needs, by what they are. */
interface Found {
  window: string;
  tenants: Record<TenantView['role'], FoundRow[]>;
  options: string[];
  authorization: string[];
  controls: string[];
  fields: string[];
  info: string[];
  error: string[];
  /** With the map's `signIn`: that page's elements in the window. */
  signIn?: SignInElements<string[]>;
}

interface SignInElements<T> {
  username: T;
  password: T;
  submit: T;
}

/** The sign-in page's first Username, Password and Sign In, under the names the harness uses. */
function signInPage(
  found: SignInElements<string[]> | undefined,
): { fields: Map<string, string>; controls: Map<string, string> } | undefined {
  if (found === undefined) return undefined;
  const fields = new Map<string, string>();
  const controls = new Map<string, string>();
  const [username] = found.username;
  const [password] = found.password;
  const [submit] = found.submit;
  if (username !== undefined) fields.set('Username', username);
  if (password !== undefined) fields.set('Password', password);
  if (submit !== undefined) controls.set('Sign In', submit);
  return { fields, controls };
}

/** `first`'s names, then the others of `rest` (a name `first` has keeps `first`'s element). */
function withFirst(first: Map<string, string> | undefined, rest: Map<string, string>): Map<string, string> {
  const merged = new Map(first);
  for (const [name, element] of rest) if (!merged.has(name)) merged.set(name, element);
  return merged;
}

interface InPageRow {
  row: number;
  zpa: number[];
  controls: number[];
}

/** What FIND_IN_PAGE returns: each element as its index in `elements` (WebDriver element references). */
interface InPage {
  window: number;
  main: InPageRow[];
  partner: InPageRow[];
  options: number[];
  authorization: number[];
  controls: number[];
  fields: number[];
  info: number[];
  /** Not `error`: an answer whose value has an `error` key is a WebDriver error to its client. */
  errors: number[];
  signIn: SignInElements<number[]> | null;
  elements: ElementReference[];
}

const IN_PAGE_STRATEGIES = new Set(['xpath', 'css selector']);

/** Every locator a read of the window uses, by the name FIND_IN_PAGE knows it by. */
function readLocators(map: UiMap): Record<string, Locator> {
  return {
    window: map.window.locator,
    main: map.tenants.main,
    partner: map.tenants.partner,
    zpa: map.tenants.zpa.locator,
    tenantControls: map.tenants.controls.locator,
    options: map.options.locator,
    authorization: map.authorizationUrl.locator,
    controls: map.controls.locator,
    fields: map.fields.locator,
    info: map.info.locator,
    error: map.error.locator,
    ...(map.signIn === undefined
      ? {}
      : {
          signInUsername: map.signIn.username,
          signInPassword: map.signIn.password,
          signInSubmit: map.signIn.submit,
        }),
  };
}

/** Whether a read can find its elements in one script: a web map whose locators are CSS or XPath. */
function inPage(map: UiMap): boolean {
  const locators = Object.values(readLocators(map));
  return map.driver === 'web' && locators.every((locator) => IN_PAGE_STRATEGIES.has(locator.using));
}

/**
 * The body of a W3C Execute Script: finds what Find Elements (From Element) would, in the same order
 * (XPath with the scope as context node, elements only; CSS by querySelectorAll), for the last window.
 */
const FIND_IN_PAGE = `
const spec = arguments[0];
const all = (scope, locator) => {
  if (locator.using === 'css selector') return Array.from(scope.querySelectorAll(locator.value));
  const result = document.evaluate(locator.value, scope, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
  const nodes = [];
  for (let i = 0; i < result.snapshotLength; i += 1) {
    const node = result.snapshotItem(i);
    if (node.nodeType === Node.ELEMENT_NODE) nodes.push(node);
  }
  return nodes;
};
const windows = all(document, spec.window);
const open = windows[windows.length - 1];
if (open === undefined) return null;
// Each element once, named by its index elsewhere: chromedriver takes an element returned twice for a cycle.
const elements = [];
const at = (element) => {
  const index = elements.indexOf(element);
  return index >= 0 ? index : elements.push(element) - 1;
};
const find = (scope, locator) => all(scope, locator).map(at);
const rows = (locator) =>
  all(open, locator).map((row) => ({ row: at(row), zpa: find(row, spec.zpa), controls: find(row, spec.tenantControls) }));
return {
  window: at(open),
  main: rows(spec.main),
  partner: rows(spec.partner),
  options: find(open, spec.options),
  authorization: find(open, spec.authorization),
  controls: find(open, spec.controls),
  fields: find(open, spec.fields),
  info: find(open, spec.info),
  errors: find(open, spec.error),
  signIn: spec.signInUsername
    ? {
        username: find(open, spec.signInUsername),
        password: find(open, spec.signInPassword),
        submit: find(open, spec.signInSubmit),
      }
    : null,
  elements,
};
`;

/** The window a title names: an exact title, or the authentication window's prefix. */
function windowKind(title: string, titles: Record<WindowName, string>): WindowName | undefined {
  for (const kind of ['main', 'private-access', 'add-tenant'] as const)
    if (title === titles[kind]) return kind;
  return title.startsWith(titles.authentication) ? 'authentication' : undefined;
}

function offered(elements: Map<string, string>, name: string, missing: string, what: string): string {
  const element = elements.get(name);
  if (element === undefined)
    throw new ClientActionError(`${missing} "${name}" (${what}: ${list([...elements.keys()])})`);
  return element;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function list(items: string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}

function shown(locator: Locator): string {
  return `${locator.using} ${JSON.stringify(locator.value)}`;
}
