// A campaign in the operator console, in a real browser (see console.e2e.mjs for the set-up):
// the page shows waves as rows and jobs as cells; wave 2 waits for its approval; the operator's
// click is refused (no approver role) and the problem shown; an approver's click lets the wave
// run, and its cells turn SUCCEEDED without a reload.
//
// Environment: FERRY_URL, FERRY_OPERATOR_TOKEN, FERRY_APPROVER_TOKEN, FERRY_CAMPAIGN,
// FERRY_SCREENSHOTS, FERRY_CHROMIUM, FERRY_PLAYWRIGHT.
import {createRequire} from 'node:module';
import {mkdtempSync, mkdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const base = env('FERRY_URL');
const shots = env('FERRY_SCREENSHOTS');
const campaign = env('FERRY_CAMPAIGN');
const {chromium} = createRequire(join(env('FERRY_PLAYWRIGHT'), 'package.json'))('playwright-core');
mkdirSync(shots, {recursive: true});
rmSync(join(shots, 'campaign-failure.png'), {force: true});

const profile = mkdtempSync(join(tmpdir(), 'ferry-campaign-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: env('FERRY_CHROMIUM'),
  headless: true,
  viewport: {width: 1280, height: 900},
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const started = Date.now();
const step = (message) => console.log(`[campaign-e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
const errors = [];
let failed = false;
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 403/.test(m.text())) errors.push(`console: ${m.text()}`); });
  const shot = async (name) => {
    await page.screenshot({path: join(shots, `${name}.png`), fullPage: true});
    step(`screenshot ${name}`);
  };
  const useToken = async (value) => {
    await page.getByLabel('API token').fill(value);
    await page.getByRole('button', {name: 'Use token'}).click();
    await page.getByText('Token set for this tab').waitFor();
  };

  await page.goto(`${base}/console/`);
  await useToken(env('FERRY_OPERATOR_TOKEN'));
  await page.getByRole('link', {name: 'Campaigns'}).click();
  await page.locator(`tr[data-campaign="${campaign}"] a`).click();
  await page.locator('#campaign-state', {hasText: 'AWAITING APPROVAL'}).waitFor();
  await page.locator('tr[data-wave="1"] .cell', {hasText: 'SUCCEEDED'}).waitFor();
  await page.locator('tr[data-wave="2"] .cell', {hasText: 'PENDING'}).first().waitFor();
  await page.locator('#campaign-blocked', {hasText: 'wave 2 awaits approval'}).waitFor();
  await page.evaluate(() => { window.__ferryNoReload = true; });
  step('wave 1 done, wave 2 awaits its approval');
  await shot('campaign-01-awaiting-wave-approval');

  // The operator holds no approver role: refused, and the page says why.
  await page.getByRole('button', {name: 'Approve wave 2'}).click();
  await page.locator('.problem:not([hidden])', {hasText: '403'}).waitFor();
  step('approval by the operator refused (403), shown as a problem');

  await useToken(env('FERRY_APPROVER_TOKEN'));
  await page.getByLabel('Reason or comment (recorded)').fill('canary fine for an hour');
  await page.getByRole('button', {name: 'Approve wave 2'}).click();
  await page.locator('#campaign-state', {hasText: 'SUCCEEDED'}).waitFor();
  const cells = await page.locator('tr[data-wave="2"] .cell').allTextContents();
  if (cells.length !== 2 || !cells.every((c) => c.includes('SUCCEEDED'))) throw new Error(`wave 2 cells: ${cells}`);
  if (!(await page.evaluate(() => window.__ferryNoReload === true))) throw new Error('the page was reloaded');
  step(`wave 2 ran after its approval: ${cells.join(' | ')}`);
  await shot('campaign-02-succeeded');
  const pageErrors = errors.filter((e) => e.startsWith('page error') || /Content Security Policy/i.test(e));
  if (pageErrors.length) throw new Error(pageErrors.join('; '));
  step('done');
} catch (e) {
  failed = true;
  console.error(`[campaign-e2e] FAILED: ${e.stack || e}`);
  for (const line of errors) console.error(`[campaign-e2e] ${line}`);
  try {
    const page = context.pages()[0];
    if (page) await page.screenshot({path: join(shots, 'campaign-failure.png'), fullPage: true});
  } catch { /* best effort */ }
} finally {
  await context.close();
  rmSync(profile, {recursive: true, force: true});
}
process.exit(failed ? 1 : 0);
