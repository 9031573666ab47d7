/**
 * One WebDriver session kept from one ccdp/1 session to the next, for a web client the bridge opens by
 * URL: a new browser per session costs about 0.75 s, and the browser is not the client. Between two
 * sessions its cookies are deleted and it shows about:blank; a kept session that no longer answers is
 * ended and a new one opened.
 */
import type { WebDriverClient } from './window-reader.ts';

export class KeptWebDriverSession<Driver extends WebDriverClient = WebDriverClient> {
  readonly #connect: () => Promise<Driver>;
  #spare: Driver | undefined;

  constructor(connect: () => Promise<Driver>) {
    this.#connect = connect;
  }

  /** The kept session when it still answers, else a new one. */
  async take(): Promise<Driver> {
    const spare = this.#spare;
    this.#spare = undefined;
    if (spare !== undefined) {
      try {
        await spare.getUrl();
        return spare;
      } catch {
        await spare.deleteSession().catch(() => undefined);
      }
    }
    return this.#connect();
  }

  /** Keeps `driver` for the next session, cleared; ends it when it cannot be cleared. */
  async give(driver: Driver): Promise<void> {
    try {
      await driver.deleteAllCookies();
      await driver.navigateTo('about:blank');
    } catch (error) {
      await driver.deleteSession().catch(() => undefined);
      throw error;
    }
    const before = this.#spare;
    this.#spare = driver;
    await before?.deleteSession();
  }

  /** Ends the kept session, if any. */
  async close(): Promise<void> {
    const spare = this.#spare;
    this.#spare = undefined;
    await spare?.deleteSession();
  }
}
