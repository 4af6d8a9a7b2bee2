import { APP_BOOT_TIMEOUT_MS } from '../support/waits.js';

// Integration and e2e tests boot and close whole applications (Nest, Prisma, Redis, BullMQ, the lookup
// index) in their hooks; on a busy machine that takes far longer than Jest's 5 s default. Every test and
// hook of these tiers gets the shared, bounded boot timeout unless it sets a bound of its own.
jest.setTimeout(APP_BOOT_TIMEOUT_MS);
