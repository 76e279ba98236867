// Monitors with their channel links and breach streak, and their evaluations.
import type { EvaluationRecord, MonitorRecord, MonitorSpec } from '../../domain/monitoring/monitor.js';

export interface NewMonitor extends MonitorSpec {
  modelId: number;
  createdAt: number;
}

/** A monitor with its model's name and its channels' names (sorted): what configuration files say. */
export interface LinkedMonitor {
  record: MonitorRecord;
  model: string;
  channels: string[];
}

export interface MonitorsRepo {
  /** The monitor with that id, or null. */
  get(id: number): Promise<MonitorRecord | null>;
  /** The monitor and its breach streak (the state machine's memory), or null. */
  withStreak(id: number): Promise<{ monitor: MonitorRecord; streak: number } | null>;
  /** Monitors of one model (by id or name) or of all, ordered by model id then name. */
  list(filter?: { modelId?: number; modelName?: string }): Promise<MonitorRecord[]>;
  /** Every monitor with its model's and channels' names, by model name then name. */
  listLinked(): Promise<LinkedMonitor[]>;
  /** The id of the model's monitor of that name, or null. */
  idByName(modelId: number, name: string): Promise<number | null>;
  /** Inserts a monitor (streak 0, updatedAt = createdAt). */
  create(m: NewMonitor): Promise<MonitorRecord>;
  /** Replaces the definition; null when the monitor is gone. */
  update(id: number, spec: MonitorSpec, updatedAt: number): Promise<MonitorRecord | null>;
  /** Deletes the monitor, its links, evaluations and alerts; false when it was not there. */
  delete(id: number): Promise<boolean>;
  /** Makes the monitor notify exactly these channels. */
  setChannels(monitorId: number, channelIds: number[]): Promise<void>;
  setStreak(id: number, streak: number): Promise<void>;
}

export interface EvaluationsRepo {
  /** The evaluation of (monitor, at), or null. */
  find(monitorId: number, at: number): Promise<EvaluationRecord | null>;
  /** Records it unless (monitor, at) already has one: null then (the other run's decision stands). */
  record(e: EvaluationRecord, recordedAt: number): Promise<EvaluationRecord | null>;
  /** The newest (by run time) first. */
  list(monitorId: number, limit: number): Promise<EvaluationRecord[]>;
}
