/**
 * The UI map of the WebDriver bridge: how a client's windows are found and read through WebDriver
 * (docs/bridge.md). A YAML file checked against ui-map.schema.json; every key it leaves out comes from
 * the defaults of its `driver` (web, windows, mac2), built from the accessible names of
 * docs/ui-contract.md, so a client that follows the contract needs an almost empty map. Any problem is
 * one UiMapError line naming the file and the key.
 */
import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Authentication } from '../../client/index.ts';
import type { WindowName } from '../drivers/types.ts';
import { UI_NAMES } from '../drivers/ui-view.ts';
import type { Platform } from '../fixtures/types.ts';
import { once } from '../once.ts';
import { propertyPath } from '../schema-errors.ts';
import { YamlError, yamlData } from '../yaml-data.ts';
import schema from './ui-map.schema.json' with { type: 'json' };

export class UiMapError extends Error {
  override name = 'UiMapError';
}

/** A WebDriver locator: a strategy (`accessibility id`, `name`, `xpath`, `css selector`, …) and a value. */
export interface Locator {
  using: string;
  value: string;
}

/** How a text is read from an element: its text, its computed accessible name, or an attribute (`@Name`). */
export type Read = 'text' | 'label' | `@${string}`;

/** Elements found by a locator (within the window or a tenant row), each known by what `name` reads. */
export interface Named {
  locator: Locator;
  name: Read;
}

/** Elements found by a locator, each giving what `read` reads. */
export interface Texts {
  locator: Locator;
  read: Read;
}

export type MapDriver = 'web' | 'windows' | 'mac2';

/** The map as the bridge uses it: every default filled in. */
export interface UiMap {
  driver: MapDriver;
  client: { name?: string; platform?: Platform; version?: string };
  /**
   * What a session starts before its WebDriver session: the bundled reference client's web UI, a web
   * client at a URL, or nothing (the capabilities start the application).
   */
  start:
    | { app: 'reference-web-ui'; authentication?: Authentication }
    | { app: 'url'; url: string }
    | { app: 'capabilities' };
  /** navigate: open the client's URL again; new-session: end the WebDriver session and start another. */
  restart: 'navigate' | 'new-session';
  /**
   * new: each ccdp/1 session opens its own WebDriver session; kept: one WebDriver session serves one
   * ccdp/1 session after another (a web client the bridge opens by URL only: the browser is not the
   * client, and between two sessions its cookies are deleted and about:blank is opened).
   */
  webdriverSession: 'new' | 'kept';
  /**
   * How the bridge tells that the window did not change since its last read, so that read stands:
   * page-source (W3C Get Page Source, one command, compared with the source of the last read) or read
   * (the window read again each time, about 25 commands).
   */
  changes: 'page-source' | 'read';
  clearData?: { command: string[] };
  log?: { file: string };
  window: {
    /** Finds the open windows; the last one found is the open window. */
    locator: Locator;
    title: Read;
    /** Reads "true" while the window is busy with the person's last action. */
    busy?: Read;
    /** The title of each window; `authentication` is a prefix. */
    titles: Record<WindowName, string>;
  };
  controls: Named;
  fields: Named;
  options: Named;
  tenants: {
    main: Locator;
    partner: Locator;
    name: Read;
    zpa: Texts;
    controls: Named;
    /** Read on the row; a `Username: NAME` in it is the tenant's username. */
    username?: Read;
  };
  info: Texts;
  error: Texts;
  authorizationUrl: Texts;
  /**
   * A client that shows the sign-in page inside its authentication window (a web view) and so shows
   * no authorization URL: where that page's Username, Password and Sign In are, within the window.
   * The window then offers them as its fields `Username` and `Password` and its control `Sign In`.
   */
  signIn?: { username: Locator; password: Locator; submit: Locator };
}

/** The map file's data: anything may be left out. */
export type UiMapFile = Partial<Omit<UiMap, 'window' | 'tenants' | 'controls' | 'fields' | 'options'>> & {
  window?: Partial<Omit<UiMap['window'], 'titles'>> & { titles?: Partial<UiMap['window']['titles']> };
  tenants?: Partial<UiMap['tenants']>;
  controls?: Partial<Named>;
  fields?: Partial<Named>;
  options?: Partial<Named>;
  info?: Partial<Texts>;
  error?: Partial<Texts>;
  authorizationUrl?: Partial<Texts>;
};

const TITLES: Record<WindowName, string> = {
  main: UI_NAMES.mainWindow,
  'private-access': UI_NAMES.privateAccessWindow,
  'add-tenant': UI_NAMES.addTenantWindow,
  authentication: UI_NAMES.authenticationWindowPrefix,
};

/** What a driver's defaults give: the locators and reads. */
type Defaults = Omit<UiMap, 'driver' | 'client' | 'start' | 'restart' | 'webdriverSession' | 'changes'>;

const xpath = (value: string): Locator => ({ using: 'xpath', value });

