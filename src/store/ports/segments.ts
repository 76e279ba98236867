// Segments of a model (contract 10): named conjunctions of conditions on its features.
import type { SegmentCondition, SegmentRecord } from '../../domain/segments/segment.js';

export interface NewSegment {
  modelId: number;
  name: string;
  conditions: SegmentCondition[];
  createdAt: number;
}

export interface SegmentsRepo {
  /** The model's segments, by name (code point). */
  list(modelId: number): Promise<SegmentRecord[]>;
  /** The model's segment of that name, or null; inside a transaction it stays locked until the end (a deletion and a monitor naming it serialise). */
  byName(modelId: number, name: string): Promise<SegmentRecord | null>;
  /** Creates a segment; null when the model has one of that name. */
  create(s: NewSegment): Promise<SegmentRecord | null>;
  /** Deletes it (its statistics slices go by cascade); false when it was not there. */
  delete(id: number): Promise<boolean>;
}
