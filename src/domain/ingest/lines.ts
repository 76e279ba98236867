// Splits a streamed NDJSON body into numbered lines with bounded memory: a line longer
// than the limit is reported and skipped rather than buffered.

/** What the splitter reports: a line (blank ones are skipped) or a line over the limit. */
export type LineSink = (line: string | null, index: number) => void;

export class LineSplitter {
  private carry = '';
  private index = 0;
  private skipping = false;
  private started = false;

  /** `maxLineChars` bounds how much of one line is ever held. */
  constructor(
    private readonly sink: LineSink,
    private readonly maxLineChars = 1 << 20,
  ) {}

  /** Number of lines seen so far (the index the next line will get). */
  get linesSeen(): number {
    return this.index;
  }

  /** Feeds decoded text; calls the sink for each complete line, in order. */
  push(text: string): void {
    let start = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.skipping) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) return;
      this.skipping = false;
      this.index++;
      start = nl + 1;
    }
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const piece = text.slice(start, nl);
      const line = this.carry.length > 0 ? this.carry + piece : piece;
      this.carry = '';
      this.emit(line);
      start = nl + 1;
    }
    if (start < text.length) {
      this.carry += text.slice(start);
      if (this.carry.length > this.maxLineChars) {
        this.carry = '';
        this.skipping = true;
        this.sink(null, this.index);
      }
    }
  }

  /** Flushes the last line when the body does not end with a newline. */
  end(): void {
    if (this.skipping) {
      this.skipping = false;
      this.index++;
      return;
    }
    if (this.carry.length > 0) {
      const line = this.carry;
      this.carry = '';
      this.emit(line);
    }
  }

  private emit(line: string): void {
    const index = this.index++;
    const end = line.charCodeAt(line.length - 1) === 13 ? line.length - 1 : line.length;
    const text = end === line.length ? line : line.slice(0, end);
    if (isBlank(text)) return;
    this.sink(text, index);
  }
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
