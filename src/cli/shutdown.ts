import type { Logger } from 'pino';

interface Closable {
  close(): Promise<void>;
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: the HTTP server stops accepting and finishes in-flight
 * requests, then workers finish their active jobs, then connections close. A second signal or the
 * timeout forces the exit.
 */
export function installShutdown(parts: Closable[], logger: Logger, timeoutMs: number): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out: exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    (async () => {
      for (const part of parts) await part.close();
    })()
      .then(() => {
        logger.info('shutdown complete');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
