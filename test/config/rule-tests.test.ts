// The rule test runner on its own: times, snoozes until a time, configuration monitors
// checked as apply checks them, and results equal to what the state machine does.
import { describe, expect, it } from 'vitest';
import { runRuleTests } from '../../src/services/config/rule-tests.js';
import { configSchema } from '../../src/services/config/apply.js';

const run = (text: string, config = '') => runRuleTests(text, configSchema(), () => config);

describe('runRuleTests', () => {
  it('reads ISO times and day N, and ends a snooze at its until', () => {
    const r = run(`tests:
  - name: snooze until
    start: 2024-05-06
    monitor: { comparator: LT, criticalThreshold: 0.5, repeatInterval: 1h }
    evaluations:
      - { at: "2024-05-06T00:00:00Z", value: 0.1 }
      - { at: "day 1 03:00", value: 0.1 }
    actions:
      - { at: "00:30", action: snooze, until: "02:00" }
    expect:
      - { at: "00:30", alert: SNOOZED, notified: [alert.snoozed] }
      - { at: "02:00", alert: FIRING, notified: [alert.firing] }
      - { at: "03:00", alert: FIRING, notified: [alert.reminder] }
`);
    expect(r).toEqual({ errors: [], tests: [{ name: 'snooze until', expectations: 3, failures: [] }] });
  });

  it('checks a configuration monitor as apply would, naming the configuration', () => {
    const config = `models:
  - { name: m, task: REGRESSION, features: [{ name: x, type: NUMERIC }] }
monitors:
  - { model: m, name: bad, metric: PSI, feature: nope, window: 1h, schedule: "0 * * * *", comparator: GT, warningThreshold: 1 }
`;
    const r = run(`config: c.yaml\ntests:\n  - { name: t, monitor: m/bad, expect: [{ at: "00:00", alert: NONE }] }\n`, config);
    expect(r.errors).toEqual(['config (c.yaml): monitors[0].feature: model m has no feature "nope" (it has x)']);
  });

  it('a monitor the configuration lacks is named', () => {
    const r = run(`config: c.yaml\ntests:\n  - { name: t, monitor: m/absent, expect: [{ at: "00:00", alert: NONE }] }\n`, 'monitors: []\n');
    expect(r.errors).toEqual(['tests[0].monitor: no monitor "m/absent" in c.yaml (write MODEL/NAME)']);
  });
});
