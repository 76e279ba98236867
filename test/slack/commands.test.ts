// /glassbox and @Glassbox through signed HTTP requests to the real server's /slack/events,
// answers read back from the fake Slack (respond() calls and chat.postMessage).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPercent } from '../../src/slack/blocks/format.js';
import { slackSignature, slashCommand, urlVerification } from '../helpers/slack-signer.js';
import { SECRET, seedCreditRisk, startSlackWorld, type SlackWorld } from './support.js';

let w: SlackWorld;
let accuracy: number;
const blocksText = (c: { args: Record<string, any> }) => JSON.stringify(c.args.blocks ?? []);

beforeAll(async () => {
  w = await startSlackWorld();
  ({ accuracy } = await seedCreditRisk(w));
});
afterAll(async () => {
  await w?.stop();
});

describe('signatures', () => {
  it('answers url_verification when signed', async () => {
    const res = await w.send(urlVerification(SECRET, 'challenge-xyz', { ts: w.ts() }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'challenge-xyz' });
  });

  it('refuses a forged signature with 401 and runs nothing', async () => {
    const before = w.fake.calls.length;
    const res = await w.send(slashCommand(SECRET, { text: 'models', responseUrl: `${w.fake.respondUrl}/forged` }, { ts: w.ts(), secret: 'not-the-secret' }));
    expect(res.status).toBe(401);
    const unsigned = await w.send({ body: 'command=%2Fglassbox&text=models', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(unsigned.status).toBe(401);
    expect(w.fake.calls.length).toBe(before);
  });

  it('refuses a request signed more than five minutes ago (by the server clock) with 401', async () => {
    const stale = slashCommand(SECRET, { text: 'help', responseUrl: `${w.fake.respondUrl}/stale` }, { ts: w.ts() - 301 });
    expect((await w.send(stale)).status).toBe(401);
    const fresh = slashCommand(SECRET, { text: 'help', responseUrl: `${w.fake.respondUrl}/fresh` }, { ts: w.ts() - 299 });
    expect((await w.send(fresh)).status).toBe(200);
  });

  it('refuses a body changed after signing', async () => {
    const req = slashCommand(SECRET, { text: 'models', responseUrl: `${w.fake.respondUrl}/x` }, { ts: w.ts() });
    const tampered = { ...req, body: req.body.replace('models', 'alerts') };
    expect((await w.send(tampered)).status).toBe(401);
    expect(req.headers['x-slack-signature']).toBe(slackSignature(SECRET, w.ts(), req.body));
  });
});

describe('/glassbox', () => {
  it('help answers in the acknowledgement itself', async () => {
    const r = await w.command('help');
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('status MODEL');
  });

  it('an unknown subcommand gets the help, saying what was not understood', async () => {
    const r = await w.command('dance credit-risk');
    expect(JSON.parse(r.body).text).toMatch(/I don't know "dance".*Glassbox commands/);
  });

  it('models lists every model, worst first, via respond()', async () => {
    const r = await w.command('models');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    const c = await r.respond();
    expect(c.args.response_type).toBe('in_channel');
    expect(c.args.text).toContain('2 models');
    // credit-risk has traffic and a baseline (HEALTHY); house-prices has neither (UNKNOWN)
    expect(c.args.text.indexOf('house-prices UNKNOWN')).toBeLessThan(c.args.text.indexOf('credit-risk HEALTHY'));
    expect(blocksText(c)).toContain('40 events in 24h');
  });

  it('status MODEL answers with the numbers', async () => {
    const c = await (await w.command('status credit-risk')).respond();
    expect(c.args.text).toContain('credit-risk is HEALTHY: 40 events in 24h');
    expect(c.args.text).toContain(`accuracy ${formatPercent(accuracy)} (7d)`);
    expect(c.args.text).toMatch(/worst drift income PSI \d+\.\d\d/);
    expect(blocksText(c)).toMatch(/[▁▂▃▄▅▆▇█]/);
  });

  it('status with a mistyped model suggests the closest name, privately', async () => {
    const c = await (await w.command('status credit-rsik')).respond();
    expect(c.args.response_type).toBe('ephemeral');
    expect(c.args.text).toContain('No model named "credit-rsik". Did you mean credit-risk?');
  });

  it('alerts and alerts MODEL say when nothing is open', async () => {
    expect((await (await w.command('alerts')).respond()).args.text).toBe('No open alerts.');
    expect((await (await w.command('alerts credit-risk')).respond()).args.text).toBe('No open alerts for credit-risk.');
    expect((await (await w.command('alerts nope')).respond()).args.text).toContain('No model named "nope"');
  });

  it('drift MODEL [WINDOW] ranks features by PSI', async () => {
    const c = await (await w.command('drift credit-risk')).respond();
    expect(c.args.text).toMatch(/^Drift of credit-risk, last 24h: worst income PSI \d/);
    const body = blocksText(c);
    expect(body.indexOf('*income*')).toBeLessThan(body.indexOf('*region*'));
    const week = await (await w.command('drift credit-risk 7d')).respond();
    expect(week.args.text).toContain('last 7d');
    const none = await (await w.command('drift house-prices')).respond();
    expect(none.args.text).toContain('house-prices has no baseline yet');
  });

  it('performance MODEL [WINDOW] shows the task metrics', async () => {
    const c = await (await w.command('performance credit-risk')).respond();
    expect(c.args.text).toContain(`Performance of credit-risk, last 7d: accuracy ${formatPercent(accuracy)}`);
    expect(c.args.text).toContain('40 of 40 events labelled (100.0%)');
    const day = await (await w.command('performance credit-risk 24h')).respond();
    expect(day.args.text).toContain('last 24h');
    const bad = await w.command('performance credit-risk fortnight');
    expect(JSON.parse(bad.body).text).toContain('"fortnight" is not a window');
  });
});

describe('@Glassbox', () => {
  it('answers status in the mention thread', async () => {
    const c = await w.mention('status credit-risk');
    expect(c.args.channel).toBe('C0ONCALL');
    expect(c.args.text).toContain('credit-risk is HEALTHY');
  });

  it('understands "how is MODEL doing?"', async () => {
    const c = await w.mention('how is credit-risk doing?');
    expect(c.args.text).toContain('credit-risk is HEALTHY: 40 events in 24h');
  });

  it('replies inside an existing thread when mentioned there', async () => {
    const c = await w.mention('alerts', { threadTs: '1714953600.000001' });
    expect(c.args.thread_ts).toBe('1714953600.000001');
    expect(c.args.text).toBe('No open alerts.');
  });

  it('takes every subcommand, and help for anything else', async () => {
    expect((await w.mention('models')).args.text).toContain('2 models');
    expect((await w.mention('drift credit-risk 24h')).args.text).toContain('Drift of credit-risk');
    expect((await w.mention('performance credit-risk')).args.text).toContain('Performance of credit-risk');
    expect((await w.mention('help')).args.text).toContain('Glassbox commands');
    expect((await w.mention('sing')).args.text).toContain('I don\'t know "sing"');
    expect((await w.mention('how is credit-rsik doing?')).args.text).toContain('Did you mean credit-risk?');
  });
});
