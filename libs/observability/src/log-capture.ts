import { format } from 'node:util';
import { createLogger, PinoNestLogger } from './logger';

/** Every line a process writes while capturing: pino, Nest, console and raw stdout/stderr. */
export interface LogCapture {
  /** Pass to `app.useLogger(...)` (create the app with `bufferLogs: true`). */
  readonly nestLogger: PinoNestLogger;
  readonly lines: string[];
  /** The captured lines containing `mark`. */
  linesWith(mark: string): string[];
  /** Put console and the std streams back. */
  restore(): void;
}

type Write = typeof process.stdout.write;
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * For log-scan tests: a pino logger at level `trace` (everything) whose lines are kept, plus
 * console.* and process.stdout/stderr writes (where a library's own logger would write), none of
 * it printed.
 */
export function captureAllLogs(service: string): LogCapture {
  const lines: string[] = [];
  const keep = (chunk: unknown) => void lines.push(String(chunk));
  const logger = createLogger(service, { level: 'trace', destination: { write: keep } });
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const consoleOriginals = CONSOLE_METHODS.map((m) => [m, console[m]] as const);
  const capturingWrite = ((chunk: unknown) => {
    keep(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk);
    return true;
  }) as Write;
  process.stdout.write = capturingWrite;
  process.stderr.write = capturingWrite;
  for (const m of CONSOLE_METHODS) console[m] = (...args: unknown[]) => keep(format(...args));
  return {
    nestLogger: new PinoNestLogger(logger),
    lines,
    linesWith: (mark) => lines.filter((l) => l.includes(mark)),
    restore() {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      for (const [m, original] of consoleOriginals) console[m] = original;
    },
  };
}
