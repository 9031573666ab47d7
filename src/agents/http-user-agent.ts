/**
 * A browser stand-in with no browser: node's fetch with manual redirects, a small cookie jar, and a tiny
 * HTML reader that sees a page the way a person does (title, heading, labelled fields, buttons, links,
 * alerts). It only ever contacts loopback addresses.
 */
import {
  refusalInRedirect,
  refusalPage,
  type SignInPage,
  type SignInResult,
  type UserAgent,
} from './types.ts';

export interface HttpUserAgentOptions {
  /** Per request, including reading its body; 10000 when absent. */
  timeoutMs?: number;
}

/**
 * open() found no sign-in page: the identity provider sent the agent straight back to the client (an
 * existing session, or an authorization request it refused). The agent delivered that redirect.
 */
export class RedirectedToClientError extends Error {
  readonly url: string;
  readonly status: number;

  constructor(opened: string, url: string, status: number) {
    super(
      `open(${opened}): no sign-in page appeared; the identity provider redirected to ${url} ` +
        `(delivered, status ${status})`,
    );
    this.name = 'RedirectedToClientError';
    this.url = url;
    this.status = status;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export class HttpUserAgent implements UserAgent {
  readonly #timeoutMs: number;
  readonly #jar = new CookieJar();
  #current: { url: URL; document: ParsedDocument } | undefined;

  constructor(options: HttpUserAgentOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async open(url: string): Promise<SignInPage> {
    const target = parseUrl(url, `open(${url})`);
    this.#current = undefined;
    const landing = await this.#navigate({ method: 'GET', url: target }, target.origin, `open(${url})`);
    if (landing.kind === 'left') {
      throw (
        refusalInRedirect(url, landing.url) ??
        new RedirectedToClientError(url, landing.url.href, landing.status)
      );
    }
    const document = parseDocument(landing.html);
    if (landing.status < 200 || landing.status > 299) {
      const detail = document.alert ?? document.title;
      const refused = refusalPage(url, landing.url, landing.status, detail);
      if (refused) throw refused;
      throw new Error(
        `open(${url}): ${landing.url.href} answered ${landing.status}${detail ? `: ${detail}` : ''}`,
      );
    }
    this.#current = { url: landing.url, document };
    return toSignInPage(landing.url, document);
  }

  async signIn(credentials: { username: string; password: string }): Promise<SignInResult> {
    const current = this.#requirePage('signIn');
    const where = `signIn on ${current.url.href}`;
    const found = signInForm(current.document);
    if (!found) {
      const fields = fieldLabels(current.document);
      throw new Error(
        `${where}: no form with Username and Password fields (fields: ${fields.length ? fields.join(', ') : 'none'})`,
      );
    }
    const { form, username, password } = found;
    const submitters = form.controls.filter(isSubmitButton);
    const submitter =
      submitters.find((control) => normaliseLabel(control.text) === 'sign in') ?? submitters[0];

    const body = new URLSearchParams();
    for (const control of form.controls) {
      if (!control.name || control.disabled) continue;
      if (control === username) body.append(control.name, credentials.username);
      else if (control === password) body.append(control.name, credentials.password);
      else if (isSubmitButton(control) || control.type === 'button' || control.type === 'reset') {
        if (control === submitter) body.append(control.name, control.value);
      } else if (control.type === 'checkbox' || control.type === 'radio') {
        if (control.checked) body.append(control.name, control.value || 'on');
      } else if (control.type !== 'file') body.append(control.name, control.value);
    }

    const action = parseUrl(form.action ? resolve(form.action, current.url, where) : current.url.href, where);
    if (form.method === 'post') {
      return this.#follow(
        {
          method: 'POST',
          url: action,
          body: body.toString(),
          contentType: 'application/x-www-form-urlencoded',
        },
        current.url.origin,
        where,
      );
    }
    action.search = body.toString();
    return this.#follow({ method: 'GET', url: action }, current.url.origin, where);
  }

  async cancel(): Promise<SignInResult> {
    const current = this.#requirePage('cancel');
    const where = `cancel on ${current.url.href}`;
    const link = current.document.links.find((candidate) => normaliseLabel(candidate.text) === 'cancel');
    if (!link) {
      const controls = current.document.controls;
      throw new Error(
        `${where}: no Cancel link (controls: ${controls.length ? controls.join(', ') : 'none'})`,
      );
    }
    const target = parseUrl(resolve(link.href, current.url, where), where);
    return this.#follow({ method: 'GET', url: target }, current.url.origin, where);
  }

  async close(): Promise<void> {
    this.#current = undefined;
    this.#jar.clear();
  }

  #requirePage(action: string): { url: URL; document: ParsedDocument } {
    if (!this.#current) throw new Error(`${action}: no identity-provider page is open; call open(url) first`);
    return this.#current;
  }

  async #follow(request: HttpRequest, idpOrigin: string, where: string): Promise<SignInResult> {
    const landing = await this.#navigate(request, idpOrigin, where);
    if (landing.kind === 'left') {
      this.#current = undefined;
      return { kind: 'redirected', url: landing.url.href, status: landing.status };
    }
    const document = parseDocument(landing.html);
    this.#current = { url: landing.url, document };
    return { kind: 'page', page: toSignInPage(landing.url, document) };
  }

  /**
   * Sends the request and follows redirects. A redirect that leaves the identity provider's origin goes
   * to the client's redirect URI: the agent delivers it with one GET, as a browser would, and stops.
   */
  async #navigate(first: HttpRequest, idpOrigin: string, where: string): Promise<Landing> {
    let request = first;
    for (let hop = 0; ; hop++) {
      assertLoopback(request.url, hop === 0 ? where : `${where}: redirect`);
      const response = await this.#send(request);
      this.#jar.store(request.url, response.headers.getSetCookie());

      if (hop > 0 && request.url.origin !== idpOrigin) {
        await discard(response);
        return { kind: 'left', url: request.url, status: response.status };
      }

      if (REDIRECT_STATUSES.has(response.status)) {
        await discard(response);
        const location = response.headers.get('location');
        if (!location) {
          throw new Error(
            `${where}: ${request.url.href} answered ${response.status} with no Location header`,
          );
        }
        if (hop === MAX_REDIRECTS) throw new Error(`${where}: more than ${MAX_REDIRECTS} redirects`);
        const next = parseUrl(resolve(location, request.url, where), `${where}: redirect`);
        // 307 and 308 repeat the request; the others become a GET, as browsers do.
        const keepsMethod = response.status === 307 || response.status === 308;
        request = keepsMethod ? { ...request, url: next } : { method: 'GET', url: next };
        continue;
      }

      const type = response.headers.get('content-type') ?? '';
      if (!/^\s*(text\/html|application\/xhtml\+xml)\b/i.test(type)) {
        await discard(response);
        throw new Error(
          `${where}: ${request.method} ${request.url.href} answered ${response.status} with ` +
            `${type ? `content type ${type}` : 'no content type'}, not an HTML page`,
        );
      }
      const html = await this.#read(response, request);
      return { kind: 'page', url: request.url, status: response.status, html };
    }
  }

