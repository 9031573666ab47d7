import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OriginCookies } from '../src/agents/origin-cookies.ts';

const IDP = 'http://127.0.0.1:41001';
const PARTNER = 'http://127.0.0.1:41002';
const at = (origin: string, path: string) => new URL(`${origin}${path}`);

describe('OriginCookies', () => {
  test('sends a cookie to its path, longest path first, and defaults the path to the setting URL’s folder', async () => {
    const cookies = new OriginCookies();
    await cookies.store(at(IDP, '/oauth2/v1/authorize'), [
      'root=1; Path=/',
      'oauth=2; Path=/oauth2; HttpOnly; SameSite=Lax',
      'folder=3',
    ]);
    assert.equal(await cookies.header(at(IDP, '/oauth2/v1/login')), 'folder=3; oauth=2; root=1');
    assert.equal(await cookies.header(at(IDP, '/oauth2/other')), 'oauth=2; root=1');
    assert.equal(await cookies.header(at(IDP, '/oauth2x')), 'root=1');
  });

  test('Max-Age=0 or an Expires in the past deletes; malformed and foreign-domain cookies are dropped', async () => {
    const cookies = new OriginCookies();
    await cookies.store(at(IDP, '/'), ['a=1; Path=/', 'b=2; Path=/', 'c=3; Path=/']);
    await cookies.store(at(IDP, '/'), [
      'a=; Path=/; Max-Age=0',
      'b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      'novalue',
      'd=4; Domain=example.com',
    ]);
    assert.equal(await cookies.header(at(IDP, '/')), 'c=3');
    cookies.clear();
    assert.equal(await cookies.header(at(IDP, '/')), undefined);
  });

  test('keeps each origin’s cookies apart, although RFC 6265 ignores the port', async () => {
    const cookies = new OriginCookies();
    await cookies.store(at(IDP, '/'), ['_session=idp; Path=/']);
    assert.equal(await cookies.header(at(PARTNER, '/')), undefined);
    await cookies.store(at(PARTNER, '/'), ['_session=partner; Path=/']);
    assert.equal(await cookies.header(at(IDP, '/')), '_session=idp');
    assert.equal(await cookies.header(at(PARTNER, '/')), '_session=partner');
  });
});
