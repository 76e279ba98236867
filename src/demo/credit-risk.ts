// credit-risk: a binary classifier scoring the probability that a loan defaults. Its
// loan outcomes (the labels) come a month after the prediction, when the first repayment
// falls due, so the demo's last four weeks have none yet; four calm weeks before the story
// give its oldest predictions their outcomes and its traffic monitor the weeks it learns
// from. Applications are fewer at weekends. From day 10 a new partner channel sends most
// applicants: its form prefills income with 75,000 (income drifts) and has no employment
// or debt fields (employment_years and debt_ratio arrive null, imputed by the model), so
// the model scores those applicants almost alike and ranks worse: the estimated AUC falls
// at once, while the measured AUC waits for outcomes. A scoring bug also lowers women's
// scores (their selection rate drops). On day 4 a partner API outage blanks
// employment_years for six hours, then recovers. On day 12 v2 ships as a canary (half the
// traffic) with the scoring bug fixed. Every prediction carries its SHAP values: the model
// is linear in the logit over standardised inputs centred on the training data, so each
// feature's exact SHAP value is its term of the logit (coefficient x standardised value).
import type { CreateModelArgs } from '../services/models.js';
import { createRandom, seedOf, type Random } from './random.js';
import { clamp, round, sigmoid, DAY_MS, HOUR_MS, type DemoModelSim, type Phase, type SimulatedRow } from './simulation.js';

export const CREDIT_RISK = 'credit-risk';
/** The day v2 ships, as a canary taking half the traffic. */
export const V2_DAY = 12;
export const V1 = 'v1';
export const V2 = 'v2';
/** The segment the demo defines: applications from the EU. */
export const EU_SEGMENT = { name: 'eu', conditions: [{ feature: 'region', in: ['EU'] }] };

/** The model as the demo registers it. */
export function creditRiskModel(description: string): CreateModelArgs {
  return {
    name: CREDIT_RISK,
    task: 'BINARY_CLASSIFICATION',
    description,
    positiveClass: 'default',
    decisionThreshold: 0.35,
    features: [
      { name: 'income', type: 'NUMERIC' },
      { name: 'age', type: 'NUMERIC', min: 18, max: 100 },
      { name: 'debt_ratio', type: 'NUMERIC' },
      { name: 'employment_years', type: 'NUMERIC' },
      { name: 'region', type: 'CATEGORICAL' },
      { name: 'gender', type: 'CATEGORICAL', protected: true },
    ],
  };
}

const LOG_INCOME_MEAN = 10.8;
const LOG_INCOME_SD = 0.45;

/** The income the partner channel's form prefills, which most of its applicants leave. */
export const PARTNER_INCOME = 75_000;
/** At full drift, the partner channel's share of applicants. */
const PARTNER_SHARE = 0.8;

/** One applicant, its score and whether the loan defaulted; `version` scores it (null: v1 before v2 exists). */
function applicant(rng: Random, phase: Phase, version: string | null = null): SimulatedRow {
  const d = phase.drift;
  const partner = rng.chance(PARTNER_SHARE * d);
  const trueIncome = Math.exp(rng.normal(LOG_INCOME_MEAN, LOG_INCOME_SD));
  const statedIncome = partner ? PARTNER_INCOME : trueIncome;
  const age = Math.round(clamp(rng.normal(42, 12), 18, 85));
  const debtRatio = round(clamp(rng.normal(0.35, 0.15), 0, 1.5), 3);
  const employment = Math.round(clamp(rng.normal(8, 6), 0, 45));
  const region = rng.pick({ EU: 30, US: 25, UK: 20, APAC: 25 });
  const gender = rng.pick({ F: 48, M: 52 });

  const zTrue = (Math.log(trueIncome) - LOG_INCOME_MEAN) / LOG_INCOME_SD;
  const zStated = (Math.log(statedIncome) - LOG_INCOME_MEAN) / LOG_INCOME_SD;
  const zDebt = (debtRatio - 0.35) / 0.15;
  const zAge = (age - 42) / 12;
  const zEmp = (employment - 8) / 6;

  const employmentMissing = phase.incident || partner;
  const debtMissing = partner;
  // after day 12 half the traffic goes to v2 (drawn only then, so earlier days stay as they were)
  const v = version ?? (phase.day >= V2_DAY ? (rng.chance(0.5) ? V2 : V1) : null);
  // the model imputes the mean of a missing input (a zero term), and v1 after the bug
  // shifts women's scores down (v2 fixes it)
  const terms = {
    income: -0.8 * zStated,
    age: -0.3 * zAge,
    debt_ratio: debtMissing ? 0 : 1.0 * zDebt,
    employment_years: employmentMissing ? 0 : -0.4 * zEmp,
    region: 0,
    gender: gender === 'F' && v !== V2 ? -0.7 * d : 0,
  };
  const modelLogit = -1.1 + terms.income + terms.age + terms.debt_ratio + terms.employment_years + terms.gender;
  // the truth depends on what the applicant is, whatever the form said
  const trueLogit = -1.1 - 0.8 * zTrue + 1.0 * zDebt - 0.3 * zAge - 0.4 * zEmp + rng.normal(0, 0.3);
  const defaulted = rng.chance(sigmoid(trueLogit));

  return {
    features: {
      income: Math.round(statedIncome / 100) * 100,
      age,
      debt_ratio: debtMissing ? null : debtRatio,
      employment_years: employmentMissing ? null : employment,
      region,
      gender,
    },
    score: round(sigmoid(modelLogit), 4),
    actualLabel: defaulted ? 'default' : 'repaid',
    ...(v ? { modelVersion: v } : {}),
    attributions: Object.fromEntries(Object.entries(terms).map(([f, t]) => [f, round(t, 4)])),
  };
}

/** v2's own baseline: a fresh training sample (its own seed), scored by v2. */
export function creditRiskV2Baseline(n: number): SimulatedRow[] {
  const rng = createRandom(seedOf(creditRiskSim.seed, -2));
  const calm = { day: -1, drift: 0, incident: false };
  return Array.from({ length: n }, () => {
    const { modelVersion: _scoredBy, ...row } = applicant(rng, calm, V2);
    return row;
  });
}

/** Saturdays and Sundays (UTC) bring this share of a weekday's applications. */
export const WEEKEND_VOLUME = 0.6;
/** A loan's outcome arrives this long after its prediction (the first repayment falls due), within a day. */
export const LABEL_DELAY_DAYS = 30;
/** Calm weeks of traffic logged before the story's 14 days (not monitored then). */
export const PRE_HISTORY_DAYS = 28;

/** The credit-risk simulation: outcomes arrive for 85% of loans, 30 to 31 days later. */
export const creditRiskSim: DemoModelSim = {
  prefix: 'cr',
  seed: 0xc4ed17,
  incident: [4 + 9 / 24, 4 + 15 / 24],
  labelRate: 0.85,
  labelDelayMs: (rng) => Math.round(LABEL_DELAY_DAYS * DAY_MS + rng.uniform(0, 24) * HOUR_MS),
  preHistoryDays: PRE_HISTORY_DAYS,
  volume: (hourStart) => ([0, 6].includes(new Date(hourStart).getUTCDay()) ? WEEKEND_VOLUME : 1),
  row: applicant,
};
