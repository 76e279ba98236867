/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AlertStatus =
  | 'ACKNOWLEDGED'
  | 'FIRING'
  | 'RESOLVED'
  | 'SNOOZED';

/** Thresholds learned from the metric's own history (METRICS.md, learned thresholds). */
export type AutoThresholdInput = {
  /** Critical at mean +/- criticalSigmas x std. */
  criticalSigmas?: number | null | undefined;
  /** How far back the history reaches, a duration (28d). */
  lookback: string;
  /** NONE: all past runs; DAILY: runs at the same time of day; WEEKLY: same time of week. */
  seasonality?: Seasonality | null | undefined;
  /** Warning at mean +/- warningSigmas x std of the history (null: no warning level). */
  warningSigmas?: number | null | undefined;
};

export type Comparator =
  | 'GT'
  | 'GTE'
  | 'LT'
  | 'LTE';

export type CreateMonitorInput = {
  attribute?: string | null | undefined;
  /** Instead of warningThreshold/criticalThreshold. The comparator gives the direction (GT: above the band; LT: below). */
  autoThreshold?: AutoThresholdInput | null | undefined;
  channels?: Array<string> | null | undefined;
  comparator: Comparator;
  criticalThreshold?: number | null | undefined;
  enabled?: boolean | null | undefined;
  feature?: string | null | undefined;
  forEvaluations?: number | null | undefined;
  metric: Metric;
  minSampleSize?: number | null | undefined;
  model: string;
  name: string;
  /** Default 4h. */
  repeatInterval?: string | null | undefined;
  schedule: string;
  /** Evaluate on this segment's events only (absent: all events). */
  segment?: string | null | undefined;
  /** Evaluate on this version's events only (absent: all versions). */
  version?: string | null | undefined;
  warningThreshold?: number | null | undefined;
  window: string;
};

export type FeatureType =
  | 'CATEGORICAL'
  | 'NUMERIC';

export type Granularity =
  | 'DAY'
  | 'HOUR';

export type HealthStatus =
  | 'CRITICAL'
  | 'HEALTHY'
  | 'UNKNOWN'
  | 'WARNING';

export type Metric =
  | 'ACCURACY'
  | 'AUC'
  | 'BRIER_SCORE'
  | 'CHI2_P_VALUE'
  | 'DEMOGRAPHIC_PARITY_DIFFERENCE'
  | 'DISPARATE_IMPACT_RATIO'
  | 'EQUALIZED_ODDS_DIFFERENCE'
  | 'EQUAL_OPPORTUNITY_DIFFERENCE'
  | 'ESTIMATED_ACCURACY'
  | 'ESTIMATED_AUC'
  | 'ESTIMATED_F1'
  | 'ESTIMATED_PRECISION'
  | 'ESTIMATED_RECALL'
  | 'F1'
  | 'FALSE_POSITIVE_RATE'
  | 'JS_DISTANCE'
  | 'KS_STATISTIC'
  | 'LABEL_COVERAGE'
  | 'LOG_LOSS'
  | 'MACRO_F1'
  | 'MAE'
  | 'MAPE'
  | 'MEAN_SCORE'
  | 'MEAN_VALUE'
  | 'MISSING_RATE'
  | 'NEW_CATEGORY_RATE'
  | 'OUT_OF_RANGE_RATE'
  | 'PRECISION'
  | 'PREDICTION_COUNT'
  | 'PSI'
  | 'R2'
  | 'RECALL'
  | 'RMSE'
  | 'TYPE_MISMATCH_RATE'
  | 'WASSERSTEIN'
  | 'WEIGHTED_F1';

export type Role =
  | 'ADMIN'
  | 'EDITOR'
  | 'INGEST'
  | 'VIEWER';

export type Seasonality =
  | 'DAILY'
  | 'NONE'
  | 'WEEKLY';

export type Severity =
  | 'CRITICAL'
  | 'NO_DATA'
  | 'OK'
  | 'WARNING';

export type TaskType =
  | 'BINARY_CLASSIFICATION'
  | 'MULTICLASS_CLASSIFICATION'
  | 'REGRESSION';

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { version: string, me: { name: string, role: Role, localMode: boolean } };

export type ModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type ModelsQuery = { models: Array<{ name: string, task: TaskType, description: string | null, features: Array<{ name: string }>, health: { status: HealthStatus, summary: string, openAlerts: Array<{ id: string }> } }> };

export type ModelQueryVariables = Exact<{
  name: string;
}>;


export type ModelQuery = { model: { name: string, task: TaskType, description: string | null, positiveClass: string | null, decisionThreshold: number | null, currentVersion: string | null, features: Array<{ name: string, type: FeatureType, protected: boolean }>, baseline: { rowCount: number, updatedAt: string } | null, health: { status: HealthStatus, summary: string }, versions: Array<{ name: string, createdAt: string }>, segments: Array<{ name: string }> } | null };

