// A vitest reporter: one line per store at the end of a run (the `sqlite` and `postgres`
// projects of vitest.config.ts), with its tests passed, failed and skipped, its files,
// and the wall time from its first file's start to its last file's end. .ci/run reads them.
import type { Reporter, TestModule } from 'vitest/node';

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  files: number;
  failedFiles: number;
  start: number;
  end: number;
}

export default class StoreTotals implements Reporter {
  private readonly started = new Map<string, number>();
  private readonly ended = new Map<string, number>();

  onTestModuleStart(m: TestModule): void {
    this.started.set(m.moduleId + m.project.name, performance.now());
  }

  onTestModuleEnd(m: TestModule): void {
    this.ended.set(m.moduleId + m.project.name, performance.now());
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const by = new Map<string, Totals>();
    for (const m of modules) {
      const name = m.project.name || 'default';
      const t = by.get(name) ?? { passed: 0, failed: 0, skipped: 0, files: 0, failedFiles: 0, start: Infinity, end: -Infinity };
      by.set(name, t);
      t.files++;
      if (m.state() === 'failed') t.failedFiles++;
      t.passed += [...m.children.allTests('passed')].length;
      t.failed += [...m.children.allTests('failed')].length;
      t.skipped += [...m.children.allTests('skipped')].length;
      const key = m.moduleId + m.project.name;
      t.start = Math.min(t.start, this.started.get(key) ?? Infinity);
      t.end = Math.max(t.end, this.ended.get(key) ?? -Infinity);
    }
    for (const [name, t] of by) {
      const secs = Number.isFinite(t.start) && Number.isFinite(t.end) ? `${((t.end - t.start) / 1000).toFixed(0)} s` : '-';
      console.log(`store ${name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped; ${t.files} files (${t.failedFiles} failed) in ${secs}`);
    }
  }
}
