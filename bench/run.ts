// `npm run bench`: every benchmark, each printing its ratios against a baseline measured
// in the same run (the machines are shared and noisy; absolute numbers drift, ratios less).
// `npm run bench -- ingest` (or slices, metrics, monitors, retention, postgres-ingest) runs one;
// `-- backup` (1 GB of disk) runs only when named.
const which = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (name: string) => which.length === 0 || which.includes(name);

async function main(): Promise<void> {
  if (want('ingest')) {
    const { runIngestBench } = await import('./ingest.js');
    await runIngestBench({});
  }
  if (want('slices')) {
    const { runSlicesIngestBench } = await import('./slices-ingest.js');
    await runSlicesIngestBench({});
  }
  if (want('metrics')) {
    const { runMetricsBench, runLongWindowBench } = await import('./metrics.js');
    if (process.env.BENCH_METRICS_SIZES !== '0') await runMetricsBench({});
    await runLongWindowBench({});
  }
  if (want('cbpe')) {
    const { runCbpeBench } = await import('./cbpe.js');
    await runCbpeBench({});
  }
  if (want('monitors')) {
    const { runMonitorsBench } = await import('./monitors.js');
    await runMonitorsBench({});
  }
  if (want('postgres-ingest')) {
    const { runPostgresIngestBench } = await import('./postgres-ingest.js');
    await runPostgresIngestBench({});
  }
  // writes a 1 GB database: only when asked for by name
  if (which.includes('backup')) {
    const { runBackupBench } = await import('./backup.js');
    await runBackupBench({});
  }
  if (want('retention')) {
    const { runRetentionBench } = await import('./retention.js');
    await runRetentionBench({});
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
