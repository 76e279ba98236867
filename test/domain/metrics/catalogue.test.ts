// The metric catalogue is the one source: the SDL's Metric enum, the GraphQL result fields,
// the values monitors read and Slack's words all agree with it.
import { describe, expect, it } from 'vitest';
import { isEnumType, isObjectType, type GraphQLSchema } from 'graphql';
import { buildSchema } from '../../../src/graphql/server.js';
import { METRIC_NAMES, METRICS, metricsOf } from '../../../src/domain/metrics/catalogue.js';
import { METRICS as VALUE_METRICS } from '../../../src/domain/metrics/metric-value.js';
import { TASK_METRICS, headlineMetric } from '../../../src/slack/blocks/performance.js';
import { formatMetricValue, metricLabel } from '../../../src/slack/blocks/format.js';

const RESULT_TYPE = { drift: 'FeatureDrift', integrity: 'FeatureIntegrity', performance: 'Performance', fairness: 'Fairness', traffic: 'Traffic', estimated: 'EstimatedPerformance' } as const;

const schema: GraphQLSchema = buildSchema();

describe('the metric catalogue', () => {
  it('holds exactly the values of the SDL Metric enum', () => {
    const e = schema.getType('Metric');
    if (!isEnumType(e)) throw new Error('Metric is not an enum');
    expect([...METRIC_NAMES].sort()).toEqual(e.getValues().map((v) => v.name).sort());
    expect(VALUE_METRICS).toBe(METRIC_NAMES);
  });

  it("names, for every metric, a Float field of its family's GraphQL result type", () => {
    for (const m of METRIC_NAMES) {
      const info = METRICS[m];
      const t = schema.getType(RESULT_TYPE[info.family]);
      if (!isObjectType(t)) throw new Error(`${RESULT_TYPE[info.family]} is not an object type`);
      const f = t.getFields()[info.field];
      expect(f, `${m} -> ${RESULT_TYPE[info.family]}.${info.field}`).toBeDefined();
      expect(String(f!.type).replace('!', ''), m).toMatch(/^(Float|Int)$/);
    }
  });

  it("gives Slack its labels, formats and each task's performance metrics", () => {
    for (const m of METRIC_NAMES) {
      expect(metricLabel(m)).toBe((METRICS[m] as { symbol?: string }).symbol ?? METRICS[m].label);
      expect(formatMetricValue(m, 0.5)).toBe({ rate: '50.0%', count: '1', pValue: '0.500', decimal: '0.50' }[METRICS[m].format]);
    }
    for (const [task, list] of Object.entries(TASK_METRICS)) {
      expect(list.map(([, m]) => m)).toEqual(metricsOf('performance', task as never));
      for (const [field, m] of list) expect(field).toBe(METRICS[m as keyof typeof METRICS].field);
    }
    expect(headlineMetric('REGRESSION')).toEqual({ field: 'rmse', metric: 'RMSE' });
    expect(headlineMetric('BINARY_CLASSIFICATION')).toEqual({ field: 'accuracy', metric: 'ACCURACY' });
  });
});