  async #send(request: HttpRequest): Promise<Response> {
    const headers: Record<string, string> = {
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
      'user-agent': 'connector-conformance-http-user-agent',
    };
    const cookie = this.#jar.header(request.url);
    if (cookie) headers.cookie = cookie;
    if (request.contentType) headers['content-type'] = request.contentType;
    try {
      return await fetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw this.#networkError(request, error);
    }
  }

  async #read(response: Response, request: HttpRequest): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw this.#networkError(request, error);
    }
  }

  #networkError(request: HttpRequest, error: unknown): Error {
    const what = `${request.method} ${request.url.href}`;
    if (error instanceof Error && error.name === 'TimeoutError') {
      return new Error(`${what} timed out after ${this.#timeoutMs} ms`, { cause: error });
    }
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    return new Error(`${what} failed: ${cause}`, { cause: error });
  }
}

interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  body?: string;
  contentType?: string;
}

type Landing =
  | { kind: 'page'; url: URL; status: number; html: string }
  | { kind: 'left'; url: URL; status: number };

function parseUrl(value: string, where: string): URL {
  const url = URL.parse(value);
  if (!url) throw new Error(`${where}: not a URL: ${value}`);
  return url;
}

function resolve(reference: string, base: URL, where: string): string {
  const url = URL.parse(reference, base.href);
  if (!url) throw new Error(`${where}: cannot resolve ${reference} against ${base.href}`);
  return url.href;
}

