/**
 * The reference client's page: one HTML document with inline CSS and inline JavaScript (no external
 * assets, no build step). It shows the client's open window as one `dialog` in the Windows or macOS
 * personality of Zscaler Client Connector; page-script.js renders the windows and posts actions.
 */
import { readFileSync } from 'node:fs';
import type { ClientView } from '../../src/drivers/types.ts';
import type { Platform } from '../../src/fixtures/types.ts';

export interface ClientUiPageOptions {
  platform: Platform;
  clientVersion: string;
  /** The window to show at once, with its number, so the page needs no round trip to show it. */
  initial?: { serial: number; view: ClientView };
}

const PLATFORM_NAMES: Record<Platform, string> = { windows: 'Windows', macos: 'macOS' };

const SCRIPT = readFileSync(new URL('./page-script.js', import.meta.url), 'utf8');
if (/<\/script/i.test(SCRIPT)) throw new Error('page-script.js must not contain "</script"');

const CSS = `
*, *::before, *::after { box-sizing: border-box; }
* { animation: none !important; transition: none !important; }
html, body { margin: 0; padding: 0; }
body {
  min-height: 100vh; background: #dfe5ec; color: #1f2933; font-size: 13px; line-height: 1.4;
  display: flex; flex-direction: column; align-items: center; justify-content: flex-start;
  padding: 28px 16px 12px;
}
.platform-windows { font-family: "Segoe UI", "Segoe UI Variable Text", Tahoma, Arial, sans-serif; }
.platform-macos {
  font-family: -apple-system, BlinkMacSystemFont, "SF Pro Text", "Helvetica Neue", Helvetica, Arial, sans-serif;
}
#app { display: flex; align-items: flex-start; justify-content: center; width: 100%; min-height: 560px; }
.build { margin-top: 14px; font-size: 11px; color: #52606d; letter-spacing: 0.02em; }
.offline .window { opacity: 0.6; }

/* ---- the window ---- */
.window {
  width: 420px; height: 560px; display: flex; flex-direction: column; overflow: hidden;
  background: #f4f6f8; border: 1px solid #7b8794; box-shadow: 0 10px 28px rgba(15, 30, 50, 0.28);
}
.window--add-tenant, .window--authentication { width: 380px; height: auto; min-height: 0; margin-top: 90px; }
.window__body { flex: 1; display: flex; flex-direction: column; gap: 12px; padding: 14px 16px 16px; overflow: auto; }
.window--main .window__body { flex-direction: row; gap: 0; padding: 0; }
.window--add-tenant .window__body, .window--authentication .window__body { background: #fff; padding: 16px 18px 18px; }

.titlebar {
  flex: none; height: 32px; display: flex; align-items: center; gap: 8px; padding: 0 0 0 12px;
  background: #fff; border-bottom: 1px solid #d9dee4; user-select: none;
}
.titlebar__title { font-size: 12px; color: #1f2933; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.platform-windows .titlebar { flex-direction: row-reverse; justify-content: space-between; }
.glyphs { display: flex; height: 100%; }
.glyph { position: relative; display: block; width: 44px; height: 100%; }
.glyph--minimize::before {
  content: ""; position: absolute; left: 17px; top: 15px; width: 10px; height: 1px; background: #1f2933;
}
.glyph--close::before, .glyph--close::after {
  content: ""; position: absolute; left: 16px; top: 15px; width: 12px; height: 1px; background: #1f2933;
}
.glyph--close::before { transform: rotate(45deg); }
.glyph--close::after { transform: rotate(-45deg); }

.platform-macos .window { border-radius: 10px; border-color: #a9b1ba; }
.platform-macos .titlebar {
  position: relative; height: 28px; justify-content: center; padding: 0;
  background: linear-gradient(#eceef0, #dfe2e6); border-bottom-color: #c4c9cf;
}
.platform-macos .titlebar__title { font-weight: 600; color: #3e4c59; }
.lights { position: absolute; left: 10px; top: 8px; display: flex; gap: 8px; }
.light { display: block; width: 12px; height: 12px; border-radius: 50%; border: 0.5px solid rgba(0, 0, 0, 0.18); }
.light--close { background: #ff5f57; }
.light--minimize { background: #febc2e; }
.light--zoom { background: #28c840; }

/* ---- the Zscaler header band ---- */
.brand {
  flex: none; height: 56px; display: flex; align-items: center; gap: 10px; padding: 0 16px;
  background: linear-gradient(90deg, #0a6ebd, #1488d8); color: #fff;
}
.brand__logo { width: 34px; height: 34px; color: #fff; }
.brand__text { display: flex; flex-direction: column; line-height: 1.15; }
.brand__name { font-size: 16px; font-weight: 700; letter-spacing: 0.01em; }
.brand__product { font-size: 12px; opacity: 0.92; }
.icon { display: inline-flex; flex: none; }
.icon svg { width: 100%; height: 100%; }

/* ---- main window: navigation and pane ---- */
.nav {
  width: 150px; flex: none; display: flex; flex-direction: column; padding: 10px 0;
  background: #fff; border-right: 1px solid #d9dee4;
}
.nav__item {
  display: flex; align-items: center; gap: 10px; width: 100%; padding: 11px 14px; border: 0;
  border-left: 3px solid transparent; background: none; color: #1f2933; font: inherit; font-size: 13px;
  text-align: left; cursor: pointer;
}
.nav__item:hover, .nav__item:focus-visible { background: #e8f2fb; border-left-color: #0a6ebd; outline: none; }
.nav__icon { width: 20px; height: 20px; color: #0a6ebd; }
.pane {
  flex: 1; display: flex; flex-direction: column; align-items: center; gap: 8px; padding: 48px 20px 20px;
  text-align: center;
}
.pane__logo { width: 64px; height: 64px; padding: 10px; border-radius: 14px; background: #0a6ebd; color: #fff; }
.pane__title { margin: 6px 0 0; font-size: 15px; font-weight: 600; }
.pane__text { margin: 0; color: #52606d; }

/* ---- Private Access: tenant cards ---- */
.section-title {
  margin: 0 0 6px; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.06em;
  color: #52606d;
}
.tenants__list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.tenant { background: #fff; border: 1px solid #d3d9e0; border-left: 4px solid #9aa5b1; padding: 10px 12px; }
.tenant--on { border-left-color: #2e9e4f; }
.platform-macos .tenant { border-radius: 8px; }
.tenant__head { display: flex; align-items: center; gap: 8px; }
.tenant__icon { width: 20px; height: 20px; color: #0a6ebd; }
.tenant__name { flex: 1; font-size: 14px; font-weight: 600; }
.tenant__details { margin: 6px 0 0 28px; display: flex; flex-direction: column; gap: 2px; color: #3e4c59; }
.tenant__row { display: flex; align-items: center; gap: 6px; }
.tenant__user { color: #52606d; }
.pill { display: inline-block; min-width: 34px; padding: 0 6px; font-size: 11px; font-weight: 700; text-align: center; }
.pill--on { background: #e3f4e8; color: #1d7a3a; border: 1px solid #9fd5b0; }
.pill--off { background: #eef0f2; color: #616e7c; border: 1px solid #c5cbd3; }
.platform-macos .pill { border-radius: 9px; }

/* ---- information, errors, forms ---- */
.notes { display: flex; flex-direction: column; gap: 8px; }
.note {
  display: flex; gap: 10px; align-items: flex-start; padding: 10px 12px; background: #eaf3fb;
  border: 1px solid #b6d4ee; color: #243b53;
}
.note .icon { width: 18px; height: 18px; color: #0a6ebd; margin-top: 1px; }
.note p, .alert p { margin: 0; }
.alert { padding: 9px 12px; background: #fdecec; border: 1px solid #f0b4b4; border-left: 4px solid #d64545; color: #8a1c1c; }
.platform-macos .note, .platform-macos .alert { border-radius: 6px; }
.intro { margin: 0; color: #3e4c59; }
.fields { display: flex; flex-direction: column; gap: 10px; margin: 0; }
.field { display: flex; flex-direction: column; gap: 4px; }
.field__label { font-size: 12px; font-weight: 600; color: #3e4c59; }
.field__input {
  height: 30px; padding: 0 8px; font: inherit; font-size: 13px; color: #1f2933; background: #fff;
  border: 1px solid #9aa5b1;
}
.field__input:focus { outline: 2px solid #0a6ebd; outline-offset: -1px; border-color: #0a6ebd; }
.platform-macos .field__input { border-radius: 5px; }
.choice { display: flex; flex-direction: column; gap: 6px; }
.choice__options { display: flex; flex-direction: column; border: 1px solid #d3d9e0; }
.platform-macos .choice__options { border-radius: 6px; overflow: hidden; }
.radio { display: flex; align-items: center; gap: 8px; padding: 8px 10px; cursor: pointer; }
.radio + .radio { border-top: 1px solid #e4e7eb; }
.radio:has(input:checked) { background: #e8f2fb; }
.radio input { margin: 0; accent-color: #0a6ebd; }

.actions { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin-top: auto; }
.window--add-tenant .actions, .window--authentication .actions { margin-top: 6px; }
.actions__buttons { display: flex; gap: 8px; margin-left: auto; }
.link { color: #0a6ebd; font-weight: 600; text-decoration: none; }
.link:hover, .link:focus-visible { text-decoration: underline; }

.button {
  min-width: 84px; height: 30px; padding: 0 14px; font: inherit; font-size: 13px; cursor: pointer;
  border: 1px solid transparent; border-radius: 2px;
}
.button--small { min-width: 72px; height: 26px; font-size: 12px; }
.button--primary { background: #0a6ebd; border-color: #0a6ebd; color: #fff; }
.button--primary:hover { background: #085a9c; }
.button--secondary { background: #fff; border-color: #9aa5b1; color: #1f2933; }
.button--secondary:hover { background: #eef2f6; }
.button:focus-visible { outline: 2px solid #1f2933; outline-offset: 1px; }
.platform-macos .button { border-radius: 6px; height: 26px; min-width: 76px; }
.platform-macos .button--small { height: 22px; min-width: 66px; }
.platform-macos .button--primary { background: #0a7aff; border-color: #0a6fe8; }
.platform-macos .button--secondary { box-shadow: 0 0.5px 1px rgba(0, 0, 0, 0.15); border-color: #c4c9cf; }

/* ---- authentication window ---- */
.signin { display: flex; flex-direction: column; align-items: center; gap: 6px; text-align: center; padding-top: 6px; }
.spinner {
  width: 28px; height: 28px; border-radius: 50%; border: 3px solid #cfe3f5; border-top-color: #0a6ebd;
}
.signin__text { margin: 6px 0 0; font-weight: 600; }
.signin__hint { margin: 0; color: #52606d; }
.signin__link { margin: 0; text-align: center; }
`;

/** The page for a client on `platform`, version `clientVersion`. */
export function clientUiPage(options: ClientUiPageOptions): string {
  if (!Object.hasOwn(PLATFORM_NAMES, options.platform)) {
    throw new Error(`unknown platform "${String(options.platform)}" (expected windows or macos)`);
  }
  const build = `${PLATFORM_NAMES[options.platform]} · ${options.clientVersion}`;
  return `<!doctype html>
<html lang="en" data-platform="${options.platform}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Zscaler Client Connector</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body class="platform-${options.platform}">
<div id="app"></div>
<footer class="build">${escapeHtml(build)}</footer>${initialView(options.initial)}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** A JSON data block (never executed) that page-script.js reads before it connects. */
function initialView(initial: ClientUiPageOptions['initial']): string {
  if (initial === undefined) return '';
  // "<" escaped: the JSON cannot close the script element whatever the view says.
  const json = JSON.stringify(initial.view).replace(/</g, '\\u003c');
  return `\n<script type="application/json" id="initial-view" data-serial="${initial.serial}">${json}</script>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
