// credit-risk: a binary classifier scoring the probability that a loan defaults. From
// day 10 a new partner channel sends applicants with higher stated incomes (income
// shifts), its form has no employment field (employment_years arrives null), and a
// scoring bug lowers women's scores (their selection rate drops); the model's ranking
// gets worse as a result. On day 4 a partner API outage blanks employment_years for
// six hours, then recovers. On day 12 v2 ships as a canary (half the traffic) with the
// scoring bug fixed. Every prediction carries its SHAP values: the model is linear in
// the logit over standardised inputs centred on the training data, so each feature's
// exact SHAP value is its term of the logit (coefficient x standardised value).
import type { CreateModelArgs } from '../services/models.js';
import { createRandom, seedOf, type Random } from './random.js';
import { clamp, round, sigmoid, HOUR_MS, type DemoModelSim, type Phase, type SimulatedRow } from './simulation.js';

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

/** One applicant, its score and whether the loan defaulted; `version` scores it (null: v1 before v2 exists). */
function applicant(rng: Random, phase: Phase, version: string | null = null): SimulatedRow {
  const d = phase.drift;
  const trueIncome = Math.exp(rng.normal(LOG_INCOME_MEAN, LOG_INCOME_SD));
  // the partner channel's applicants overstate income by up to 45%
  const statedIncome = trueIncome * (1 + 0.45 * d * (rng.chance(0.8) ? 1 : 0));
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

  const employmentMissing = phase.incident || rng.chance(0.35 * d);
  // after day 12 half the traffic goes to v2 (drawn only then, so earlier days stay as they were)
  const v = version ?? (phase.day >= V2_DAY ? (rng.chance(0.5) ? V2 : V1) : null);
  // the model imputes the mean when employment is missing, and v1 after the bug shifts
  // women's scores down (v2 fixes it)
  const terms = {
    income: -0.8 * zStated,
    age: -0.3 * zAge,
    debt_ratio: 1.0 * zDebt,
    employment_years: employmentMissing ? 0 : -0.4 * zEmp,
    region: 0,
    gender: gender === 'F' && v !== V2 ? -0.7 * d : 0,
  };
  const modelLogit = -1.1 + terms.income + terms.age + terms.debt_ratio + terms.employment_years + terms.gender;
  const trueLogit = -1.1 - 0.8 * zTrue + 1.0 * zDebt - 0.3 * zAge - 0.4 * zEmp + rng.normal(0, 0.3 + 1.6 * d);
  const defaulted = rng.chance(sigmoid(trueLogit));

  return {
    features: {
      income: Math.round(statedIncome / 100) * 100,
      age,
      debt_ratio: debtRatio,
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

/** The credit-risk simulation: labels arrive for 85% of loans, 6 to 48 hours later. */
export const creditRiskSim: DemoModelSim = {
  prefix: 'cr',
  seed: 0xc4ed17,
  incident: [4 + 9 / 24, 4 + 15 / 24],
  labelRate: 0.85,
  labelDelayMs: (rng) => Math.round(rng.uniform(6, 48) * HOUR_MS),
  row: applicant,
};