/** XPath 1.0 string literal of `text` (the contract's names hold no quote of both kinds). */
function literal(text: string): string {
  return text.includes("'") ? `"${text}"` : `'${text}'`;
}

/** An HTML element named `name` by aria-label, or by aria-labelledby pointing at a element showing it. */
function namedHtml(name: string): string {
  return `(@aria-label=${literal(name)} or @aria-labelledby=//*[normalize-space()=${literal(name)}]/@id)`;
}

const HTML_CONTROL =
  "(self::button or self::a[@href] or @role='button' or @role='link')" +
  " and not(@disabled) and not(@aria-disabled='true') and not(ancestor-or-self::*[@aria-hidden='true'])";

const HTML_ROWS = (list: string): Locator =>
  xpath(`.//*[self::ul or self::ol or @role='list'][${namedHtml(list)}]/*[self::li or @role='listitem']`);

/** The contract's roles and names in HTML, found through chromedriver (or any W3C browser driver). */
function webDefaults(): Defaults {
  return {
    window: {
      locator: { using: 'css selector', value: '[role="dialog"]' },
      title: 'label',
      busy: '@aria-busy',
      titles: TITLES,
    },
    controls: {
      locator: xpath(
        `.//*[${HTML_CONTROL}][not(ancestor::*[self::li or @role='listitem' or @role='radiogroup'])]` +
          `[not(normalize-space()=${literal(UI_NAMES.signInLink)})]`,
      ),
      name: 'label',
    },
    fields: {
      locator: xpath(
        ".//*[self::input[not(@type) or @type='text' or @type='email' or @type='search'] or self::textarea or @role='textbox'][not(@disabled)]",
      ),
      name: 'label',
    },
    options: {
      locator: xpath(
        `.//*[@role='radiogroup'][${namedHtml(UI_NAMES.partnerChoice)}]//*[self::input[@type='radio'] or @role='radio'][not(@disabled)]`,
      ),
      name: 'label',
    },
    tenants: {
      main: HTML_ROWS(UI_NAMES.organisationList),
      partner: HTML_ROWS(UI_NAMES.partnerList),
      name: 'label',
      zpa: { locator: xpath(".//*[@role='status']"), read: 'text' },
      controls: { locator: xpath(`.//*[${HTML_CONTROL}]`), name: 'label' },
      username: 'text',
    },
    info: { locator: xpath(".//*[@role='note']"), read: 'text' },
    error: { locator: xpath(".//*[@role='alert']"), read: 'text' },
    authorizationUrl: {
      locator: xpath(`.//a[normalize-space()=${literal(UI_NAMES.signInLink)}]`),
      read: '@href',
    },
  };
}

/** The contract's names as UI Automation Names, through Appium's Windows driver or WinAppDriver. */
function windowsDefaults(): Defaults {
  const rows = (list: string) => xpath(`.//List[@Name=${literal(list)}]/ListItem`);
  const control = "(self::Button or self::Hyperlink)[@IsEnabled='True']";
  return {
    window: { locator: xpath('//Window'), title: '@Name', titles: TITLES },
    controls: {
      locator: xpath(`.//*[${control}][not(ancestor::ListItem)][not(@Name=${literal(UI_NAMES.signInLink)})]`),
      name: '@Name',
    },
    fields: { locator: xpath(".//Edit[@IsEnabled='True']"), name: '@Name' },
    options: {
      locator: xpath(`.//*[@Name=${literal(UI_NAMES.partnerChoice)}]//RadioButton[@IsEnabled='True']`),
      name: '@Name',
    },
    tenants: {
      main: rows(UI_NAMES.organisationList),
      partner: rows(UI_NAMES.partnerList),
      name: '@Name',
      zpa: { locator: { using: 'name', value: UI_NAMES.serviceStatus }, read: '@Value.Value' },
      controls: { locator: xpath(`.//*[${control}]`), name: '@Name' },
      username: 'text',
    },
    info: { locator: xpath(".//*[@LocalizedControlType='note']"), read: '@Name' },
    error: { locator: xpath(".//*[@LocalizedControlType='alert']"), read: '@Name' },
    authorizationUrl: {
      locator: { using: 'name', value: UI_NAMES.signInLink },
      read: '@LegacyIAccessible.Value',
    },
  };
}

