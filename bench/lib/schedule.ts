export interface ScheduledRun {
  round: number;
  server: string;
}

/** Rounds alternate direction (A B, B A, A B ...) so no server always runs first or last. */
export function interleavedSchedule(servers: readonly string[], rounds: number): ScheduledRun[] {
  const runs: ScheduledRun[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) runs.push({ round, server });
  }
  return runs;
}
