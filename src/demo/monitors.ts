// The demo's monitors: no channels (nothing leaves the machine), every six hours (traffic:
// daily), with thresholds set so the story's incidents open alerts and calm traffic does
// not. Two show what labels that come a month late call for: AUC estimated from the
// scores alone (CBPE) beside the measured AUC, which waits for the outcomes; and traffic
// judged against a band learned from the same weekday of the past five weeks.
import type { CreateMonitorArgs } from '../services/monitors.js';
import { CREDIT_RISK } from './credit-risk.js';
import { DELIVERY_ETA } from './delivery-eta.js';

/** Every six hours, on the hour (UTC). */
export const DEMO_SCHEDULE = '0 */6 * * *';
/** Every day at midnight UTC. */
export const DAILY_SCHEDULE = '0 0 * * *';

/** The monitors the demo creates, in the order it creates (and evaluates) them. */
export function demoMonitors(): CreateMonitorArgs[] {
  const every6h = { schedule: DEMO_SCHEDULE, repeatInterval: '24h', channels: [] };
  return [
    {
      ...every6h,
      model: CREDIT_RISK,
      name: 'income drift',
      metric: 'PSI',
      feature: 'income',
      window: '24h',
      comparator: 'GT',
      warningThreshold: 0.1,
      criticalThreshold: 0.25,
      minSampleSize: 100,
    },
    {
      ...every6h,
      model: CREDIT_RISK,
      name: 'employment_years missing',
      metric: 'MISSING_RATE',
      feature: 'employment_years',
      window: '6h',
      comparator: 'GT',
      warningThreshold: 0.05,
      criticalThreshold: 0.2,
      minSampleSize: 50,
    },
    {
      ...every6h,
      model: CREDIT_RISK,
      name: 'ranking quality (AUC)',
      metric: 'AUC',
      window: '3d',
      comparator: 'LT',
      warningThreshold: 0.75,
      criticalThreshold: 0.7,
      // judged on a well-filled window only: with outcomes a month late, NO_DATA throughout the demo
      minSampleSize: 3000,
    },
    {
      ...every6h,
      model: CREDIT_RISK,
      name: 'four-fifths rule by gender',
      metric: 'DISPARATE_IMPACT_RATIO',
      attribute: 'gender',
      window: '24h',
      comparator: 'LT',
      warningThreshold: 0.8,
      criticalThreshold: 0.6,
      minSampleSize: 500,
    },
    {
      ...every6h,
      model: DELIVERY_ETA,
      name: 'eta error (RMSE)',
      metric: 'RMSE',
      window: '6h',
      comparator: 'GT',
      warningThreshold: 6,
      criticalThreshold: 9,
      minSampleSize: 100,
    },
    {
      ...every6h,
      model: DELIVERY_ETA,
      name: 'distance drift',
      metric: 'PSI',
      feature: 'distance_km',
      window: '24h',
      comparator: 'GT',
      warningThreshold: 0.1,
      criticalThreshold: 0.25,
      minSampleSize: 100,
    },
    // last, so the first six keep their ids
    {
      ...every6h,
      model: CREDIT_RISK,
      name: 'ranking quality, estimated (no labels)',
      metric: 'ESTIMATED_AUC',
      window: '24h',
      comparator: 'LT',
      warningThreshold: 0.75,
      criticalThreshold: 0.7,
      minSampleSize: 500,
    },
    {
      model: CREDIT_RISK,
      name: 'daily applications (weekly band)',
      metric: 'PREDICTION_COUNT',
      window: '24h',
      schedule: DAILY_SCHEDULE,
      repeatInterval: '24h',
      channels: [],
      comparator: 'LT',
      // a weekday against past weekdays, a Sunday against Sundays: quiet weekends page nobody;
      // wide, as five past values make a rough σ
      autoThreshold: { lookback: '35d', warningSigmas: 6, criticalSigmas: 9, seasonality: 'WEEKLY' },
    },
  ];
}
