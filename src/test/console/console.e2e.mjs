// The operator console in a real browser (Debian's Chromium driven by playwright-core), run by
// ConsoleIT against a real Ferry on a random port. An operator creates a job from the form (with
// its preview) and starts it; an approver approves CUTOVER; the operator rolls it back through the
// confirm dialog. Each change must appear live, without reloading the page (a marker set on
// `window` survives only if the page was never reloaded). Screenshots go to FERRY_SCREENSHOTS.
//
// Environment: FERRY_URL, FERRY_OPERATOR_TOKEN, FERRY_APPROVER_TOKEN, FERRY_PLAN, FERRY_SCREENSHOTS,
// FERRY_CHROMIUM, FERRY_PLAYWRIGHT (the directory where playwright-core is installed).
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
const {chromium} = createRequire(join(env('FERRY_PLAYWRIGHT'), 'package.json'))('playwright-core');
mkdirSync(shots, {recursive: true});
rmSync(join(shots, 'failure.png'), {force: true}); // from an earlier failed run

const profile = mkdtempSync(join(tmpdir(), 'ferry-console-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: env('FERRY_CHROMIUM'),
  headless: true,
  viewport: {width: 1280, height: 900},
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const started = Date.now();
const step = (message) => console.log(`[console-e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
const errors = [];
let failed = false;
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  const shot = async (name) => {
    const file = join(shots, `${name}.png`);
    await page.screenshot({path: file, fullPage: true});
    step(`screenshot ${file}`);
  };
  const useToken = async (value) => {
    await page.getByLabel('API token').fill(value);
    await page.getByRole('button', {name: 'Use token'}).click();
    await page.getByText('Token set for this tab').waitFor();
  };

  // 1. The page loads without credentials, then the operator enters a token once.
  await page.goto(`${base}/console/`);
  await page.getByText('Enter an API token above').waitFor();
  await useToken(env('FERRY_OPERATOR_TOKEN'));
  await page.getByRole('heading', {name: 'Jobs'}).waitFor();
  await page.locator('.live-state[data-state="open"]').waitFor();
  await shot('01-jobs');

  // 2. Create a job from the plan's form: a problem first (required parameter missing), then a preview.
  await page.getByRole('link', {name: 'New job'}).first().click();
  await page.getByLabel('Plan').selectOption(env('FERRY_PLAN'));
  await page.getByLabel(/^Job name/).fill('console <b>rehearsal</b>');
  await page.getByRole('button', {name: 'Preview'}).click();
  await page.locator('.problem:not([hidden]) code', {hasText: 'target'}).first().waitFor();
  step('problem details shown for the missing parameter');
  await page.getByLabel(/^target/).fill('blue-cluster');
  await page.getByLabel(/^rows/).fill('250');
  await page.getByLabel(/^dryRun/).check();
  await page.getByLabel(/^apiKey/).fill('s3cr3t-value');
  await page.getByRole('button', {name: 'Preview'}).click();
  await page.getByRole('heading', {name: 'What this job would do'}).waitFor();
  await page.locator('.preview [data-step="copy-rows"] pre', {hasText: 'copied 250 rows to blue-cluster'}).waitFor({state: 'attached'});
  await page.locator('.preview [data-phase="CUTOVER"] .gate').waitFor();
  await shot('02-create-preview');
  await page.getByRole('button', {name: 'Create job'}).click();

  // 3. The job page: the name is text, never markup; start it and watch it stop for CUTOVER.
  await page.locator('#job-title', {hasText: 'console <b>rehearsal</b>'}).waitFor();
  const jobId = page.url().split('/').pop();
  console.log(`JOB ${jobId}`);
  await page.evaluate(() => { window.__ferryNoReload = true; });
  await page.locator('#job-state', {hasText: 'CREATED'}).waitFor();
  await page.getByRole('button', {name: 'Start'}).click();
  await page.locator('#job-state', {hasText: 'AWAITING APPROVAL'}).waitFor();
  await page.locator('.phase-strip [data-phase="CUTOVER"]', {hasText: 'AWAITING APPROVAL'}).waitFor();
  await page.locator('.phase-strip [data-phase="COPY"]', {hasText: 'SUCCEEDED'}).waitFor();
  await page.locator('#timeline li', {hasText: 'AWAITING_APPROVAL'}).first().waitFor();
  step('job reached AWAITING_APPROVAL live');
  await shot('03-awaiting-cutover-approval');
  // The operator created the job and holds no approver role: the API refuses, the page says why.
  await page.getByRole('button', {name: 'Approve CUTOVER'}).click();
  await page.locator('.problem:not([hidden])', {hasText: '403'}).waitFor();
  step('approval by the operator refused (403), shown as a problem');

  // 4. An approver (another person: four eyes) approves CUTOVER with a comment; phases advance live.
  await useToken(env('FERRY_APPROVER_TOKEN'));
  await page.locator('#job-state', {hasText: 'AWAITING APPROVAL'}).waitFor();
  await page.getByLabel('Comment on CUTOVER').fill('CHG-42 reviewed in the console');
  await page.getByRole('button', {name: 'Approve CUTOVER'}).click();
  await page.locator('.phase-strip [data-phase="CUTOVER"]', {hasText: 'SUCCEEDED'}).waitFor();
  await page.locator('.phase-strip [data-phase="OBSERVE"]', {hasText: 'SUCCEEDED'}).waitFor();
  await page.locator('.phase-strip [data-phase="CLEANUP"]', {hasText: 'AWAITING APPROVAL'}).waitFor();
  await page.locator('.approval[data-phase="CUTOVER"]', {hasText: 'CHG-42 reviewed in the console'}).waitFor();
  step('CUTOVER approved, OBSERVE done, CLEANUP awaiting approval: all live');
  await shot('04-approved-cleanup-awaiting');

  // 5. The operator rolls back: the dialog lists what will be undone; ROLLED_BACK appears live.
  await useToken(env('FERRY_OPERATOR_TOKEN'));
  await page.locator('#rollback-plan li').first().waitFor();
  await page.getByRole('button', {name: 'Roll back…'}).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('These compensations will run, newest first').waitFor();
  const undo = await dialog.locator('#confirm-plan li').allTextContents();
  step(`confirm dialog lists: ${undo.join(' | ')}`);
  for (const expected of ['switch', 'copy-rows', 'stop-writers']) {
    if (!undo.some((line) => line.includes(expected))) throw new Error(`the confirm dialog does not list ${expected}`);
  }
  await dialog.getByLabel('Reason (recorded)').fill('rehearsal over');
  await shot('05-rollback-confirm');
  await dialog.getByRole('button', {name: 'Roll back'}).click();
  await page.locator('#job-state', {hasText: 'ROLLED BACK'}).waitFor();
  await page.locator('#timeline li', {hasText: 'ROLLED_BACK'}).first().waitFor();
  await page.locator('.phase-strip [data-phase="FREEZE"]', {hasText: 'COMPENSATED'}).waitFor();
  if (!(await page.evaluate(() => window.__ferryNoReload === true))) throw new Error('the page was reloaded');
  step('ROLLED_BACK shown live, without a reload');
  await shot('06-rolled-back');

  // 6. Back on the list, the job shows its final state; no script error happened on the way.
  await page.getByRole('link', {name: 'Jobs', exact: true}).click();
  await page.locator(`tr[data-job="${jobId}"]`, {hasText: 'ROLLED BACK'}).waitFor();
  // A job created elsewhere (here: straight through the API) appears in the open list by itself.
  const madeWithCurl = `made with curl ${Date.now()}`;
  const created = await fetch(`${base}/api/v1/jobs`, {method: 'POST', headers: {
    Authorization: `Bearer ${env('FERRY_OPERATOR_TOKEN')}`, 'Content-Type': 'application/json'},
  body: JSON.stringify({plan: env('FERRY_PLAN'), name: madeWithCurl, parameters: {target: 'green-cluster'}})});
  if (created.status !== 201) throw new Error(`creating a job over the API: ${created.status} ${await created.text()}`);
  await page.locator('tr', {hasText: madeWithCurl}).getByText('CREATED').waitFor();
  step('a job created through the API appeared in the list live');
  await shot('07-jobs-after');
  const cspViolations = errors.filter((e) => /Content Security Policy/i.test(e));
  if (cspViolations.length) throw new Error(`CSP violations: ${cspViolations.join('; ')}`);
  const pageErrors = errors.filter((e) => e.startsWith('page error'));
  if (pageErrors.length) throw new Error(pageErrors.join('; '));
  step('done');
} catch (e) {
  failed = true;
  console.error(`[console-e2e] FAILED: ${e.stack || e}`);
  for (const line of errors) console.error(`[console-e2e] ${line}`);
  try {
    const page = context.pages()[0];
    if (page) await page.screenshot({path: join(shots, 'failure.png'), fullPage: true});
  } catch { /* best effort */ }
} finally {
  await context.close();
  rmSync(profile, {recursive: true, force: true});
}
process.exit(failed ? 1 : 0);