export type WindowQueryVariables = Exact<{
  name: string;
  from: string;
  to: string;
  version?: string | null | undefined;
  segment?: string | null | undefined;
}>;


export type WindowQuery = { model: { drift: Array<{ feature: string, type: FeatureType, sampleSize: number, psi: number | null, jsDistance: number | null, ksStatistic: number | null, ksPValue: number | null, wasserstein: number | null, chi2PValue: number | null }>, outputDrift: { feature: string, type: FeatureType, sampleSize: number, psi: number | null, jsDistance: number | null } | null, integrity: Array<{ feature: string, count: number, missingRate: number | null, typeMismatchRate: number | null, outOfRangeRate: number | null, newCategoryRate: number | null }>, performance: { count: number, labeledCount: number, labelCoverage: number | null, accuracy: number | null, precision: number | null, recall: number | null, f1: number | null, falsePositiveRate: number | null, auc: number | null, logLoss: number | null, brierScore: number | null, macroF1: number | null, weightedF1: number | null, mae: number | null, rmse: number | null, mape: number | null, r2: number | null, estimated: { sampleSize: number, accuracy: number | null, precision: number | null, recall: number | null, f1: number | null, auc: number | null } | null }, traffic: { predictionCount: number, meanScore: number | null, meanValue: number | null, labelCoverage: number | null } } | null };

export type ModelAlertsQueryVariables = Exact<{
  name: string;
}>;


export type ModelAlertsQuery = { model: { alerts: Array<{ id: string, severity: Severity, status: AlertStatus, value: number | null, threshold: number | null, message: string, openedAt: string, updatedAt: string, resolvedAt: string | null, acknowledgedBy: string | null, snoozedUntil: string | null, monitor: { id: string, name: string }, events: Array<{ at: string, kind: string, actor: string | null, note: string | null }> }> } | null };

export type AcknowledgeAlertMutationVariables = Exact<{
  id: string | number;
}>;


export type AcknowledgeAlertMutation = { acknowledgeAlert: { id: string, status: AlertStatus, acknowledgedBy: string | null } };

export type SnoozeAlertMutationVariables = Exact<{
  id: string | number;
  until: string;
}>;


export type SnoozeAlertMutation = { snoozeAlert: { id: string, status: AlertStatus, snoozedUntil: string | null } };

export type ResolveAlertMutationVariables = Exact<{
  id: string | number;
}>;


export type ResolveAlertMutation = { resolveAlert: { id: string, status: AlertStatus, resolvedAt: string | null } };

export type ModelMonitorsQueryVariables = Exact<{
  name: string;
}>;


export type ModelMonitorsQuery = { model: { monitors: Array<{ id: string, name: string, metric: Metric, feature: string | null, attribute: string | null, window: string, schedule: string, comparator: Comparator, warningThreshold: number | null, criticalThreshold: number | null, enabled: boolean, lastEvaluation: { at: string, value: number | null, sampleSize: number, severity: Severity } | null, evaluations: Array<{ at: string, value: number | null, severity: Severity }>, openAlert: { id: string, status: AlertStatus, severity: Severity } | null }> } | null };

export type BacktestMonitorMutationVariables = Exact<{
  input: CreateMonitorInput;
  from: string;
  to: string;
}>;


export type BacktestMonitorMutation = { backtestMonitor: Array<{ at: string, from: string, to: string, value: number | null, sampleSize: number, severity: Severity }> };

export type CreateMonitorMutationVariables = Exact<{
  input: CreateMonitorInput;
}>;


export type CreateMonitorMutation = { createMonitor: { id: string, name: string } };

export type SeriesPointsQueryVariables = Exact<{
  name: string;
  metric: Metric;
  from: string;
  to: string;
  granularity: Granularity;
  feature?: string | null | undefined;
  attribute?: string | null | undefined;
  version?: string | null | undefined;
  segment?: string | null | undefined;
}>;


