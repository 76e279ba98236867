// The configuration's JSON Schema is derived from the GraphQL inputs (one place per fact):
// its fields are the inputs' fields, its enums the GraphQL enums.
import { readFileSync } from 'node:fs';
import { isEnumType, isInputObjectType, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/graphql/server.js';

const json = JSON.parse(readFileSync('schema/glassbox-config.schema.json', 'utf8'));
const gql: GraphQLSchema = buildSchema();
const inputFields = (name: string) => {
  const t = gql.getType(name);
  if (!isInputObjectType(t)) throw new Error(name);
  return Object.keys(t.getFields()).sort();
};
const enumValues = (name: string) => {
  const t = gql.getType(name);
  if (!isEnumType(t)) throw new Error(name);
  return t.getValues().map((v) => v.name);
};
const props = (def: string) => Object.keys(json.definitions[def].properties).sort();

describe('schema/glassbox-config.schema.json', () => {
  it('has the GraphQL inputs\' fields', () => {
    // retentionDays is UpdateModelInput's: a file sets it on create and update alike
    expect(props('model')).toEqual([...inputFields('CreateModelInput'), 'delete', 'retentionDays'].sort());
    expect(inputFields('UpdateModelInput')).toContain('retentionDays');
    expect(props('feature')).toEqual(inputFields('FeatureInput'));
    expect(props('channel')).toEqual(inputFields('CreateChannelInput'));
    expect(props('monitor')).toEqual(inputFields('CreateMonitorInput'));
    expect(props('version')).toEqual(inputFields('CreateModelVersionInput'));
    expect(props('segment')).toEqual(inputFields('CreateSegmentInput'));
    expect(props('segmentCondition')).toEqual(inputFields('SegmentConditionInput'));
  });

  it('has the GraphQL enums', () => {
    const d = json.definitions;
    expect(d.model.properties.task.enum).toEqual(enumValues('TaskType'));
    expect(d.feature.properties.type.enum).toEqual(enumValues('FeatureType'));
    expect(d.channel.properties.kind.enum).toEqual(enumValues('ChannelKind'));
    expect(d.monitor.properties.metric.enum).toEqual(enumValues('Metric'));
    expect(d.monitor.properties.comparator.enum).toEqual(enumValues('Comparator'));
  });

  it('names every top-level list of the contract', () => {
    expect(Object.keys(json.properties).sort()).toEqual(['channels', 'models', 'monitors', 'segments', 'versions']);
  });
});
