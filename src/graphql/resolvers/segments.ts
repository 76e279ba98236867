// Segments over GraphQL: check the role, call one service, shape the answer.
import type { Resolvers } from '../generated/resolvers.js';
import { createSegment, deleteSegment, listSegments } from '../../services/segments.js';

export const segmentsResolvers: Resolvers = {
  Mutation: {
    createSegment: (_p, { input }, ctx) => createSegment(ctx.deps, ctx.requireRole('EDITOR'), input),
    deleteSegment: (_p, { model, name }, ctx) => deleteSegment(ctx.deps, ctx.requireRole('EDITOR'), model, name),
  },
  Model: {
    segments: (m, _a, ctx) => listSegments(ctx.deps, m.id),
  },
  Segment: {
    createdAt: (s) => s.createdAt,
  },
};
