// What may be shown of a secret-bearing value. A webhook URL is a secret: its userinfo,
// path and query often carry the credentials (https://user:pass@host/…?token=…,
// Slack's /services/T…/B…/<secret>), so only the scheme and host remain.

export const REDACTED = '[redacted]';

/** `https://host[:port]/[redacted]`, or `[redacted]` for a string that is not a URL. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}/${REDACTED}`;
  } catch {
    return REDACTED;
  }
}
