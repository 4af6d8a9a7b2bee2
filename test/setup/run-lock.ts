import pg from 'pg';

/**
 * One test run per test database at a time. The global setup drops and recreates the test database
 * (WITH FORCE, cutting other sessions off) and empties its Redis db, so a second run started beside a
 * first one (two clones on one machine, a CI run while a developer's run is still going) would break
 * both in ways that look like flaky tests or hangs. The run holds a session-level advisory lock on the
 * maintenance database for its whole length; a second run waits for it, bounded, saying why.
 */
export const RUN_LOCK_WAIT_MS = 75 * 60_000;

export async function acquireRunLock(databaseUrl: string, log: (line: string) => void, waitMs = RUN_LOCK_WAIT_MS): Promise<pg.Client> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), application_name: `quorum-test-run ${process.pid}` });
  await client.connect();
  const key = `quorum-test-run:${name}`;
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
    if (rows[0]?.locked) return client;
    if (Date.now() > deadline) {
      await client.end();
      throw new Error(`another test run has held ${key} for more than ${waitMs} ms`);
    }
    if (!told) log(`==> waiting for another test run on database ${name} to finish`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
