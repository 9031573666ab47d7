/**
 * What a person can do, in the article's words: each command is the suite's own steps, offered only
 * where the model says a person could do it, and what it leaves behind is checked with the suite's
 * own check steps, so the shortest failing sequence is a scenario as written.
 */
import fc from 'fast-check';
import type { ExploreModel, ExplorePartner } from './model.ts';
import type { ExploreSession } from './session.ts';

/** A check step, and the requirement it is asked about (its scenario's @req tag, were it written). */
export interface Expectation {
  text: string;
  requirement: string;
}

/** A command: its steps from the model before it, and the model after it. */
abstract class StepCommand implements fc.AsyncCommand<ExploreModel, ExploreSession> {
  abstract check(model: Readonly<ExploreModel>): boolean;
  protected abstract steps(model: Readonly<ExploreModel>): string[];
  protected abstract next(model: ExploreModel): void;
  /** The checks of what this action is about, before the model's general expectations. */
  protected ownChecks(_model: Readonly<ExploreModel>): Expectation[] {
    return [];
  }
  abstract toString(): string;

  async run(model: ExploreModel, session: ExploreSession): Promise<void> {
    session.commands.push(this.toString());
    for (const text of this.steps(model)) await session.step('When', text);
    this.next(model);
    for (const { text, requirement } of [...this.ownChecks(model), ...expectations(model)])
      await session.step('Then', text, requirement);
  }
}

/**
 * What the model expects a person to see now, as check steps: nothing while the main window is open
 * (the next Private Access shows it); else the window, the partners listed and whose ZPA is on.
 */
export function expectations(model: Readonly<ExploreModel>): Expectation[] {
  if (model.window !== 'private-access') return [];
  // Read first, so that a tenant no longer listed is the invariants' (PA-OPEN, PERSIST, PERSIST-RESTART).
  const lines: Expectation[] = [{ text: 'the Private Access window appears', requirement: 'PA-OPEN' }];
  const { on, partners } = model;
  if (partners.length > 1) {
    lines.push({
      text: `the Private Access window lists the partner tenants "${partners.join(', ')}"`,
      requirement: 'MULTI-PARTNER',
    });
  }
  for (const partner of partners) {
    if (on === model.main) {
      lines.push({
        text: `ZPA is on for the main tenant and off for the partner tenant "${partner}"`,
        requirement: 'EX-MAIN-ON',
      });
    } else if (on === undefined) {
      lines.push({
        text: `the partner tenant "${partner}" is listed with ZPA off`,
        requirement: 'SWITCH-HOLDS',
      });
    } else if (on === partner) {
      lines.push({
        text: `ZPA is on for the partner tenant "${on}" and off for the main tenant`,
        requirement: 'EX-PARTNER-ON',
      });
    } else {
      lines.push({
        text: `ZPA is on for the partner tenant "${on}" and off for the partner tenant "${partner}"`,
        requirement: 'MULTI-PARTNER',
      });
    }
  }
  return lines;
}

/**
 * The check steps that verify `requirement` where the model is: what a reproducer ends with when an
 * invariant (watched in every scenario, but a check only where it breaks) saw the requirement broken.
 */
export function checksOf(requirement: string, model: Readonly<ExploreModel>): string[] {
  switch (requirement) {
    case 'PERSIST':
    case 'PERSIST-RESTART':
      return model.partners.map((partner) => `the partner tenant "${partner}" is still listed`);
    case 'MULTI-PARTNER':
      return model.partners.length === 0
        ? []
        : [`the Private Access window lists the partner tenants "${model.partners.join(', ')}"`];
    case 'PA-OPEN':
      return ['the Private Access window appears'];
    case 'EX-ONE-ACTIVE':
      return ['at no moment was ZPA on for more than one tenant'];
    default:
      return [];
  }
}

class OpenPrivateAccess extends StepCommand {
  check = (model: Readonly<ExploreModel>) => model.window === 'main';
  steps = () => ['I open Zscaler Client Connector and click Private Access'];
  next = (model: ExploreModel) => {
    model.window = 'private-access';
  };
  toString = () => 'open Private Access';
}

class Close extends StepCommand {
  check = (model: Readonly<ExploreModel>) => model.window === 'private-access';
  steps = () => ['I click Close'];
  next = (model: ExploreModel) => {
    model.window = 'main';
  };
  toString = () => 'Close';
}

class Restart extends StepCommand {
  check = () => true;
  steps = () => ['I restart Zscaler Client Connector'];
  next = (model: ExploreModel) => {
    model.window = 'main';
  };
  toString = () => 'restart';
}

