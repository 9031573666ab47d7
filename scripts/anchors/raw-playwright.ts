/**
 * The raw Playwright anchor: what the macOS username flow costs through Chromium with no harness
 * around it, written as a hand-written Playwright test would be. The simulated world and the browser
 * start once; each flow serves the reference client's web UI for macOS 4.7 on a new port, opens a new
 * browser context, and adds the partner tenant by role and accessible name: Private Access, Add
 * Partner Tenant, the username, Submit, the sign-in page in a second page, Sign In, back in the
 * client the partner listed with its status ON. No screenshots, no traces.
 * Usage: node scripts/anchors/raw-playwright.ts [--flows N]; prints one JSON line
 * `{ "flows", "wallMs" }`, where wallMs is the whole process's own time from its start.
 */
import { parseArgs } from 'node:util';
import { launchChromium } from '../../src/browser/chromium.ts';
import { ReferenceClientUi } from '../../src/drivers/ui.ts';
import { startSimulatedWorld } from '../../src/environment/simulated-world.ts';
import { PACKAGE_ROOT } from '../../src/package-layout.ts';

const { values } = parseArgs({ options: { flows: { type: 'string', default: '16' } } });
const flows = Number(values.flows);

const world = await startSimulatedWorld({ fixturesDir: `${PACKAGE_ROOT}/fixtures` });
const browser = await launchChromium();

async function addPartnerTenant(): Promise<void> {
  world.resetPolicy();
  const app = new ReferenceClientUi();
  const url = await app.start({
    platform: 'macos',
    clientVersion: '4.7',
    policyApiUrl: world.policyApiUrl,
    username: 'alice@acme.example',
  });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Private Access' }).click();
    await page.getByRole('link', { name: 'Add Partner Tenant' }).click();
    await page.getByRole('textbox', { name: 'Username' }).fill('alice@globex.example');
    await page.getByRole('button', { name: 'Submit' }).click();
    const href = await page.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href');
    if (!href) throw new Error('no sign-in link');
    const signIn = await context.newPage();
    await signIn.goto(href);
    await signIn.getByRole('textbox', { name: 'Username' }).fill('alice@globex.example');
    await signIn.getByRole('textbox', { name: 'Password' }).fill('Globex-Test-Pass-1');
    await signIn.getByRole('button', { name: 'Sign In' }).click();
    const partner = page.getByRole('listitem', { name: 'Globex Corporation' });
    await partner.getByRole('status', { name: 'Service Status' }).filter({ hasText: /^ON$/ }).waitFor();
  } finally {
    await context.close();
    await app.stop();
  }
}

for (let i = 0; i < flows; i += 1) await addPartnerTenant();
await browser.close();
await world.close();
process.stdout.write(`${JSON.stringify({ flows, wallMs: Math.round(performance.now()) })}\n`);