export type SeriesPointsQuery = { model: { series: Array<{ start: string, value: number | null, sampleSize: number }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    name
    role
    localMode
  }
  version
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const ModelsDocument = new TypedDocumentString(`
    query Models {
  models {
    name
    task
    description
    features {
      name
    }
    health {
      status
      summary
      openAlerts {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ModelsQuery, ModelsQueryVariables>;
export const ModelDocument = new TypedDocumentString(`
    query Model($name: String!) {
  model(name: $name) {
    name
    task
    description
    positiveClass
    decisionThreshold
    features {
      name
      type
      protected
    }
    baseline {
      rowCount
      updatedAt
    }
    health {
      status
      summary
    }
    versions {
      name
      createdAt
    }
    currentVersion
    segments {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ModelQuery, ModelQueryVariables>;
export const WindowDocument = new TypedDocumentString(`
    query Window($name: String!, $from: DateTime!, $to: DateTime!, $version: String, $segment: String) {
  model(name: $name) {
    drift(from: $from, to: $to, version: $version, segment: $segment) {
      feature
      type
      sampleSize
      psi
      jsDistance
      ksStatistic
      ksPValue
      wasserstein
      chi2PValue
    }
    outputDrift(from: $from, to: $to, version: $version, segment: $segment) {
      feature
      type
      sampleSize
      psi
      jsDistance
    }
    integrity(from: $from, to: $to, version: $version, segment: $segment) {
      feature
      count
      missingRate
      typeMismatchRate
      outOfRangeRate
      newCategoryRate
    }
    performance(from: $from, to: $to, version: $version, segment: $segment) {
      count
      labeledCount
      labelCoverage
      accuracy
      precision
      recall
      f1
      falsePositiveRate
      auc
      logLoss
      brierScore
      macroF1
      weightedF1
      mae
      rmse
      mape
      r2
      estimated {
        sampleSize
        accuracy
        precision
        recall
        f1
        auc
      }
    }
    traffic(from: $from, to: $to, version: $version, segment: $segment) {
      predictionCount
      meanScore
      meanValue
      labelCoverage
    }
  }
}
    `) as unknown as TypedDocumentString<WindowQuery, WindowQueryVariables>;
export const ModelAlertsDocument = new TypedDocumentString(`
    query ModelAlerts($name: String!) {
  model(name: $name) {
    alerts {
      id
      severity
      status
      value
      threshold
      message
      openedAt
      updatedAt
      resolvedAt
      acknowledgedBy
      snoozedUntil
      monitor {
        id
        name
      }
      events {
        at
        kind
        actor
        note
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ModelAlertsQuery, ModelAlertsQueryVariables>;
export const AcknowledgeAlertDocument = new TypedDocumentString(`
    mutation AcknowledgeAlert($id: ID!) {
  acknowledgeAlert(id: $id) {
    id
    status
    acknowledgedBy
  }
}
    `) as unknown as TypedDocumentString<AcknowledgeAlertMutation, AcknowledgeAlertMutationVariables>;
export const SnoozeAlertDocument = new TypedDocumentString(`
    mutation SnoozeAlert($id: ID!, $until: DateTime!) {
  snoozeAlert(id: $id, until: $until) {
    id
    status
    snoozedUntil
  }
}
    `) as unknown as TypedDocumentString<SnoozeAlertMutation, SnoozeAlertMutationVariables>;
export const ResolveAlertDocument = new TypedDocumentString(`
    mutation ResolveAlert($id: ID!) {
  resolveAlert(id: $id) {
    id
    status
    resolvedAt
  }
}
    `) as unknown as TypedDocumentString<ResolveAlertMutation, ResolveAlertMutationVariables>;
export const ModelMonitorsDocument = new TypedDocumentString(`
    query ModelMonitors($name: String!) {
  model(name: $name) {
    monitors {
      id
      name
      metric
      feature
      attribute
      window
      schedule
      comparator
      warningThreshold
      criticalThreshold
      enabled
      lastEvaluation {
        at
        value
        sampleSize
        severity
      }
      evaluations(limit: 48) {
        at
        value
        severity
      }
      openAlert {
        id
        status
        severity
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ModelMonitorsQuery, ModelMonitorsQueryVariables>;
export const BacktestMonitorDocument = new TypedDocumentString(`
    mutation BacktestMonitor($input: CreateMonitorInput!, $from: DateTime!, $to: DateTime!) {
  backtestMonitor(input: $input, from: $from, to: $to) {
    at
    from
    to
    value
    sampleSize
    severity
  }
}
    `) as unknown as TypedDocumentString<BacktestMonitorMutation, BacktestMonitorMutationVariables>;
export const CreateMonitorDocument = new TypedDocumentString(`
    mutation CreateMonitor($input: CreateMonitorInput!) {
  createMonitor(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateMonitorMutation, CreateMonitorMutationVariables>;
export const SeriesPointsDocument = new TypedDocumentString(`
    query SeriesPoints($name: String!, $metric: Metric!, $from: DateTime!, $to: DateTime!, $granularity: Granularity!, $feature: String, $attribute: String, $version: String, $segment: String) {
  model(name: $name) {
    series(
      metric: $metric
      from: $from
      to: $to
      granularity: $granularity
      feature: $feature
      attribute: $attribute
      version: $version
      segment: $segment
    ) {
      start
      value
      sampleSize
    }
  }
}
    `) as unknown as TypedDocumentString<SeriesPointsQuery, SeriesPointsQueryVariables>;