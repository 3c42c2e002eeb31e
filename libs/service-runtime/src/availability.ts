import { connect } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from '@ketenlink/observability';

/**
 * Availability pieces of the service runtime (docs/adr/0017-availability-and-shutdown.md):
 * a cheap Kafka reachability probe, the consumer's state for readiness, and shutdown with a
 * hard deadline.
 */

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** KETENLINK_SHUTDOWN_TIMEOUT_MS: how long a stopping process may take before it exits anyway. */
export function shutdownTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.KETENLINK_SHUTDOWN_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_SHUTDOWN_TIMEOUT_MS;
}

function brokers(env: NodeJS.ProcessEnv): Array<{ host: string; port: number }> {
  return (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) => {
      const i = b.lastIndexOf(':');
      return { host: b.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(b.slice(i + 1)) };
    });
}

function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Kafka reachable = one of KAFKA_BROKERS accepts a TCP connection within `timeoutMs`; the answer
 * is cached for `cacheMs` so readiness probes do not hammer the broker. Client independent: it
 * says the broker is there, not that the producer or the consumer are connected (the consumer
 * check and the relay's metrics say that).
 */
export function kafkaProbe(
  env: NodeJS.ProcessEnv = process.env,
  { timeoutMs = 1000, cacheMs = 1000 } = {},
): () => Promise<boolean> {
  let last: { at: number; ok: Promise<boolean> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at > cacheMs) {
      const ok = (async () => {
        for (const b of brokers(env)) if (await tcpOpen(b.host, b.port, timeoutMs)) return true;
        return false;
      })();
      last = { at: now, ok };
    }
    return last.ok;
  };
}

/**
 * Shutdown: stop taking work (terminus answers readiness 503 `shutting_down`, the HTTP server
 * closes, the consumer leaves its group, the relay stops after its batch), close pools, exit.
 * Whatever still hangs after `deadlineMs` (a send or a pool.end() waiting for an unreachable
 * Kafka) is cut off by exiting: in-flight transactions roll back, outbox rows stay unpublished
 * and are sent again, uncommitted offsets are consumed again and deduplicated by the inbox.
 */
export function installShutdown(
  app: INestApplication,
  logger: Logger,
  opts: { deadlineMs: number; onStopping?: () => void; finally?: () => Promise<void> },
): (signal: string) => Promise<void> {
  let stopping: Promise<void> | undefined;
  const stop = (signal: string): Promise<void> => {
    stopping ??= (async () => {
      const started = Date.now();
      logger.info({ signal, deadlineMs: opts.deadlineMs }, 'shutting down');
      opts.onStopping?.();
      const deadline = setTimeout(() => {
        logger.error(
          { deadlineMs: opts.deadlineMs },
          'shutdown deadline passed; exiting with work still open (it is safe to redo)',
        );
        process.exit(1);
      }, opts.deadlineMs);
      try {
        await app.close();
        await opts.finally?.();
      } catch (err) {
        logger.warn({ err: String(err) }, 'error while shutting down');
      }
      clearTimeout(deadline);
      logger.info({ ms: Date.now() - started }, 'stopped');
      process.exit(0);
    })();
    return stopping;
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return stop;
}