function assertLoopback(url: URL, where: string): void {
  if ((url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname)) return;
  throw new Error(
    `${where}: refusing to contact ${url.href}; the agent only contacts http(s) on 127.0.0.1, localhost or [::1]`,
  );
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function toSignInPage(url: URL, document: ParsedDocument): SignInPage {
  const page: SignInPage = {
    url: url.href,
    origin: url.origin,
    title: document.title,
    organisation: document.organisation,
    fields: fieldLabels(document),
    controls: [...document.controls],
  };
  if (document.alert) page.error = document.alert;
  return page;
}

// --- Cookies ---------------------------------------------------------------------------------------

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/** Cookies per origin, matched by path prefix; Max-Age=0 or an Expires in the past deletes. */
class CookieJar {
  readonly #byOrigin = new Map<string, Map<string, Cookie>>();

  store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const cookie: Cookie = {
        name: pair.slice(0, equals).trim(),
        value: pair.slice(equals + 1).trim(),
        path: defaultPath(url),
      };
      let expired = false;
      let maxAgeSeen = false;
      for (const attribute of attributes) {
        const at = attribute.indexOf('=');
        const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
        const value = at === -1 ? '' : attribute.slice(at + 1).trim();
        if (key === 'path' && value.startsWith('/')) cookie.path = value;
        else if (key === 'max-age' && /^-?\d+$/.test(value)) {
          maxAgeSeen = true;
          expired = Number(value) <= 0;
        } else if (key === 'expires' && !maxAgeSeen) {
          const time = Date.parse(value);
          expired = !Number.isNaN(time) && time <= Date.now();
        }
      }
      let cookies = this.#byOrigin.get(url.origin);
      if (!cookies) {
        cookies = new Map();
        this.#byOrigin.set(url.origin, cookies);
      }
      const key = `${cookie.name}\u0000${cookie.path}`;
      if (expired) cookies.delete(key);
      else cookies.set(key, cookie);
    }
  }

  header(url: URL): string | undefined {
    const cookies = this.#byOrigin.get(url.origin);
    if (!cookies) return undefined;
    const matching = [...cookies.values()]
      .filter((cookie) => pathMatches(url.pathname, cookie.path))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length
      ? matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
      : undefined;
  }

  clear(): void {
    this.#byOrigin.clear();
  }
}

function defaultPath(url: URL): string {
  const last = url.pathname.lastIndexOf('/');
  return last <= 0 ? '/' : url.pathname.slice(0, last);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

// --- HTML ------------------------------------------------------------------------------------------

interface FormControl {
  tag: 'input' | 'textarea' | 'button';
  type: string;
  name: string | undefined;
  id: string | undefined;
  value: string;
  checked: boolean;
  disabled: boolean;
  /** A button's text, or a submit input's value. */
  text: string;
}

interface ParsedForm {
  action: string | undefined;
  method: 'get' | 'post';
  controls: FormControl[];
}

interface ParsedLabel {
  text: string;
  forId: string | undefined;
  nested: FormControl | undefined;
}

interface ParsedDocument {
  title: string;
  organisation: string;
  forms: ParsedForm[];
  /** Controls of every form, and those outside forms, by id. */
  byId: Map<string, FormControl>;
  labels: ParsedLabel[];
  links: { text: string; href: string }[];
  /** Button and link texts in document order. */
  controls: string[];
  alert: string | undefined;
}

type Token =
  | { kind: 'start'; name: string; attributes: Map<string, string>; selfClosing: boolean }
  | { kind: 'end'; name: string }
  | { kind: 'text'; text: string };

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'title', 'textarea']);
const START_TAG = /<([A-Za-z][^\s/>]*)/y;
const ATTRIBUTE = /[\s/]*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/y;
const TAG_CLOSE = /\s*(\/?)>/y;
const END_TAG = /<\/([A-Za-z][^\s/>]*)[^>]*>/y;

