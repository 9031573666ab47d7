/**
 * A client's open window read and acted on through WebDriver, by the locators of a UI map: what a
 * person sees becomes a ClientView, and a ccdp/1 action becomes a click, a fill or a selection.
 */
import type { ClientAction, ClientView, TenantView, WindowName } from '../drivers/types.ts';
import { ClientActionError } from '../verdict.ts';
import type { Locator, Named, Read, Texts, UiMap } from './ui-map.ts';

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

  /** The open window: the last element the window locator finds. */
  async window(): Promise<{ id: string; title: string; kind: WindowName }> {
    const { locator, title: titleRead, titles } = this.#map.window;
    const found = await this.#driver.findElements(locator.using, locator.value);
    const last = found.at(-1);
    if (last === undefined) throw new Error(`the client shows no window (nothing matches ${shown(locator)})`);
    const id = elementId(last);
    const title = await this.#read(id, titleRead);
    const kind = windowKind(title, titles);
    if (kind === undefined) {
      throw new Error(
        `the open window "${title}" is none the UI map names (${Object.values(titles).join(', ')})`,
      );
    }
    return { id, title, kind };
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
    const { id, title, kind } = await this.window();
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
      for (const row of await this.#find(id, this.#map.tenants[role])) {
        const { tenant, controls } = await this.#tenant(row, role);
        view.tenants.push(tenant);
        tenantControls.set(tenant.name, controls);
        for (const control of controls.values()) taken.add(control);
      }
    }
    const options = await this.#named(id, this.#map.options, taken);
    for (const option of options.values()) taken.add(option);
    const authorization = await this.#texts(id, this.#map.authorizationUrl);
    for (const element of authorization.elements) taken.add(element);
    const controls = await this.#named(id, this.#map.controls, taken);
    const fields = await this.#named(id, this.#map.fields, taken);
    view.controls = [...controls.keys()];
    view.fields = [...fields.keys()];
    view.options = [...options.keys()];
    view.info = (await this.#texts(id, this.#map.info)).texts;
    const errors = (await this.#texts(id, this.#map.error)).texts;
    if (errors.length > 0) view.error = errors.join(' ');
    const url = authorization.texts[0];
    if (url !== undefined) view.authorizationUrl = url;
    return { view, window: id, controls, fields, options, tenantControls };
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

  async #tenant(row: string, role: TenantView['role']) {
    const { tenants } = this.#map;
    const name = (await this.#read(row, tenants.name)).trim();
    const states = await this.#texts(row, tenants.zpa);
    const state = states.texts[0]?.toUpperCase();
    if (state !== 'ON' && state !== 'OFF') {
      throw new Error(
        state === undefined
          ? `tenant "${name}" shows no ZPA state (nothing matches ${shown(tenants.zpa.locator)})`
          : `tenant "${name}": the ZPA state is "${state}", not ON or OFF`,
      );
    }
    const controls = await this.#named(row, tenants.controls, new Set());
    const tenant: TenantView = {
      name,
      role,
      zpa: state === 'ON' ? 'on' : 'off',
      controls: [...controls.keys()],
    };
    if (tenants.username !== undefined) {
      const username = /(?:^|\s)Username:\s*(\S+)/.exec(await this.#read(row, tenants.username))?.[1];
      if (username !== undefined) tenant.username = username;
    }
    return { tenant, controls };
  }

  /** The elements `named` finds in `scope`, by name (the first of each name), leaving out `taken` ones. */
  async #named(scope: string, named: Named, taken: Set<string>): Promise<Map<string, string>> {
    const byName = new Map<string, string>();
    for (const element of await this.#find(scope, named.locator)) {
      if (taken.has(element)) continue;
      const name = (await this.#read(element, named.name)).trim();
      if (name !== '' && !byName.has(name)) byName.set(name, element);
    }
    return byName;
  }

  async #texts(scope: string, texts: Texts): Promise<{ elements: string[]; texts: string[] }> {
    const elements = await this.#find(scope, texts.locator);
    const read: string[] = [];
    for (const element of elements) {
      const text = normalise(await this.#read(element, texts.read));
      if (text !== '') read.push(text);
    }
    return { elements, texts: read };
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
