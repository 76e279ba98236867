// The console in a real browser (Debian's Chromium driven by playwright-core; no browser
// download): the demo's models, a drift chart with the API's points, acknowledging an alert
// from the page, a backtest drawn before saving a monitor, the key prompt (a wrong key, a
// VIEWER key that gets no button), narrowing by version and segment, estimated performance
// beside the measured one, and a wide model's month of hourly charts in time.
// Screenshots go to a temporary folder, or to GLASSBOX_SCREENSHOTS (e.g. docs/img).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { silentLogger } from '../../src/log.js';
import { CONSOLE_DIR } from '../../src/http/console.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createTestDatabase } from '../helpers/test-store.js';
import { seedWideModel } from '../helpers/wide-model.js';

const CHROMIUM = '/usr/bin/chromium';
// the present of the demo, the server and the browser alike: half past the last hour, so
// that the wide model's traffic fills the window the page asks for (it ends in now's hour)
const NOW = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 1_800_000;
const shots = process.env.GLASSBOX_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'glassbox-console-shots-'));

if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
if (!existsSync(join(CONSOLE_DIR, 'index.html'))) throw new Error('the console is not built: npm run build');

let server: TestServer;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glassbox-console-'));
  const database = await createTestDatabase(dir);
  await runDemo({ dbPath: database.db, reset: false, out: new PassThrough(), now: NOW, progress: false, log: silentLogger() });
  server = await startTestServer({ dir, database, ownsDatabase: true, now: NOW });
  await seedWideModel(server, 'wide', NOW);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  mkdirSync(shots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh browser profile (its own localStorage) at a laptop's size; page errors fail the test. */
async function open(path: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.clock.setFixedTime(NOW);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}${path}`);
  return { context, page, errors };
}

const nonNull = (points: Array<{ value: number | null }>) => points.filter((p) => p.value !== null).length;

/** The window the page asks for with ?window=7d: the last 7 days, to the end of now's hour. */
const WEEK = {
  from: new Date(Math.ceil(NOW / 3_600_000) * 3_600_000 - 7 * 86_400_000).toISOString(),
  to: new Date(Math.ceil(NOW / 3_600_000) * 3_600_000).toISOString(),
};

/** The GraphQL variables of the series batches the page sends from now on. */
function seriesVariables(page: Page): Array<Record<string, unknown>> {
  const seen: Array<Record<string, unknown>> = [];
  page.on('request', (r) => {
    const body = r.postData();
    if (body?.includes('query Series')) seen.push(JSON.parse(body).variables);
  });
  return seen;
}

/** Chooses an option of a page-level selector and waits for the charts it asks for. */
async function choose(page: Page, name: string, value: string): Promise<void> {
  const asked = page.waitForRequest((r) => (r.postData() ?? '').includes('query Series'));
  await page.locator(`.controls select[name="${name}"]`).selectOption(value);
  await (await asked).response();
  await page.locator('.grid[data-loaded="yes"]').waitFor();
}

describe('the console', () => {
  it('local mode: no key asked; the demo models with their health', async () => {
    const { context, page, errors } = await open('/');
    await page.locator('tr[data-model="credit-risk"]').waitFor();
    expect(await page.locator('.key-prompt').count()).toBe(0);
    expect(await page.locator('.who').textContent()).toContain('local mode');
    expect(await page.locator('tr[data-model="credit-risk"] .badge').textContent()).toBe('CRITICAL');
    expect(await page.locator('tr[data-model="delivery-eta"] .badge').textContent()).toBe('HEALTHY');
    await page.screenshot({ path: join(shots, 'console-models.png') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("draws credit-risk's drift per feature with the API's points", async () => {
    const { context, page, errors } = await open('/models/credit-risk/drift?window=7d&g=HOUR');
    await page.locator('.grid[data-loaded="yes"]').waitFor();
    const chart = page.locator('figure.chart[data-title="income · PSI"]');
    await chart.locator('canvas').waitFor();
    const api = await server.gql(`{ model(name: "credit-risk") { series(metric: PSI, feature: "income", granularity: HOUR, from: "${WEEK.from}", to: "${WEEK.to}") { value } } }`);
    const points = Number(await chart.getAttribute('data-points'));
    expect(points).toBeGreaterThan(100);
    expect(points).toBe(nonNull(api.data.model.series));
    // the window's figures: income drifts most (the demo's story)
    expect(await page.locator('table.figures tbody tr').nth(1).getAttribute('data-feature')).toBe('income');
    await page.screenshot({ path: join(shots, 'console.png') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('narrows the charts and figures by version and segment, kept in the URL', async () => {
    const { context, page, errors } = await open('/models/credit-risk/traffic?window=7d&g=HOUR');
    const sent = seriesVariables(page);
    await page.locator('.grid[data-loaded="yes"]').waitFor();
    expect(await page.locator('.controls select[name="version"] option').allTextContents()).toEqual(['all', 'v1 (current)', 'v2']);
    expect(await page.locator('.controls select[name="segment"] option').allTextContents()).toEqual(['all', 'eu']);
    const chart = page.locator('figure.chart[data-title="prediction count"]');
    const counts = async (slice: string) => {
      const api = await server.gql(`{ model(name: "credit-risk") { series(metric: PREDICTION_COUNT, granularity: HOUR, from: "${WEEK.from}", to: "${WEEK.to}"${slice}) { value } } }`);
      return nonNull(api.data.model.series);
    };
    const all = Number(await chart.getAttribute('data-points'));
    expect(all).toBe(await counts(''));

    // v2 ships late in the demo's history: fewer hours of its traffic in the week
    await choose(page, 'version', 'v2');
    expect(new URL(page.url()).searchParams.get('version')).toBe('v2');
    expect(sent.at(-1)).toMatchObject({ name: 'credit-risk', version: 'v2' });
    expect(sent.at(-1)).not.toHaveProperty('segment');
    const v2 = Number(await chart.getAttribute('data-points'));
    expect(v2).toBe(await counts(', version: "v2"'));
    expect(v2).toBeGreaterThan(0);
    expect(v2).toBeLessThan(all);

    // both at once, in the request and in the window's figures
    await choose(page, 'segment', 'eu');
    expect(sent.at(-1)).toMatchObject({ version: 'v2', segment: 'eu' });
    expect(Number(await chart.getAttribute('data-points'))).toBe(await counts(', version: "v2", segment: "eu"'));
    const traffic = await server.gql(`{ model(name: "credit-risk") { all: traffic(from: "${WEEK.from}", to: "${WEEK.to}") { predictionCount } eu: traffic(from: "${WEEK.from}", to: "${WEEK.to}", version: "v2", segment: "eu") { predictionCount } } }`);
    const { all: total, eu } = traffic.data.model;
    expect(eu.predictionCount).toBeLessThan(total.predictionCount);
    await page.locator('dl.figures dd', { hasText: eu.predictionCount.toLocaleString('en') }).first().waitFor();

    // the URL keeps the choice: a reload (or a shared link) shows the same slice
    await page.reload();
    await page.locator('.grid[data-loaded="yes"]').waitFor();
    expect(await page.locator('.controls select[name="version"]').inputValue()).toBe('v2');
    expect(await page.locator('.controls select[name="segment"]').inputValue()).toBe('eu');

    // back to all versions: the argument is no longer sent
    await choose(page, 'version', '');
    expect(sent.at(-1)).not.toHaveProperty('version');
    expect(sent.at(-1)).toMatchObject({ segment: 'eu' });

    // a model without versions or segments shows no selector
    await page.goto(`${server.url}/models/delivery-eta/traffic?window=7d`);
    await page.locator('.grid[data-loaded="yes"]').waitFor();
    expect(await page.locator('.controls select[name="version"], .controls select[name="segment"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
   }, 90_000);

  it('shows estimated performance (CBPE) beside the measured one, labelled as such', async () => {
    const { context, page, errors } = await open('/models/credit-risk/performance?window=7d&g=HOUR');
    const table = page.locator('table.figures.performance');
    await table.waitFor();
    const api = await server.gql(`{ model(name: "credit-risk") { performance(from: "${WEEK.from}", to: "${WEEK.to}") { accuracy estimated { accuracy auc } } } }`);
    const est = api.data.model.performance.estimated;
    expect(est.accuracy).not.toBeNull();
    expect(await table.locator('thead').textContent()).toContain('Estimated (CBPE)');
    expect(await table.locator('tr[data-metric="ACCURACY"] td[data-estimated]').getAttribute('data-estimated')).toBe(String(est.accuracy));
    expect(await table.locator('tr[data-metric="AUC"] td[data-estimated]').getAttribute('data-estimated')).toBe(String(est.auc));
    // no estimate for a metric CBPE does not give
    expect(await table.locator('tr[data-metric="LOG_LOSS"] td[data-estimated]').count()).toBe(0);

    // the chart draws both, the estimate named as one
    await page.locator('.grid[data-loaded="yes"]').waitFor();
    const chart = page.locator('figure.chart[data-title="accuracy"]');
    await chart.locator('canvas').waitFor();
    expect(await chart.getAttribute('data-estimated')).toBe('yes');
    const legend = await chart.locator('.u-legend').textContent();
    expect(legend).toContain('measured accuracy');
    expect(legend).toContain('estimated accuracy');
    const series = await server.gql(`{ model(name: "credit-risk") { m: series(metric: ACCURACY, granularity: HOUR, from: "${WEEK.from}", to: "${WEEK.to}") { value } e: series(metric: ESTIMATED_ACCURACY, granularity: HOUR, from: "${WEEK.from}", to: "${WEEK.to}") { value } } }`);
    expect(Number(await chart.getAttribute('data-points'))).toBe(nonNull(series.data.model.m) + nonNull(series.data.model.e));
    await page.screenshot({ path: join(shots, 'console-performance.png') });

    // a regression model has no estimate: measured only, nothing said to be estimated
    await page.goto(`${server.url}/models/delivery-eta/performance?window=7d&g=DAY`);
    await page.locator('.grid[data-loaded="yes"]').waitFor();
    expect(await page.locator('table.figures.performance').count()).toBe(0);
    expect(await page.locator('figure.chart[data-estimated]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('acknowledges an alert from the page, and the API says so', async () => {
    const { context, page, errors } = await open('/models/credit-risk/alerts');
    const firing = page.locator('li.alert[data-status="FIRING"]').first();
    await firing.waitFor();
    const id = await firing.getAttribute('data-alert');
    await firing.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator(`li.alert[data-alert="${id}"][data-status="ACKNOWLEDGED"]`).waitFor();
    const api = await server.gql(`{ alert(id: "${id}") { status acknowledgedBy } }`);
    expect(api.data.alert).toEqual({ status: 'ACKNOWLEDGED', acknowledgedBy: 'local' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws a backtest before saving a monitor', async () => {
    const { context, page, errors } = await open('/models/credit-risk/monitors');
    await page.getByRole('button', { name: 'New monitor' }).click();
    const form = page.locator('form.monitor-form');
    await form.locator('input[name="name"]').fill('income-psi-console');
    await form.locator('select[name="metric"]').selectOption('PSI');
    await form.locator('select[name="target"]').selectOption({ label: 'income' });
    await form.locator('input[name="warning"]').fill('0.1');
    await form.locator('input[name="critical"]').fill('0.25');
    const save = form.getByRole('button', { name: 'Save monitor' });
    expect(await save.isDisabled()).toBe(true);
    await form.getByRole('button', { name: /Backtest/ }).click();
    await form.locator('.backtest canvas').waitFor();
    expect(Number(await form.locator('.backtest').getAttribute('data-runs'))).toBeGreaterThan(100);
    await save.click();
    await page.locator('article.monitor[data-monitor="income-psi-console"]').waitFor();
    const api = await server.gql('{ monitors(model: "credit-risk") { name metric feature warningThreshold criticalThreshold } }');
    expect(api.data.monitors).toContainEqual({ name: 'income-psi-console', metric: 'PSI', feature: 'income', warningThreshold: 0.1, criticalThreshold: 0.25 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a month of hourly drift for 20 features: one request for the series, every chart drawn (the time is logged, not asserted: speed belongs to benchmarks)', async () => {
    const { context, page, errors } = await open('/');
    await page.locator('tr[data-model="wide"]').waitFor();
    const series: string[] = [];
    page.on('request', (r) => r.postData()?.includes('query Series') && series.push(r.url()));
    const started = Date.now();
    await page.goto(`${server.url}/models/wide/drift?window=30d&g=HOUR`);
    await page.locator('.grid[data-loaded="yes"]').waitFor({ timeout: 20_000 });
    await page.locator('figure.chart canvas').nth(20).waitFor();
    const ms = Date.now() - started;
    const counts = await page.locator('figure.chart').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-points'))));
    console.log(`console: 21 charts of 30 days hourly drawn in ${ms} ms (${series.length} series requests)`);
    expect(counts).toHaveLength(21);
    // every hour of the month has traffic, so every feature chart has a point per hour
    expect(Math.min(...counts.slice(1))).toBe(720);
    expect(series).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks for a key once; a wrong key gets a clear message; a VIEWER key gets no button', async () => {
    const admin = await server.gql('mutation { createApiKey(name: "ops", role: ADMIN) { secret } }');
    const adminKey = admin.data.createApiKey.secret as string;
    const viewer = await server.gql('mutation { createApiKey(name: "auditor", role: VIEWER) { secret } }', undefined, adminKey);
    const viewerKey = viewer.data.createApiKey.secret as string;

    const { context, page, errors } = await open('/models/credit-risk/alerts');
    const prompt = page.locator('form.key-prompt');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('This server needs an API key');
    await prompt.locator('input[name="key"]').fill('not-a-key');
    await prompt.getByRole('button').click();
    await page.getByText('This key was refused: the API key is unknown or revoked.').waitFor();
    await prompt.locator('input[name="key"]').fill(viewerKey);
    await prompt.getByRole('button').click();
    await page.locator('li.alert').first().waitFor();
    expect(await page.locator('.who').textContent()).toBe('auditor · VIEWER');
    expect(await page.getByRole('button', { name: /Acknowledge|Resolve/ }).count()).toBe(0);
    expect(await page.locator('select[aria-label="Snooze"]').count()).toBe(0);
    await page.locator('nav.tabs a', { hasText: 'monitors' }).click();
    await page.locator('article.monitor').first().waitFor();
    expect(await page.getByRole('button', { name: 'New monitor' }).count()).toBe(0);
    // kept in the browser: a reload asks no more
    await page.reload();
    await page.locator('article.monitor').first().waitFor();
    expect(await page.locator('form.key-prompt').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