function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const text = (value: string) => {
    if (value) tokens.push({ kind: 'text', text: decodeEntities(value) });
  };
  while (index < html.length) {
    const open = html.indexOf('<', index);
    if (open === -1) {
      text(html.slice(index));
      break;
    }
    text(html.slice(index, open));
    index = open;
    if (html.startsWith('<!--', index)) {
      const end = html.indexOf('-->', index + 4);
      index = end === -1 ? html.length : end + 3;
      continue;
    }
    if (html[index + 1] === '!' || html[index + 1] === '?') {
      const end = html.indexOf('>', index);
      index = end === -1 ? html.length : end + 1;
      continue;
    }
    END_TAG.lastIndex = index;
    const end = END_TAG.exec(html);
    if (end) {
      tokens.push({ kind: 'end', name: end[1]!.toLowerCase() });
      index = END_TAG.lastIndex;
      continue;
    }
    START_TAG.lastIndex = index;
    const start = START_TAG.exec(html);
    if (!start) {
      text('<');
      index += 1;
      continue;
    }
    const name = start[1]!.toLowerCase();
    const attributes = new Map<string, string>();
    index = START_TAG.lastIndex;
    let selfClosing = false;
    for (;;) {
      TAG_CLOSE.lastIndex = index;
      const close = TAG_CLOSE.exec(html);
      if (close) {
        selfClosing = close[1] === '/';
        index = TAG_CLOSE.lastIndex;
        break;
      }
      ATTRIBUTE.lastIndex = index;
      const attribute = ATTRIBUTE.exec(html);
      if (!attribute) {
        index = html.length;
        break;
      }
      const key = attribute[1]!.toLowerCase();
      if (!attributes.has(key)) {
        attributes.set(key, decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? ''));
      }
      index = ATTRIBUTE.lastIndex;
    }
    tokens.push({ kind: 'start', name, attributes, selfClosing });
    if (RAW_TEXT_ELEMENTS.has(name) && !selfClosing) {
      const closing = new RegExp(`</${name}\\s*>`, 'ig');
      closing.lastIndex = index;
      const found = closing.exec(html);
      const contentEnd = found ? found.index : html.length;
      if (name === 'title' || name === 'textarea') text(html.slice(index, contentEnd));
      tokens.push({ kind: 'end', name });
      index = found ? closing.lastIndex : html.length;
    }
  }
  return tokens;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