/** The contract's names as accessibility labels, through Appium's Mac2 driver (XCTest). */
function mac2Defaults(): Defaults {
  const predicate = (value: string): Locator => ({ using: '-ios predicate string', value });
  const rows = (list: string): Locator => ({
    using: '-ios class chain',
    value: `**/XCUIElementTypeOutline[\`label == ${JSON.stringify(list)}\`]/XCUIElementTypeOutlineRow`,
  });
  return {
    window: {
      locator: { using: 'class name', value: 'XCUIElementTypeWindow' },
      title: '@title',
      titles: TITLES,
    },
    controls: {
      locator: predicate(
        `elementType IN {9, 42} AND enabled == 1 AND label != ${JSON.stringify(UI_NAMES.signInLink)}`,
      ),
      name: '@label',
    },
    fields: { locator: predicate('elementType == 49 AND enabled == 1'), name: '@label' },
    options: { locator: predicate('elementType == 10 AND enabled == 1'), name: '@label' },
    tenants: {
      main: rows(UI_NAMES.organisationList),
      partner: rows(UI_NAMES.partnerList),
      name: '@label',
      zpa: { locator: predicate(`label == ${JSON.stringify(UI_NAMES.serviceStatus)}`), read: '@value' },
      controls: { locator: predicate('elementType == 9 AND enabled == 1'), name: '@label' },
      username: '@value',
    },
    info: { locator: { using: 'accessibility id', value: 'info' }, read: '@value' },
    error: { locator: { using: 'accessibility id', value: 'error' }, read: '@value' },
    authorizationUrl: { locator: predicate(`label == ${JSON.stringify(UI_NAMES.signInLink)}`), read: '@url' },
  };
}

const DEFAULTS: Record<MapDriver, () => Defaults> = {
  web: webDefaults,
  windows: windowsDefaults,
  mac2: mac2Defaults,
};

const validator = once(() =>
  new Ajv2020({ allErrors: false, verbose: true, strict: true }).compile<UiMapFile>(schema),
);

/** The map `data` describes, with its defaults; throws UiMapError naming `shown` and the first bad key. */
export function uiMap(data: unknown, shown: string): UiMap {
  const file = data ?? {};
  const validate = validator();
  if (!validate(file)) {
    const error = validate.errors?.[0];
    throw new UiMapError(
      `${shown}: ${error === undefined ? 'does not match the UI map schema' : describe(error)}`,
    );
  }
  const driver = file.driver ?? 'web';
  const base = DEFAULTS[driver]();
  const start = file.start ?? { app: driver === 'web' ? 'reference-web-ui' : 'capabilities' };
  if (start.app === 'url' && start.url === undefined)
    throw new UiMapError(`${shown}: start.url: missing (app: url)`);
  if ('authentication' in start && start.app !== 'reference-web-ui') {
    throw new UiMapError(
      `${shown}: start.authentication: only for app: reference-web-ui (the bundled client); another client shows its sign-in where it does`,
    );
  }
  const webdriverSession = file.webdriverSession ?? (start.app === 'reference-web-ui' ? 'kept' : 'new');
  if (webdriverSession === 'kept' && start.app === 'capabilities') {
    throw new UiMapError(
      `${shown}: webdriverSession: kept needs start.app reference-web-ui or url (the capabilities start the app, so each session is a new WebDriver session)`,
    );
  }
  const restart = file.restart ?? (start.app === 'capabilities' ? 'new-session' : 'navigate');
  if (webdriverSession === 'kept' && restart === 'new-session') {
    throw new UiMapError(
      `${shown}: restart: new-session ends the WebDriver session that webdriverSession: kept keeps (give webdriverSession: new)`,
    );
  }
  const { titles, ...window } = file.window ?? {};
  return {
    driver,
    client: file.client ?? {},
    start: start as UiMap['start'],
    restart,
    webdriverSession,
    changes: file.changes ?? 'page-source',
    ...(file.clearData === undefined ? {} : { clearData: file.clearData }),
    ...(file.log === undefined ? {} : { log: file.log }),
    window: { ...base.window, ...window, titles: { ...base.window.titles, ...titles } },
    controls: { ...base.controls, ...file.controls },
    fields: { ...base.fields, ...file.fields },
    options: { ...base.options, ...file.options },
    tenants: { ...base.tenants, ...file.tenants },
    info: { ...base.info, ...file.info },
    error: { ...base.error, ...file.error },
    authorizationUrl: { ...base.authorizationUrl, ...file.authorizationUrl },
    ...(file.signIn === undefined ? {} : { signIn: file.signIn }),
  };
}

/** Reads and checks the map file at `file`. */
export async function loadUiMap(file: string): Promise<UiMap> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UiMapError(
      `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  try {
    return uiMap(yamlData(text), file);
  } catch (error) {
    if (error instanceof YamlError) throw new UiMapError(`${file}: ${error.message}`);
    throw error;
  }
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as { properties?: Record<string, unknown>; description?: string };
  if (params.additionalProperty !== undefined) {
    const keys = Object.keys(parent.properties ?? {}).filter((key) => key !== '$schema');
    return `${propertyPath(error.instancePath, String(params.additionalProperty))}: unknown key (expected one of ${keys.join(', ')})`;
  }
  if (error.keyword === 'required')
    return `${propertyPath(error.instancePath, String(params.missingProperty))}: missing`;
  const path = propertyPath(error.instancePath) || '(the file)';
  const wanted = parent.description ?? error.message ?? error.keyword;
  return `${path}: expected ${wanted} (got ${JSON.stringify(error.data)})`;
}
