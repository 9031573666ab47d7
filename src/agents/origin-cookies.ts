/**
 * The HTTP user agent's cookies: RFC 6265 (tough-cookie), in one jar per origin. RFC 6265 keys cookies
 * by host, not port, but the simulated identity providers are separate sites that differ only by port
 * on 127.0.0.1, and each sets oidc-provider's same-named cookies (`_session`, `_interaction`) at the
 * same path: in one jar, signing in at one would overwrite the other's session, as it would not were
 * they on their own hosts.
 */
import { CookieJar } from 'tough-cookie';

export class OriginCookies {
  readonly #jars = new Map<string, CookieJar>();

  /** Keeps the response's Set-Cookie lines; a malformed or foreign-domain one is dropped, as browsers do. */
  async store(url: URL, setCookies: readonly string[]): Promise<void> {
    if (setCookies.length === 0) return;
    let jar = this.#jars.get(url.origin);
    if (!jar) {
      jar = new CookieJar();
      this.#jars.set(url.origin, jar);
    }
    for (const line of setCookies) await jar.setCookie(line, url, { ignoreError: true });
  }

  /** The Cookie header for a request to `url`, or undefined when no cookie applies. */
  async header(url: URL): Promise<string | undefined> {
    const cookies = await this.#jars.get(url.origin)?.getCookieString(url);
    return cookies ? cookies : undefined;
  }

  clear(): void {
    this.#jars.clear();
  }
}
