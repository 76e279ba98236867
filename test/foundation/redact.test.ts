// What the audit log and readers below EDITOR may see of a secret-bearing value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/domain/redact.js';
import { scrub } from '../../src/services/audit.js';

describe('redactUrl', () => {
  it('keeps the scheme and host of any URL, never its credentials, path, query or fragment', () => {
    const part = fc.stringMatching(/^[A-Za-z0-9]{6,12}$/);
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), part, part, part, (raw, user, pass, token) => {
        const u = new URL(raw);
        u.username = user;
        u.password = pass;
        u.searchParams.set('token', token);
        const shown = redactUrl(u.toString());
        expect(shown).toBe(`${u.protocol}//${u.host}/[redacted]`);
        for (const secret of [user, pass, token]) if (!u.host.includes(secret)) expect(shown).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });

  it('shows nothing of a string that is not a URL', () => {
    expect(redactUrl('not a url with p4ssw0rd')).toBe('[redacted]');
  });
});

describe('scrub (audit details)', () => {
  it('redacts secrets that were given, keeps absent ones absent, and reduces URL fields to their origin', () => {
    expect(
      scrub({
        webhookSecret: 's3cret',
        apiToken: null,
        security: 'public note',
        nested: [{ callbackUri: 'https://u:p@h.example:8443/x?token=t', password: '' }],
        webhookUrl: 'http://hooks.example/services/T/B/xyz',
      }),
    ).toEqual({
      webhookSecret: '[redacted]',
      apiToken: null,
      security: 'public note',
      nested: [{ callbackUri: 'https://h.example:8443/[redacted]', password: '' }],
      webhookUrl: 'http://hooks.example/[redacted]',
    });
  });
});
