// Every fixed operation of the console, typed by codegen (npm run codegen) against
// schema/*.graphql. The series batch, whose aliases vary, is in series.ts; SeriesPoints
// below is its one-series form, which types the batch's variables and points.
import { graphql } from '../gql';

export const MeQuery = graphql(`
  query Me {
    me { name role localMode }
    version
  }
`);

export const ModelsQuery = graphql(`
  query Models {
    models {
      name
      task
      description
      features { name }
      health { status summary openAlerts { id } }
    }
  }
`);

export const ModelQuery = graphql(`
  query Model($name: String!) {
    model(name: $name) {
      name
      task
      description
      positiveClass
      decisionThreshold
      features { name type protected }
      baseline { rowCount updatedAt }
      health { status summary }
      versions { name createdAt }
      currentVersion
      segments { name }
    }
  }
`);

export const WindowQuery = graphql(`
  query Window($name: String!, $from: DateTime!, $to: DateTime!, $version: String, $segment: String) {
    model(name: $name) {
      drift(from: $from, to: $to, version: $version, segment: $segment) { feature type sampleSize psi jsDistance ksStatistic ksPValue wasserstein chi2PValue }
      outputDrift(from: $from, to: $to, version: $version, segment: $segment) { feature type sampleSize psi jsDistance }
      integrity(from: $from, to: $to, version: $version, segment: $segment) { feature count missingRate typeMismatchRate outOfRangeRate newCategoryRate }
      performance(from: $from, to: $to, version: $version, segment: $segment) {
        count labeledCount labelCoverage accuracy precision recall f1 falsePositiveRate auc logLoss brierScore macroF1 weightedF1 mae rmse mape r2
        estimated { sampleSize accuracy precision recall f1 auc }
      }
      traffic(from: $from, to: $to, version: $version, segment: $segment) { predictionCount meanScore meanValue labelCoverage }
    }
  }
`);

export const AlertsQuery = graphql(`
  query ModelAlerts($name: String!) {
    model(name: $name) {
      alerts {
        id severity status value threshold message openedAt updatedAt resolvedAt acknowledgedBy snoozedUntil
        monitor { id name }
        events { at kind actor note }
      }
    }
  }
`);

export const AcknowledgeAlert = graphql(`
  mutation AcknowledgeAlert($id: ID!) { acknowledgeAlert(id: $id) { id status acknowledgedBy } }
`);

export const SnoozeAlert = graphql(`
  mutation SnoozeAlert($id: ID!, $until: DateTime!) { snoozeAlert(id: $id, until: $until) { id status snoozedUntil } }
`);

export const ResolveAlert = graphql(`
  mutation ResolveAlert($id: ID!) { resolveAlert(id: $id) { id status resolvedAt } }
`);

export const MonitorsQuery = graphql(`
  query ModelMonitors($name: String!) {
    model(name: $name) {
      monitors {
        id name metric feature attribute window schedule comparator warningThreshold criticalThreshold enabled
        lastEvaluation { at value sampleSize severity }
        evaluations(limit: 48) { at value severity }
        openAlert { id status severity }
      }
    }
  }
`);

export const BacktestMonitor = graphql(`
  mutation BacktestMonitor($input: CreateMonitorInput!, $from: DateTime!, $to: DateTime!) {
    backtestMonitor(input: $input, from: $from, to: $to) { at from to value sampleSize severity }
  }
`);

export const CreateMonitor = graphql(`
  mutation CreateMonitor($input: CreateMonitorInput!) { createMonitor(input: $input) { id name } }
`);

export const SeriesPoints = graphql(`
  query SeriesPoints($name: String!, $metric: Metric!, $from: DateTime!, $to: DateTime!, $granularity: Granularity!, $feature: String, $attribute: String, $version: String, $segment: String) {
    model(name: $name) {
      series(metric: $metric, from: $from, to: $to, granularity: $granularity, feature: $feature, attribute: $attribute, version: $version, segment: $segment) { start value sampleSize }
    }
  }
`);
