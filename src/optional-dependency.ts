/**
 * The heavy parts a run may not need are optional dependencies of the package (peerDependencies
 * marked optional): playwright-core for the browser (ui clients, the browser user agent, screenshots),
 * testcontainers for `image:` clients and webdriver (WebdriverIO's W3C bindings) for the bridge. They
 * are imported only where used; a run that needs one that is not installed is refused before it
 * starts, in one line naming what to install.
 */
export const OPTIONAL_DEPENDENCIES = {
  'playwright-core': 'the browser (--client ui, ui:URL, --user-agent browser)',
  testcontainers: 'clients in containers (--client image:NAME)',
  webdriver: 'the WebDriver bridge (bridge webdriver)',
} as const;

export type OptionalDependency = keyof typeof OPTIONAL_DEPENDENCIES;

/** The line saying what to install, or undefined when `name` is installed. */
export function missingDependency(name: OptionalDependency): string | undefined {
  try {
    import.meta.resolve(name);
    return undefined;
  } catch {
    return `${name} is not installed; ${OPTIONAL_DEPENDENCIES[name]} run on it: npm install -D ${name}`;
  }
}