/** Add Partner Tenant, the partner's username, Submit, and a sign-in with the right password. */
class AddPartner extends StepCommand {
  readonly partner: ExplorePartner;
  constructor(partner: ExplorePartner) {
    super();
    this.partner = partner;
  }
  check = (model: Readonly<ExploreModel>) =>
    model.window === 'private-access' && !model.partners.includes(this.partner.name);
  steps = () => [`I add the partner tenant "${this.partner.name}" as "${this.partner.username}"`];
  next = (model: ExploreModel) => {
    model.partners.push(this.partner.name);
    model.on = this.partner.name;
  };
  protected override ownChecks(): Expectation[] {
    return [
      {
        text: `ZPA access to my organisation is turned off and the partner tenant "${this.partner.name}" is on`,
        requirement: 'EX-PARTNER-OFF-MAIN',
      },
    ];
  }
  toString = () => `add ${this.partner.name}`;
}

/** The sign-in that fails: a wrong password then the window closed, or Cancel on the page. */
class FailedSignIn extends StepCommand {
  readonly partner: ExplorePartner;
  readonly how: 'wrong password' | 'cancel';
  constructor(partner: ExplorePartner, how: 'wrong password' | 'cancel') {
    super();
    this.partner = partner;
    this.how = how;
  }
  check = (model: Readonly<ExploreModel>) =>
    model.window === 'private-access' && !model.partners.includes(this.partner.name);
  steps = () => [
    'I click Add Partner Tenant',
    `I enter "${this.partner.username}" as my username for the partner tenant`,
    'I click Submit',
    ...(this.how === 'cancel'
      ? ['I cancel the sign-in on the identity provider page']
      : ['I enter a wrong password for the partner tenant and log in', 'I close the authentication window']),
  ];
  next = () => {};
  protected override ownChecks(model: Readonly<ExploreModel>): Expectation[] {
    // The suite's check of a failed sign-in expects no partner tenant at all (its scenarios add none first).
    if (model.on !== model.main || model.partners.length > 0) return [];
    return [
      {
        text: `the partner tenant "${this.partner.name}" is not listed and ZPA is still on for my organisation`,
        requirement: 'FAIL-NO-CHANGE',
      },
    ];
  }
  toString = () => `${this.how} at ${this.partner.name}`;
}

class TurnOn extends StepCommand {
  readonly tenant: string;
  constructor(tenant: string) {
    super();
    this.tenant = tenant;
  }
  check = (model: Readonly<ExploreModel>) =>
    model.window === 'private-access' &&
    model.on !== this.tenant &&
    (this.tenant === model.main || model.partners.includes(this.tenant));
  steps = (model: Readonly<ExploreModel>) => [
    this.tenant === model.main
      ? 'I click Turn On for the main tenant'
      : `I click Turn On for the partner tenant "${this.tenant}"`,
  ];
  next = (model: ExploreModel) => {
    model.on = this.tenant;
  };
  toString = () => `Turn On ${this.tenant}`;
}

/** Turn Off for the partner tenant that is on (the article's steps turn off only partners). */
class TurnOff extends StepCommand {
  readonly tenant: string;
  constructor(tenant: string) {
    super();
    this.tenant = tenant;
  }
  check = (model: Readonly<ExploreModel>) =>
    model.window === 'private-access' && model.on === this.tenant && model.partners.includes(this.tenant);
  steps = () => [`I click Turn Off for the partner tenant "${this.tenant}"`];
  next = (model: ExploreModel) => {
    model.on = undefined;
  };
  protected override ownChecks(): Expectation[] {
    return [
      { text: `the partner tenant "${this.tenant}" is listed with ZPA off`, requirement: 'SWITCH-HOLDS' },
    ];
  }
  toString = () => `Turn Off ${this.tenant}`;
}

/** Every command a sequence may take, over the partners drawn from the fixtures. */
export function commandArbitraries(
  main: string,
  partners: readonly ExplorePartner[],
): fc.Arbitrary<fc.AsyncCommand<ExploreModel, ExploreSession>>[] {
  const partner = fc.constantFrom(...partners);
  const tenant = fc.constantFrom(main, ...partners.map((p) => p.name));
  return [
    fc.constant(new OpenPrivateAccess()),
    fc.constant(new Close()),
    fc.constant(new Restart()),
    partner.map((p) => new AddPartner(p)),
    partner.map((p) => new FailedSignIn(p, 'wrong password')),
    partner.map((p) => new FailedSignIn(p, 'cancel')),
    tenant.map((name) => new TurnOn(name)),
    fc.constantFrom(...partners.map((p) => p.name)).map((name) => new TurnOff(name)),
  ];
}
