// The pino logger. Internal causes of errors are logged here, never shown to clients.
import { pino, type Logger } from 'pino';

export type { Logger };

/** A JSON logger at `level`, writing to stderr so stdout stays for CLI output. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'glassbox' } }, pino.destination(2));
}

/** A logger that writes nothing: for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
