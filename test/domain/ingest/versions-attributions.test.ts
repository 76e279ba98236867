// A prediction's modelVersion and attributions, and a baseline row's attributions, as the
// one validation path checks them for every door (GraphQL items, NDJSON lines, CSV records).
import { describe, expect, it } from 'vitest';
import { checkBaselineRow, checkPrediction, type VersionNames } from '../../../src/domain/ingest/validate.js';
import { typeCsvRecord } from '../../../src/domain/ingest/csv-typing.js';
import { feature, modelRecord } from '../../helpers/model-record.js';

const model = modelRecord([feature('x', 'NUMERIC'), feature('c', 'CATEGORICAL')], { currentVersionId: 7 });

const versions: VersionNames = { byName: new Map([['v1', 3], ['v2', 7]]), current: 7 };
const line = (extra: Record<string, unknown> = {}) => ({ eventId: 'e1', timestamp: '2024-05-06T00:00:00Z', features: { x: 1, c: 'a' }, score: 0.3, ...extra });

describe('modelVersion', () => {
  it('resolves a named version to its id, and an absent or null one to the current version', () => {
    const named = checkPrediction(model, line({ modelVersion: 'v1' }), 0, null, versions);
    expect(named.ok && named.row.versionId).toBe(3);
    for (const absent of [line(), line({ modelVersion: null })]) {
      const r = checkPrediction(model, absent, 0, null, versions);
      expect(r.ok && r.row.versionId).toBe(7);
    }
    const none = checkPrediction(model, line(), 0, null, { byName: new Map(), current: null });
    expect(none.ok && none.row.versionId).toBeNull();
  });

  it('rejects an unknown or non-string version naming modelVersion and the versions there are', () => {
    const unknown = checkPrediction(model, line({ modelVersion: 'v9' }), 4, null, versions);
    expect(unknown).toMatchObject({ ok: false, field: 'modelVersion', error: { index: 4, eventId: 'e1' } });
    expect(!unknown.ok && unknown.error.message).toBe('modelVersion: model m has no version named "v9" (versions: v1, v2)');
    const noVersions = checkPrediction(model, line({ modelVersion: 'v1' }), 0, null, { byName: new Map(), current: null });
    expect(!noVersions.ok && noVersions.reason).toContain('it has none (createModelVersion)');
    const number = checkPrediction(model, line({ modelVersion: 1 }), 0, null, versions);
    expect(number).toMatchObject({ ok: false, field: 'modelVersion' });
  });
});

describe('attributions', () => {
  it('stores known features with finite numbers as normalized JSON text; none, null or {} as null', () => {
    const r = checkPrediction(model, line({ attributions: { c: -0.25, x: 1e-3 } }), 0, null, versions);
    expect(r.ok && r.row.attributions).toBe('{"c":-0.25,"x":0.001}');
    for (const none of [undefined, null, {}]) {
      const n = checkPrediction(model, line({ attributions: none }), 0, null, versions);
      expect(n.ok && n.row.attributions).toBeNull();
    }
    const b = checkBaselineRow(model, { features: { x: 1 }, attributions: { x: 2 } }, 0);
    expect(b.ok && b.row.attributions).toBe('{"x":2}');
  });

  it('rejects an unknown feature, a non-number, a null value or a non-object naming attributions.<feature>', () => {
    const cases: Array<[unknown, string]> = [
      [{ nope: 1 }, 'attributions.nope'],
      [{ x: '1' }, 'attributions.x'],
      [{ x: null }, 'attributions.x'],
      [{ x: 1, c: Number.NaN }, 'attributions.c'],
      [[1, 2], 'attributions'],
      ['x', 'attributions'],
    ];
    for (const [attributions, field] of cases) {
      const p = checkPrediction(model, line({ attributions }), 2, null, versions);
      expect(p, JSON.stringify(attributions)).toMatchObject({ ok: false, field, error: { index: 2 } });
      const b = checkBaselineRow(model, { features: { x: 1 }, attributions }, 2);
      expect(b).toMatchObject({ ok: false, field });
    }
    const p = checkPrediction(model, line({ attributions: { nope: 1 } }), 0, null, versions);
    expect(!p.ok && p.error.message).toMatch(/^attributions\.nope: the model has no feature named "nope"/);
  });
});

describe('CSV columns', () => {
  it('reads modelVersion as text and attributions.<feature> columns as numbers, empty cells absent', () => {
    const rec = typeCsvRecord(model.features, {
      eventId: 'e1',
      timestamp: '2024-05-06T00:00:00Z',
      score: '0.5',
      x: '3',
      c: 'a',
      modelVersion: 'v1',
      'attributions.x': '-0.5',
      'attributions.c': '',
    });
    expect(rec).toEqual({ eventId: 'e1', timestamp: '2024-05-06T00:00:00Z', score: 0.5, modelVersion: 'v1', features: { x: 3, c: 'a' }, attributions: { x: -0.5 } });
    expect(typeCsvRecord(model.features, { x: '1', modelVersion: '' })).toEqual({ features: { x: 1 } });
    // a cell that is not a number stays text, so the line is rejected naming the feature
    const bad = typeCsvRecord(model.features, { eventId: 'e', timestamp: '2024-05-06T00:00:00Z', score: '0.1', x: '1', 'attributions.x': 'high' });
    expect(checkPrediction(model, bad, 0, null, versions)).toMatchObject({ ok: false, field: 'attributions.x' });
  });
});
