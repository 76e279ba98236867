// The signature check on its own: Slack's scheme, our clock, five minutes either way.
import { describe, expect, it } from 'vitest';
import { checkSlackSignature } from '../../src/slack/verify.js';
import { slackSignature } from '../helpers/slack-signer.js';

const SECRET = 'shhh-signing-secret';
const NOW = Date.parse('2024-05-06T08:00:00Z');
const ts = Math.floor(NOW / 1000);
const body = 'command=%2Fglassbox&text=help';

function check(sig: string | undefined, t: number | string | undefined, b = body) {
  return checkSlackSignature(SECRET, { signature: sig, timestamp: t === undefined ? undefined : String(t) }, b, NOW);
}

describe('checkSlackSignature', () => {
  it('accepts a request signed as Slack signs it', () => {
    expect(check(slackSignature(SECRET, ts, body), ts)).toEqual({ ok: true });
    expect(check(slackSignature(SECRET, ts - 300, body), ts - 300)).toEqual({ ok: true });
  });

  it('refuses another secret, a changed body, missing headers', () => {
    expect(check(slackSignature('other', ts, body), ts)).toMatchObject({ ok: false, reason: 'signature mismatch' });
    expect(check(slackSignature(SECRET, ts, body), ts, `${body}x`)).toMatchObject({ ok: false });
    expect(check(undefined, ts)).toMatchObject({ ok: false });
    expect(check(slackSignature(SECRET, ts, body), undefined)).toMatchObject({ ok: false });
    expect(check('v0=short', ts)).toMatchObject({ ok: false });
  });

  it('refuses a timestamp more than five minutes from our clock, either way', () => {
    expect(check(slackSignature(SECRET, ts - 301, body), ts - 301)).toMatchObject({ ok: false, reason: expect.stringContaining('301 s') });
    expect(check(slackSignature(SECRET, ts + 301, body), ts + 301)).toMatchObject({ ok: false });
    expect(check(slackSignature(SECRET, ts, body), 'yesterday')).toMatchObject({ ok: false });
  });
});