function decodeEntities(value: string): string {
  return value.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

function collapse(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** "Username", "username:" and "Username *" all name the same field. */
function normaliseLabel(value: string): string {
  return collapse(value)
    .replace(/[\s:*]+$/, '')
    .toLowerCase();
}

interface Capture {
  depth: number;
  parts: string[];
  done(text: string): void;
}

function parseDocument(html: string): ParsedDocument {
  const document: ParsedDocument = {
    title: '',
    organisation: '',
    forms: [],
    byId: new Map(),
    labels: [],
    links: [],
    controls: [],
    alert: undefined,
  };
  let titleSeen = false;
  let organisationFromAttribute = false;
  let headingSeen = false;
  const stack: string[] = [];
  let captures: Capture[] = [];
  let form: ParsedForm | undefined;
  let label: ParsedLabel | undefined;

  const capture = (done: (text: string) => void) => captures.push({ depth: stack.length, parts: [], done });
  const popTo = (length: number) => {
    stack.length = length;
    const closing = captures.filter((open) => open.depth > length);
    captures = captures.filter((open) => open.depth <= length);
    for (const open of closing.reverse()) open.done(collapse(open.parts.join('')));
  };
  const addControl = (control: FormControl) => {
    form?.controls.push(control);
    if (control.id && !document.byId.has(control.id)) document.byId.set(control.id, control);
    if (label && !label.nested) label.nested = control;
  };

  for (const token of tokenize(html)) {
    if (token.kind === 'text') {
      for (const open of captures) open.parts.push(token.text);
      continue;
    }
    if (token.kind === 'end') {
      const at = stack.lastIndexOf(token.name);
      if (at !== -1) popTo(at);
      continue;
    }

    const { name, attributes } = token;
    const attribute = (key: string) => attributes.get(key);
    if (name === 'input') {
      const type = (attribute('type') ?? 'text').toLowerCase();
      const value = attribute('value') ?? '';
      const isSubmit = type === 'submit' || type === 'image';
      const control: FormControl = {
        tag: 'input',
        type,
        name: attribute('name'),
        id: attribute('id'),
        value,
        checked: attributes.has('checked'),
        disabled: attributes.has('disabled'),
        text: isSubmit ? value || 'Submit' : '',
      };
      addControl(control);
      if (isSubmit) document.controls.push(control.text);
    }
    if (VOID_ELEMENTS.has(name) || token.selfClosing) continue;

    stack.push(name);
    if (name === 'title' && !titleSeen) {
      titleSeen = true;
      capture((text) => {
        document.title = text;
      });
    }
    if (attributes.has('data-organisation') && !organisationFromAttribute) {
      organisationFromAttribute = true;
      capture((text) => {
        document.organisation = text;
      });
    } else if (name === 'h1' && !headingSeen && !organisationFromAttribute) {
      headingSeen = true;
      capture((text) => {
        if (!organisationFromAttribute) document.organisation = text;
      });
    }
    if (attribute('role') === 'alert') {
      capture((text) => {
        if (text && document.alert === undefined) document.alert = text;
      });
    }
    if (name === 'form') {
      const opened: ParsedForm = {
        action: attribute('action'),
        method: attribute('method')?.toLowerCase() === 'post' ? 'post' : 'get',
        controls: [],
      };
      form = opened;
      document.forms.push(opened);
      capture(() => {
        if (form === opened) form = undefined;
      });
    } else if (name === 'label') {
      const opened: ParsedLabel = { text: '', forId: attribute('for'), nested: undefined };
      label = opened;
      capture((text) => {
        opened.text = text;
        document.labels.push(opened);
        if (label === opened) label = undefined;
      });
    } else if (name === 'a' && attributes.has('href')) {
      const href = attribute('href') ?? '';
      capture((text) => {
        document.links.push({ text, href });
        document.controls.push(text);
      });
    } else if (name === 'button' || name === 'textarea') {
      const control: FormControl = {
        tag: name,
        type: name === 'button' ? (attribute('type') ?? 'submit').toLowerCase() : 'textarea',
        name: attribute('name'),
        id: attribute('id'),
        value: attribute('value') ?? '',
        checked: false,
        disabled: attributes.has('disabled'),
        text: '',
      };
      addControl(control);
      capture((text) => {
        if (control.tag === 'textarea') control.value = text;
        else {
          control.text = text;
          if (isSubmitButton(control)) document.controls.push(text);
        }
      });
    }
  }
  popTo(0);
  return document;
}

function isSubmitButton(control: FormControl): boolean {
  return (
    (control.tag === 'button' || control.tag === 'input') &&
    (control.type === 'submit' || control.type === 'image')
  );
}

const NOT_FIELDS = new Set(['hidden', 'checkbox', 'radio', 'submit', 'image', 'button', 'reset']);

function labelTarget(document: ParsedDocument, label: ParsedLabel): FormControl | undefined {
  return label.nested ?? (label.forId === undefined ? undefined : document.byId.get(label.forId));
}

/** Labels of the inputs a person types into (not check boxes, radio buttons or buttons). */
function fieldLabels(document: ParsedDocument): string[] {
  return document.labels
    .filter((label) => {
      const target = labelTarget(document, label);
      return target !== undefined && target.tag !== 'button' && !NOT_FIELDS.has(target.type);
    })
    .map((label) => label.text);
}

function signInForm(
  document: ParsedDocument,
): { form: ParsedForm; username: FormControl; password: FormControl } | undefined {
  for (const form of document.forms) {
    const username = labelledControl(document, form, 'username');
    const password = labelledControl(document, form, 'password');
    if (username && password) return { form, username, password };
  }
  return undefined;
}

function labelledControl(
  document: ParsedDocument,
  form: ParsedForm,
  wanted: string,
): FormControl | undefined {
  for (const label of document.labels) {
    if (normaliseLabel(label.text) !== wanted) continue;
    const target = labelTarget(document, label);
    if (target && form.controls.includes(target) && !NOT_FIELDS.has(target.type)) return target;
  }
  return undefined;
}
