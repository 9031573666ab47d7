/** The partner's identity provider switched, for this scenario, to issue faulty ID tokens. */
import { Given } from '@cucumber/cucumber';
import type { IdTokenFault } from '../mocks/idp/identity-provider.ts';
import type { ConformanceWorld } from './world.ts';

const FAULTS: Record<string, IdTokenFault> = {
  'signed with a key not in its JWKS': 'foreign-key',
  'for another audience': 'other-audience',
  'with another nonce': 'other-nonce',
  'that have expired': 'expired',
};

Given(
  /^the identity provider of "([^"]+)" issues ID tokens (signed with a key not in its JWKS|for another audience|with another nonce|that have expired)$/,
  function (this: ConformanceWorld, name: string, fault: string) {
    const idp = this.env.identityProviders.get(this.organisationNamed(name).id);
    if (!idp) throw new Error(`${name} has no identity provider in the simulated world`);
    idp.issueFaultyIdTokens(FAULTS[fault] as IdTokenFault);
  },
);
