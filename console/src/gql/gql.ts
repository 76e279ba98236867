/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me { name role localMode }\n    version\n  }\n": typeof types.MeDocument,
    "\n  query Models {\n    models {\n      name\n      task\n      description\n      features { name }\n      health { status summary openAlerts { id } }\n    }\n  }\n": typeof types.ModelsDocument,
    "\n  query Model($name: String!) {\n    model(name: $name) {\n      name\n      task\n      description\n      positiveClass\n      decisionThreshold\n      features { name type protected }\n      baseline { rowCount updatedAt }\n      health { status summary }\n      versions { name createdAt }\n      currentVersion\n      segments { name }\n    }\n  }\n": typeof types.ModelDocument,
    "\n  query Window($name: String!, $from: DateTime!, $to: DateTime!, $version: String, $segment: String) {\n    model(name: $name) {\n      drift(from: $from, to: $to, version: $version, segment: $segment) { feature type sampleSize psi jsDistance ksStatistic ksPValue wasserstein chi2PValue }\n      outputDrift(from: $from, to: $to, version: $version, segment: $segment) { feature type sampleSize psi jsDistance }\n      integrity(from: $from, to: $to, version: $version, segment: $segment) { feature count missingRate typeMismatchRate outOfRangeRate newCategoryRate }\n      performance(from: $from, to: $to, version: $version, segment: $segment) {\n        count labeledCount labelCoverage accuracy precision recall f1 falsePositiveRate auc logLoss brierScore macroF1 weightedF1 mae rmse mape r2\n        estimated { sampleSize accuracy precision recall f1 auc }\n      }\n      traffic(from: $from, to: $to, version: $version, segment: $segment) { predictionCount meanScore meanValue labelCoverage }\n    }\n  }\n": typeof types.WindowDocument,
    "\n  query ModelAlerts($name: String!) {\n    model(name: $name) {\n      alerts {\n        id severity status value threshold message openedAt updatedAt resolvedAt acknowledgedBy snoozedUntil\n        monitor { id name }\n        events { at kind actor note }\n      }\n    }\n  }\n": typeof types.ModelAlertsDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) { acknowledgeAlert(id: $id) { id status acknowledgedBy } }\n": typeof types.AcknowledgeAlertDocument,
    "\n  mutation SnoozeAlert($id: ID!, $until: DateTime!) { snoozeAlert(id: $id, until: $until) { id status snoozedUntil } }\n": typeof types.SnoozeAlertDocument,
    "\n  mutation ResolveAlert($id: ID!) { resolveAlert(id: $id) { id status resolvedAt } }\n": typeof types.ResolveAlertDocument,
    "\n  query ModelMonitors($name: String!) {\n    model(name: $name) {\n      monitors {\n        id name metric feature attribute window schedule comparator warningThreshold criticalThreshold enabled\n        lastEvaluation { at value sampleSize severity }\n        evaluations(limit: 48) { at value severity }\n        openAlert { id status severity }\n      }\n    }\n  }\n": typeof types.ModelMonitorsDocument,
    "\n  mutation BacktestMonitor($input: CreateMonitorInput!, $from: DateTime!, $to: DateTime!) {\n    backtestMonitor(input: $input, from: $from, to: $to) { at from to value sampleSize severity }\n  }\n": typeof types.BacktestMonitorDocument,
    "\n  mutation CreateMonitor($input: CreateMonitorInput!) { createMonitor(input: $input) { id name } }\n": typeof types.CreateMonitorDocument,
    "\n  query SeriesPoints($name: String!, $metric: Metric!, $from: DateTime!, $to: DateTime!, $granularity: Granularity!, $feature: String, $attribute: String, $version: String, $segment: String) {\n    model(name: $name) {\n      series(metric: $metric, from: $from, to: $to, granularity: $granularity, feature: $feature, attribute: $attribute, version: $version, segment: $segment) { start value sampleSize }\n    }\n  }\n": typeof types.SeriesPointsDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me { name role localMode }\n    version\n  }\n": types.MeDocument,
    "\n  query Models {\n    models {\n      name\n      task\n      description\n      features { name }\n      health { status summary openAlerts { id } }\n    }\n  }\n": types.ModelsDocument,
    "\n  query Model($name: String!) {\n    model(name: $name) {\n      name\n      task\n      description\n      positiveClass\n      decisionThreshold\n      features { name type protected }\n      baseline { rowCount updatedAt }\n      health { status summary }\n      versions { name createdAt }\n      currentVersion\n      segments { name }\n    }\n  }\n": types.ModelDocument,
    "\n  query Window($name: String!, $from: DateTime!, $to: DateTime!, $version: String, $segment: String) {\n    model(name: $name) {\n      drift(from: $from, to: $to, version: $version, segment: $segment) { feature type sampleSize psi jsDistance ksStatistic ksPValue wasserstein chi2PValue }\n      outputDrift(from: $from, to: $to, version: $version, segment: $segment) { feature type sampleSize psi jsDistance }\n      integrity(from: $from, to: $to, version: $version, segment: $segment) { feature count missingRate typeMismatchRate outOfRangeRate newCategoryRate }\n      performance(from: $from, to: $to, version: $version, segment: $segment) {\n        count labeledCount labelCoverage accuracy precision recall f1 falsePositiveRate auc logLoss brierScore macroF1 weightedF1 mae rmse mape r2\n        estimated { sampleSize accuracy precision recall f1 auc }\n      }\n      traffic(from: $from, to: $to, version: $version, segment: $segment) { predictionCount meanScore meanValue labelCoverage }\n    }\n  }\n": types.WindowDocument,
    "\n  query ModelAlerts($name: String!) {\n    model(name: $name) {\n      alerts {\n        id severity status value threshold message openedAt updatedAt resolvedAt acknowledgedBy snoozedUntil\n        monitor { id name }\n        events { at kind actor note }\n      }\n    }\n  }\n": types.ModelAlertsDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) { acknowledgeAlert(id: $id) { id status acknowledgedBy } }\n": types.AcknowledgeAlertDocument,
    "\n  mutation SnoozeAlert($id: ID!, $until: DateTime!) { snoozeAlert(id: $id, until: $until) { id status snoozedUntil } }\n": types.SnoozeAlertDocument,
    "\n  mutation ResolveAlert($id: ID!) { resolveAlert(id: $id) { id status resolvedAt } }\n": types.ResolveAlertDocument,
    "\n  query ModelMonitors($name: String!) {\n    model(name: $name) {\n      monitors {\n        id name metric feature attribute window schedule comparator warningThreshold criticalThreshold enabled\n        lastEvaluation { at value sampleSize severity }\n        evaluations(limit: 48) { at value severity }\n        openAlert { id status severity }\n      }\n    }\n  }\n": types.ModelMonitorsDocument,
    "\n  mutation BacktestMonitor($input: CreateMonitorInput!, $from: DateTime!, $to: DateTime!) {\n    backtestMonitor(input: $input, from: $from, to: $to) { at from to value sampleSize severity }\n  }\n": types.BacktestMonitorDocument,
    "\n  mutation CreateMonitor($input: CreateMonitorInput!) { createMonitor(input: $input) { id name } }\n": types.CreateMonitorDocument,
    "\n  query SeriesPoints($name: String!, $metric: Metric!, $from: DateTime!, $to: DateTime!, $granularity: Granularity!, $feature: String, $attribute: String, $version: String, $segment: String) {\n    model(name: $name) {\n      series(metric: $metric, from: $from, to: $to, granularity: $granularity, feature: $feature, attribute: $attribute, version: $version, segment: $segment) { start value sampleSize }\n    }\n  }\n": types.SeriesPointsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { name role localMode }\n    version\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Models {\n    models {\n      name\n      task\n      description\n      features { name }\n      health { status summary openAlerts { id } }\n    }\n  }\n"): typeof import('./graphql').ModelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Model($name: String!) {\n    model(name: $name) {\n      name\n      task\n      description\n      positiveClass\n      decisionThreshold\n      features { name type protected }\n      baseline { rowCount updatedAt }\n      health { status summary }\n      versions { name createdAt }\n      currentVersion\n      segments { name }\n    }\n  }\n"): typeof import('./graphql').ModelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Window($name: String!, $from: DateTime!, $to: DateTime!, $version: String, $segment: String) {\n    model(name: $name) {\n      drift(from: $from, to: $to, version: $version, segment: $segment) { feature type sampleSize psi jsDistance ksStatistic ksPValue wasserstein chi2PValue }\n      outputDrift(from: $from, to: $to, version: $version, segment: $segment) { feature type sampleSize psi jsDistance }\n      integrity(from: $from, to: $to, version: $version, segment: $segment) { feature count missingRate typeMismatchRate outOfRangeRate newCategoryRate }\n      performance(from: $from, to: $to, version: $version, segment: $segment) {\n        count labeledCount labelCoverage accuracy precision recall f1 falsePositiveRate auc logLoss brierScore macroF1 weightedF1 mae rmse mape r2\n        estimated { sampleSize accuracy precision recall f1 auc }\n      }\n      traffic(from: $from, to: $to, version: $version, segment: $segment) { predictionCount meanScore meanValue labelCoverage }\n    }\n  }\n"): typeof import('./graphql').WindowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelAlerts($name: String!) {\n    model(name: $name) {\n      alerts {\n        id severity status value threshold message openedAt updatedAt resolvedAt acknowledgedBy snoozedUntil\n        monitor { id name }\n        events { at kind actor note }\n      }\n    }\n  }\n"): typeof import('./graphql').ModelAlertsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeAlert($id: ID!) { acknowledgeAlert(id: $id) { id status acknowledgedBy } }\n"): typeof import('./graphql').AcknowledgeAlertDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SnoozeAlert($id: ID!, $until: DateTime!) { snoozeAlert(id: $id, until: $until) { id status snoozedUntil } }\n"): typeof import('./graphql').SnoozeAlertDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResolveAlert($id: ID!) { resolveAlert(id: $id) { id status resolvedAt } }\n"): typeof import('./graphql').ResolveAlertDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelMonitors($name: String!) {\n    model(name: $name) {\n      monitors {\n        id name metric feature attribute window schedule comparator warningThreshold criticalThreshold enabled\n        lastEvaluation { at value sampleSize severity }\n        evaluations(limit: 48) { at value severity }\n        openAlert { id status severity }\n      }\n    }\n  }\n"): typeof import('./graphql').ModelMonitorsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BacktestMonitor($input: CreateMonitorInput!, $from: DateTime!, $to: DateTime!) {\n    backtestMonitor(input: $input, from: $from, to: $to) { at from to value sampleSize severity }\n  }\n"): typeof import('./graphql').BacktestMonitorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateMonitor($input: CreateMonitorInput!) { createMonitor(input: $input) { id name } }\n"): typeof import('./graphql').CreateMonitorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SeriesPoints($name: String!, $metric: Metric!, $from: DateTime!, $to: DateTime!, $granularity: Granularity!, $feature: String, $attribute: String, $version: String, $segment: String) {\n    model(name: $name) {\n      series(metric: $metric, from: $from, to: $to, granularity: $granularity, feature: $feature, attribute: $attribute, version: $version, segment: $segment) { start value sampleSize }\n    }\n  }\n"): typeof import('./graphql').SeriesPointsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
