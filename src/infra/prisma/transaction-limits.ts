/**
 * Waits of Prisma interactive transactions (`$transaction(async (tx) => ...)`).
 *
 * Prisma's defaults (2 s to start, 5 s to run) fail healthy requests as soon as the machine is busy:
 * getting a pooled connection and sending BEGIN can take seconds when both cores are taken. The start
 * wait covers the pool's own connect timeout (src/infra/prisma/prisma.service.ts, 5 s) plus a busy
 * scheduler; the run limit bounds how long a transaction may hold its connection and row locks. When a
 * limit is still exceeded the request answers 503 with Retry-After (src/common/errors/error-body.ts),
 * never 500: nothing was committed.
 */
export const TRANSACTION_LIMITS = { maxWait: 10_000, timeout: 20_000 } as const;
