// The reference client's page: renders the client's open window (a ClientView pushed over
// Server-Sent Events) with the roles and accessible names of docs/ui-contract.md, and posts the
// person's actions to /actions, one at a time and in order. Plain browser JavaScript, inlined into
// the page by page.ts: no build step, no framework.
(() => {
  const platform = document.documentElement.dataset.platform === 'macos' ? 'macos' : 'windows';
  const app = document.getElementById('app');
  const PRIMARY_LAST = platform === 'macos';
  const LINK_CONTROLS = ['Add Partner Tenant'];
  const SECONDARY_CONTROLS = ['Cancel', 'Close'];
  const NAV_ORDER = ['Internet Security', 'Private Access'];
  const SIGN_IN_WINDOW = 'zcc-sign-in';
  const SIGN_IN_FEATURES = 'popup,width=520,height=680';

  /** The window on screen: its identity and its body element. */
  let shown = null;
  /** The newest view received and its number (the server numbers views in the order they came). */
  let latest = null;
  let latestSerial = -1;
  /** Authorization URLs already opened in a sign-in window. */
  const opened = new Set();
  /** Actions go out one at a time, in the order the person made them. */
  let queue = Promise.resolve();
  /** Actions sent or waiting to be: while there are any, the window is aria-busy. */
  let pending = 0;
  /** Counter for element ids. */
  let nextId = 0;

  /** Whether `view` offers `action`: a control clicked just as the window changed may be gone. */
  function offers(view, action) {
    if (view === null) return false;
    switch (action.type) {
      case 'click': {
        if (action.tenant === undefined) return view.controls.includes(action.control);
        const tenant = view.tenants.find((candidate) => candidate.name === action.tenant);
        return tenant?.controls.includes(action.control) === true;
      }
      case 'fill':
        return view.fields.includes(action.field);
      case 'select':
        return view.options.includes(action.option);
      default:
        return false;
    }
  }

  /**
   * Queues `action` after those before it. It is sent only if the view that followed the previous
   * action still offers it (the client would refuse it with 409 otherwise: nothing would change).
   */
  function post(action) {
    pending += 1;
    markBusy();
    queue = queue.then(async () => {
      if (!offers(latest, action)) return;
      try {
        await fetch('/actions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(action),
        });
        const response = await fetch('/view', { cache: 'no-store' });
        accept(Number(response.headers.get('x-view-serial')), await response.json());
      } catch {
        // The client is gone; the page shows the last window it knew.
      } finally {
        pending -= 1;
        markBusy();
      }
    });
    return queue;
  }

  /** aria-busy on the window: true from a person's action until the window shows its outcome. */
  function markBusy() {
    if (shown !== null) shown.dialog.setAttribute('aria-busy', String(pending > 0));
  }

  /** Shows `view` unless a newer one is already on screen. */
  function accept(number, view) {
    if (!Number.isFinite(number) || number < latestSerial) return;
    latestSerial = number;
    latest = view;
    render(view);
  }

  // ---- elements ----

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'text') node.textContent = value;
      else if (name === 'className') node.className = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children || []) {
      if (child) node.append(child);
    }
    return node;
  }

  const ICONS = {
    brand:
      '<svg viewBox="0 0 32 32"><path fill="currentColor" d="M23.5 12.2A8 8 0 0 0 8.3 10 6.5 6.5 0 0 0 8.5 23h14.8a5.4 5.4 0 0 0 .2-10.8z"/><path fill="#0a6ebd" d="M11.5 14.5h8.5l-6 5.5h6.5v1.5h-9l6-5.5h-6z"/></svg>',
    'Internet Security':
      '<svg viewBox="0 0 24 24"><path fill="none" stroke="currentColor" stroke-width="1.8" d="M12 2.8 4.5 5.6v6c0 4.6 3.2 8.1 7.5 9.6 4.3-1.5 7.5-5 7.5-9.6v-6z"/><path fill="none" stroke="currentColor" stroke-width="1.8" d="m8.5 12 2.5 2.5 4.5-5"/></svg>',
    'Private Access':
      '<svg viewBox="0 0 24 24"><rect x="5" y="10.5" width="14" height="10" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.8"/><path fill="none" stroke="currentColor" stroke-width="1.8" d="M8 10.5V7.8a4 4 0 0 1 8 0v2.7"/><circle cx="12" cy="15.5" r="1.6" fill="currentColor"/></svg>',
    tenant:
      '<svg viewBox="0 0 24 24"><path fill="none" stroke="currentColor" stroke-width="1.7" d="M4 20.5V6.5l7-3v17M11 9.5h9v11M2.5 20.5h19M7 8.5v.01M7 12v.01M7 15.5v.01M14.5 13v.01M17 13v.01M14.5 16.5v.01M17 16.5v.01"/></svg>',
    key: '<svg viewBox="0 0 24 24"><circle cx="8" cy="14" r="4.2" fill="none" stroke="currentColor" stroke-width="1.8"/><path fill="none" stroke="currentColor" stroke-width="1.8" d="m11 11 8.5-8.5M16 6l2.5 2.5M13.5 8.5 16 11"/></svg>',
  };

  function icon(name, className) {
    const span = el('span', { className: `icon ${className || ''}`, 'aria-hidden': 'true' });
    span.innerHTML = ICONS[name] || ICONS.tenant;
    return span;
  }

  function button(control, extra) {
    const secondary = SECONDARY_CONTROLS.includes(control);
    return el('button', {
      type: 'button',
      className: `button ${secondary ? 'button--secondary' : 'button--primary'} ${extra || ''}`,
      text: control,
      onclick: () => post({ type: 'click', control }),
    });
  }

  function link(control) {
    return el('a', {
      href: '#',
      className: 'link',
      text: control,
      onclick: (event) => {
        event.preventDefault();
        post({ type: 'click', control });
      },
    });
  }

  /** The window's buttons: the primary one left of Cancel on Windows, right of it on macOS. */
  function actionRow(controls) {
    const links = controls.filter((control) => LINK_CONTROLS.includes(control));
    const buttons = controls.filter((control) => !LINK_CONTROLS.includes(control));
    const primary = buttons.filter((control) => !SECONDARY_CONTROLS.includes(control));
    const secondary = buttons.filter((control) => SECONDARY_CONTROLS.includes(control));
    const ordered = PRIMARY_LAST ? [...secondary, ...primary] : [...primary, ...secondary];
    return el('div', { className: 'actions' }, [
      el('div', { className: 'actions__links' }, links.map(link)),
      el(
        'div',
        { className: 'actions__buttons' },
        ordered.map((control) => button(control)),
      ),
    ]);
  }

  function notes(info) {
    return el(
      'div',
      { className: 'notes' },
      info.map((text) => el('div', { role: 'note', className: 'note' }, [icon('key'), el('p', { text })])),
    );
  }

  function alertBox(error) {
    return el('div', { role: 'alert', className: 'alert' }, [el('p', { text: error })]);
  }

  // ---- windows ----

  function titleBar(title) {
    const glyphs =
      platform === 'macos'
        ? el('span', { className: 'lights', 'aria-hidden': 'true' }, [
            el('i', { className: 'light light--close' }),
            el('i', { className: 'light light--minimize' }),
            el('i', { className: 'light light--zoom' }),
          ])
        : el('span', { className: 'glyphs', 'aria-hidden': 'true' }, [
            el('i', { className: 'glyph glyph--minimize' }),
            el('i', { className: 'glyph glyph--close' }),
          ]);
    return el('div', { className: 'titlebar' }, [
      glyphs,
      el('span', { className: 'titlebar__title', text: title }),
    ]);
  }

  function brandBand(subtitle) {
    return el('div', { className: 'brand' }, [
      icon('brand', 'brand__logo'),
      el('div', { className: 'brand__text' }, [
        el('span', { className: 'brand__name', text: 'Zscaler' }),
        el('span', { className: 'brand__product', text: subtitle }),
      ]),
    ]);
  }

  function tenantCard(tenant) {
    const on = tenant.zpa === 'on';
    const details = [
      el('div', { className: 'tenant__row' }, [
        el('span', { className: 'tenant__label', text: 'Service Status:' }),
        el('span', {
          role: 'status',
          'aria-label': 'Service Status',
          className: `pill ${on ? 'pill--on' : 'pill--off'}`,
          text: on ? 'ON' : 'OFF',
        }),
      ]),
      el('div', { className: 'tenant__row', text: 'Authentication Status: Authenticated' }),
    ];
    if (tenant.username) {
      details.push(
        el('div', { className: 'tenant__row tenant__user', text: `Username: ${tenant.username}` }),
      );
    }
    return el('li', { className: `tenant ${on ? 'tenant--on' : ''}`, 'aria-label': tenant.name }, [
      el('div', { className: 'tenant__head' }, [
        icon('tenant', 'tenant__icon'),
        el('span', { className: 'tenant__name', text: tenant.name }),
        el(
          'span',
          { className: 'tenant__controls' },
          tenant.controls.map((control) =>
            el('button', {
              type: 'button',
              className: `button button--small ${control === 'Turn On' ? 'button--primary' : 'button--secondary'}`,
              text: control,
              onclick: () => post({ type: 'click', control, tenant: tenant.name }),
            }),
          ),
        ),
      ]),
      el('div', { className: 'tenant__details' }, details),
    ]);
  }

  function tenantList(label, tenants) {
    const id = `list-${++nextId}`;
    return el('section', { className: 'tenants' }, [
      el('h2', { id, className: 'section-title', text: label }),
      el('ul', { className: 'tenants__list', 'aria-labelledby': id }, tenants.map(tenantCard)),
    ]);
  }

  /** Body blocks of a window, each with a key: a block whose key is unchanged stays as it is. */
  function blocks(view) {
    const list = [];
    const add = (key, build) => list.push({ key: JSON.stringify(key), build });
    const error = () => {
      if (view.error !== undefined) add(['error', view.error], () => alertBox(view.error));
    };
    const info = () => {
      if (view.info.length > 0) add(['info', view.info], () => notes(view.info));
    };
    switch (view.window) {
      case 'main': {
        const nav = [
          ...NAV_ORDER.filter((control) => view.controls.includes(control)),
          ...view.controls.filter((control) => !NAV_ORDER.includes(control)),
        ];
        add(['nav', nav], () =>
          el(
            'nav',
            { className: 'nav', 'aria-label': 'Services' },
            nav.map((control) =>
              el(
                'button',
                {
                  type: 'button',
                  className: 'nav__item',
                  onclick: () => post({ type: 'click', control }),
                },
                [icon(control, 'nav__icon'), el('span', { text: control })],
              ),
            ),
          ),
        );
        add(['pane', view.info, view.error, nav], () => {
          const pane = el('div', { className: 'pane' }, [
            icon('brand', 'pane__logo'),
            el('h2', { className: 'pane__title', text: 'Zscaler Client Connector' }),
            el('p', {
              className: 'pane__text',
              text: `Select ${nav.join(' or ') || 'a service'} to see the service's status.`,
            }),
          ]);
          if (view.info.length > 0) pane.append(notes(view.info));
          if (view.error !== undefined) pane.append(alertBox(view.error));
          return pane;
        });
        break;
      }
      case 'private-access': {
        error();
        const own = view.tenants.filter((tenant) => tenant.role === 'main');
        const partners = view.tenants.filter((tenant) => tenant.role === 'partner');
        if (own.length > 0) add(['own', own], () => tenantList('Organization tenant', own));
        if (partners.length > 0) add(['partners', partners], () => tenantList('Partner tenants', partners));
        info();
        add(['actions', view.controls], () => actionRow(view.controls));
        break;
      }
      case 'add-tenant': {
        const selecting = view.options.length > 0;
        add(['intro', selecting, view.fields], () =>
          el('p', {
            className: 'intro',
            text: selecting
              ? 'Select the partner tenant to access.'
              : 'Enter your username for the partner tenant.',
          }),
        );
        if (selecting) add(['options', view.options], () => radioGroup(view.options));
        if (view.fields.length > 0)
          add(['fields', view.fields], () => fieldsForm(view.fields, view.controls));
        info();
        error();
        add(['actions', view.controls], () => actionRow(view.controls));
        break;
      }
      case 'authentication': {
        const tenant = view.title.replace(/^Sign In - /, '');
        // Embedded authentication: the identity provider's page inside this window, as a web view.
        if (view.authorizationUrl === undefined && view.fields.length > 0) {
          add(['web-view', tenant], () =>
            el('p', { className: 'intro', text: `Sign in to ${tenant} with your partner account.` }),
          );
          error();
          add(['fields', view.fields, view.error], () => fieldsForm(view.fields, view.controls));
          add(['actions', view.controls], () => actionRow(view.controls));
          break;
        }
        add(['signing-in', tenant], () =>
          el('div', { className: 'signin' }, [
            el('span', { className: 'spinner', 'aria-hidden': 'true' }),
            el('p', { className: 'signin__text', text: `Sign in to ${tenant} in the window that opened.` }),
            el('p', {
              className: 'signin__hint',
              text: 'The Private Access window reappears once you have signed in.',
            }),
          ]),
        );
        if (view.authorizationUrl !== undefined) {
          const url = view.authorizationUrl;
          add(['sign-in-link', url], () =>
            el('p', { className: 'signin__link' }, [
              el('a', {
                href: url,
                className: 'link',
                target: SIGN_IN_WINDOW,
                rel: 'noreferrer',
                text: 'Open the sign-in page',
                onclick: (event) => {
                  event.preventDefault();
                  openSignIn(url);
                },
              }),
            ]),
          );
        }
        info();
        error();
        add(['actions', view.controls], () => actionRow(view.controls));
        break;
      }
      default: {
        info();
        error();
        add(['actions', view.controls], () => actionRow(view.controls));
      }
    }
    return list;
  }

  function radioGroup(options) {
    const id = `label-${++nextId}`;
    const name = `partner-tenant-${nextId}`;
    return el('div', { className: 'choice' }, [
      el('div', { id, className: 'field__label', text: 'Partner tenant' }),
      el(
        'div',
        { role: 'radiogroup', 'aria-labelledby': id, className: 'choice__options' },
        options.map((option) =>
          el('label', { className: 'radio' }, [
            el('input', {
              type: 'radio',
              name,
              value: option,
              onchange: (event) => {
                if (event.target.checked) post({ type: 'select', option });
              },
            }),
            el('span', { text: option }),
          ]),
        ),
      ),
    ]);
  }

  const AUTOCOMPLETE = { Username: 'username', Password: 'current-password' };

  function fieldsForm(fields, controls) {
    const primary = controls.find(
      (control) => !SECONDARY_CONTROLS.includes(control) && !LINK_CONTROLS.includes(control),
    );
    return el(
      'form',
      {
        className: 'fields',
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          if (primary !== undefined) post({ type: 'click', control: primary });
        },
      },
      fields.map((field) => {
        const id = `field-${++nextId}`;
        return el('div', { className: 'field' }, [
          el('label', { for: id, className: 'field__label', text: field }),
          el('input', {
            id,
            type: field === 'Password' ? 'password' : 'text',
            className: 'field__input',
            autocomplete: AUTOCOMPLETE[field] ?? 'off',
            spellcheck: 'false',
            autocapitalize: 'none',
            oninput: (event) => post({ type: 'fill', field, value: event.target.value }),
          }),
        ]);
      }),
    );
  }

  function buildWindow(view) {
    const kind = view.window;
    const body = el('div', { className: 'window__body' });
    const dialog = el(
      'div',
      {
        role: 'dialog',
        'aria-label': view.title,
        'aria-busy': String(pending > 0),
        className: `window window--${kind}`,
      },
      [
        titleBar(view.title),
        kind === 'main' || kind === 'private-access'
          ? brandBand(kind === 'main' ? 'Client Connector' : 'Private Access')
          : null,
        body,
      ],
    );
    return { key: `${kind}\u0000${view.title}`, dialog, body };
  }

  /** Brings `body`'s children in line with the blocks, leaving untouched those whose key is kept. */
  function reconcile(body, wanted) {
    const existing = new Map();
    for (const child of body.children) existing.set(child.dataset.key, child);
    let cursor = body.firstElementChild;
    for (const { key, build } of wanted) {
      let node = existing.get(key);
      existing.delete(key);
      if (node === undefined) {
        node = build();
        node.dataset.key = key;
      }
      if (node === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        body.insertBefore(node, cursor);
      }
    }
    for (const stale of existing.values()) stale.remove();
  }

  function openSignIn(url) {
    const popup = window.open(url, SIGN_IN_WINDOW, SIGN_IN_FEATURES);
    if (popup) {
      try {
        popup.opener = null;
      } catch {
        // The sign-in page is already on the identity provider's origin: nothing to sever.
      }
    }
  }

  function render(view) {
    const key = `${view.window}\u0000${view.title}`;
    let fresh = false;
    if (shown === null || shown.key !== key) {
      shown = buildWindow(view);
      app.replaceChildren(shown.dialog);
      document.title = view.title;
      fresh = true;
    }
    reconcile(shown.body, blocks(view));
    if (fresh) {
      const first = shown.dialog.querySelector('input, select');
      if (first) first.focus();
    }
    if (view.window === 'authentication' && view.authorizationUrl && !opened.has(view.authorizationUrl)) {
      opened.add(view.authorizationUrl);
      openSignIn(view.authorizationUrl);
    }
  }

  // The window the client showed when the page was served: on screen before the stream connects.
  const initial = document.getElementById('initial-view');
  if (initial !== null) {
    try {
      accept(Number(initial.dataset.serial), JSON.parse(initial.textContent));
    } catch {
      // Unreadable: the stream's first view shows the window instead.
    }
  }

  const events = new EventSource('/events');
  events.addEventListener('message', (event) => {
    let view;
    try {
      view = JSON.parse(event.data);
    } catch {
      return;
    }
    accept(Number(event.lastEventId), view);
  });
  events.addEventListener('error', () => {
    document.body.classList.toggle('offline', events.readyState !== EventSource.OPEN);
  });
  events.addEventListener('open', () => document.body.classList.remove('offline'));
})();
