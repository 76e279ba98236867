// Model versions over GraphQL: check the role, call one service, shape the answer.
import type { Resolvers } from '../generated/resolvers.js';
import { createModelVersion, currentVersionName, listVersions, setCurrentVersion, setVersionBaseline, versionBaseline } from '../../services/versions.js';

export const versionsResolvers: Resolvers = {
  Mutation: {
    createModelVersion: (_p, { input }, ctx) => createModelVersion(ctx.deps, ctx.requireRole('EDITOR'), input),
    setCurrentVersion: (_p, { model, version }, ctx) => setCurrentVersion(ctx.deps, ctx.requireRole('EDITOR'), model, version),
    setVersionBaseline: (_p, { model, version, rows }, ctx) => setVersionBaseline(ctx.deps, ctx.requireRole('INGEST'), model, version, rows),
  },
  Model: {
    versions: (m, _a, ctx) => listVersions(ctx.deps, m.id),
    currentVersion: (m, _a, ctx) => currentVersionName(ctx.deps, m),
  },
  ModelVersion: {
    createdAt: (v) => v.createdAt,
    baseline: (v) => versionBaseline(v),
  },
};
