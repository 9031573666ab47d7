/**
 * An HTML page read the way a person sees it: its title, the organisation it names, its labelled
 * fields, buttons, links and alert, and its forms with their controls. parse5 parses the page
 * as a browser does (HTML's own parsing rules, entities, implied and misnested tags).
 */
import { type DefaultTreeAdapterTypes, html, parse, defaultTreeAdapter as tree } from 'parse5';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

export interface FormControl {
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

export interface PageForm {
  action: string | undefined;
  method: 'get' | 'post';
  /** Its controls in document order, hidden inputs included. */
  controls: FormControl[];
}

export interface PageLabel {
  text: string;
  /** The control it names: the one inside it, else the one its `for` names. */
  control: FormControl | undefined;
}

export interface HtmlPage {
  title: string;
  /** The text of the element marked data-organisation, else of the first h1. */
  organisation: string;
  forms: PageForm[];
  labels: PageLabel[];
  links: { text: string; href: string }[];
  /** Submit button and link texts in document order. */
  controls: string[];
  /** The first non-empty role="alert" text. */
  alert: string | undefined;
}

export function readPage(source: string): HtmlPage {
  const all = [...elements(parse(source))];
  const controlOf = new Map<Element, FormControl>();
  for (const element of all) {
    const control = toControl(element);
    if (control) controlOf.set(element, control);
  }
  const byId = new Map<string, FormControl>();
  for (const control of controlOf.values()) {
    if (control.id !== undefined && !byId.has(control.id)) byId.set(control.id, control);
  }
  const firstControlIn = (element: Element) =>
    [...elements(element)].map((inner) => controlOf.get(inner)).find((control) => control !== undefined);
  const controlsIn = (element: Element) =>
    [...elements(element)].flatMap((inner) => controlOf.get(inner) ?? []);

  const first = (test: (element: Element) => boolean) => all.find(test);
  const titleElement = first((element) => isHtml(element, 'title'));
  const named =
    first((element) => attribute(element, 'data-organisation') !== undefined) ??
    first((element) => isHtml(element, 'h1'));
  const alert = all
    .filter((element) => attribute(element, 'role') === 'alert')
    .map(textOf)
    .find((text) => text !== '');

  const page: HtmlPage = {
    title: titleElement ? textOf(titleElement) : '',
    organisation: named ? textOf(named) : '',
    forms: [],
    labels: [],
    links: [],
    controls: [],
    alert,
  };
  for (const element of all) {
    const control = controlOf.get(element);
    if (control && isSubmitButton(control)) page.controls.push(control.text);
    if (isHtml(element, 'form')) {
      page.forms.push({
        action: attribute(element, 'action'),
        method: attribute(element, 'method')?.toLowerCase() === 'post' ? 'post' : 'get',
        controls: controlsIn(element),
      });
    } else if (isHtml(element, 'label')) {
      const forId = attribute(element, 'for');
      page.labels.push({
        text: textOf(element),
        control: firstControlIn(element) ?? (forId === undefined ? undefined : byId.get(forId)),
      });
    } else if (isHtml(element, 'a')) {
      const href = attribute(element, 'href');
      if (href === undefined) continue;
      const text = textOf(element);
      page.links.push({ text, href });
      page.controls.push(text);
    }
  }
  return page;
}

export function isSubmitButton(control: FormControl): boolean {
  return control.type === 'submit' || control.type === 'image';
}

/** "Username", "username:" and "Username *" all name the same field. */
export function normaliseLabel(value: string): string {
  return collapse(value)
    .replace(/[\s:*]+$/, '')
    .toLowerCase();
}

const NOT_FIELDS = new Set(['hidden', 'checkbox', 'radio', 'submit', 'image', 'button', 'reset']);

function isField(control: FormControl | undefined): control is FormControl {
  return control !== undefined && control.tag !== 'button' && !NOT_FIELDS.has(control.type);
}

/** Labels of the inputs a person types into (not check boxes, radio buttons or buttons). */
export function fieldLabels(page: HtmlPage): string[] {
  return page.labels.filter((label) => isField(label.control)).map((label) => label.text);
}

/** The first form with fields labelled Username and Password. */
export function signInForm(
  page: HtmlPage,
): { form: PageForm; username: FormControl; password: FormControl } | undefined {
  for (const form of page.forms) {
    const labelled = (wanted: string) =>
      page.labels.find(
        (label) =>
          normaliseLabel(label.text) === wanted &&
          isField(label.control) &&
          form.controls.includes(label.control),
      )?.control;
    const username = labelled('username');
    const password = labelled('password');
    if (username && password) return { form, username, password };
  }
  return undefined;
}

function toControl(element: Element): FormControl | undefined {
  const common = {
    name: attribute(element, 'name'),
    id: attribute(element, 'id'),
    disabled: attribute(element, 'disabled') !== undefined,
  };
  if (isHtml(element, 'input')) {
    const type = (attribute(element, 'type') ?? 'text').toLowerCase();
    const value = attribute(element, 'value') ?? '';
    const submits = type === 'submit' || type === 'image';
    return {
      ...common,
      tag: 'input',
      type,
      value,
      checked: attribute(element, 'checked') !== undefined,
      text: submits ? value || 'Submit' : '',
    };
  }
  if (isHtml(element, 'button')) {
    return {
      ...common,
      tag: 'button',
      type: (attribute(element, 'type') ?? 'submit').toLowerCase(),
      value: attribute(element, 'value') ?? '',
      checked: false,
      text: textOf(element),
    };
  }
  if (isHtml(element, 'textarea')) {
    // Its value is its text as written (the parser drops one leading newline), not collapsed.
    return {
      ...common,
      tag: 'textarea',
      type: 'textarea',
      value: rawText(element),
      checked: false,
      text: '',
    };
  }
  return undefined;
}

/** Every element below `node`, in document order (a template's content is not part of the page). */
function* elements(node: ParentNode): Generator<Element> {
  for (const child of tree.getChildNodes(node)) {
    if (!tree.isElementNode(child)) continue;
    yield child;
    yield* elements(child);
  }
}

function isHtml(element: Element, tag: string): boolean {
  return tree.getTagName(element) === tag && tree.getNamespaceURI(element) === html.NS.HTML;
}

function attribute(element: Element, name: string): string | undefined {
  return tree.getAttrList(element).find((attr) => attr.name === name && attr.namespace === undefined)?.value;
}

const NOT_TEXT = new Set(['script', 'style', 'template']);

function rawText(node: ParentNode): string {
  let text = '';
  for (const child of tree.getChildNodes(node)) {
    if (tree.isTextNode(child)) text += tree.getTextNodeContent(child);
    else if (tree.isElementNode(child) && !NOT_TEXT.has(tree.getTagName(child))) text += rawText(child);
  }
  return text;
}

/** The element's text as shown: script and style left out, white space collapsed. */
function textOf(element: Element): string {
  return collapse(rawText(element));
}

function collapse(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
