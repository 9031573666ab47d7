/** The identity-provider step, done by the harness's user agent as the person at the keyboard. */
import { When } from '@cucumber/cucumber';
import type { ConformanceWorld, Forgery } from './world.ts';

When('I enter my credentials for the partner tenant and log in', async function (this: ConformanceWorld) {
  const { username } = await this.requireSignInPage();
  await this.signInAsPartner(username);
});

When('I enter a wrong password for the partner tenant and log in', async function (this: ConformanceWorld) {
  const { username } = await this.requireSignInPage();
  const result = await this.signIn({
    username,
    password: `wrong-${this.findUser(username).password}`,
  });
  if (result.kind === 'redirected') {
    throw new Error(`the identity provider accepted a wrong password for ${username}`);
  }
});

When('I cancel the sign-in on the identity provider page', async function (this: ConformanceWorld) {
  await this.requireSignInPage();
  await this.cancelSignIn();
});

const FORGERIES: Record<string, Forgery> = {
  'with a wrong state': 'wrong-state',
  'without state': 'no-state',
  'with the iss of another identity provider': 'other-issuer',
  'with a code issued to another client': 'other-client',
};

When(
  /^an attacker sends the client's loopback listener a callback (with a wrong state|without state|with the iss of another identity provider|with a code issued to another client)$/,
  async function (this: ConformanceWorld, forgery: string) {
    await this.forgeCallback(FORGERIES[forgery] as Forgery);
  },
);
