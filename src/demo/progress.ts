// How the demo shows that it is working: a cli-progress bar on a terminal, a few plain
// lines anywhere else (CI logs, pipes), nothing at all for tests that ask for silence.
import { SingleBar, Presets } from 'cli-progress';

export interface DemoProgress {
  /** `total` steps are coming */
  begin(total: number): void;
  /** one step done; `label` says what is happening now */
  advance(label: string): void;
  end(): void;
}

/** A progress display that writes nothing. */
export function silentProgress(): DemoProgress {
  return { begin() {}, advance() {}, end() {} };
}

function isTty(out: NodeJS.WritableStream): boolean {
  return (out as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
}

/** A bar on a TTY; elsewhere one line each time the label changes (a new simulated day). */
export function progressFor(out: NodeJS.WritableStream): DemoProgress {
  if (isTty(out)) {
    const bar = new SingleBar(
      { stream: out, format: '  {bar} {percentage}% | {label}', hideCursor: true, clearOnComplete: true },
      Presets.shades_classic,
    );
    let value = 0;
    return {
      begin: (total) => bar.start(total, 0, { label: 'starting' }),
      advance: (label) => bar.update(++value, { label }),
      end: () => bar.stop(),
    };
  }
  let last = '';
  return {
    begin() {},
    advance(label) {
      if (label !== last) out.write(`  ${label}\n`);
      last = label;
    },
    end() {},
  };
}
