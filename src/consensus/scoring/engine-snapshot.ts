import { restoreIp, restoreReporter, snapshotIp, snapshotReporter } from './snapshot.js';
import type { EngineSnapshot } from './snapshot-types.js';
import type { EngineState } from './state.js';

/** The whole engine as plain JSON-able data (entity order preserved, so a restore is exact). */
export function snapshotEngine(st: EngineState): EngineSnapshot {
  const reporters = [];
  for (let r = 0; r < st.reporters.size; r++) reporters.push(snapshotReporter(st, r));
  const ips = [];
  for (let x = 0; x < st.ips.size; x++) ips.push(snapshotIp(st, x));
  return { ...snapshotEngineRest(st), reporters, ips };
}

/**
 * Everything but the reporters and IPs, copied now (src/consensus/snapshot writes those two apart, as
 * records or columns; `restoreEngine` with empty lists restores the rest after them).
 */
export function snapshotEngineRest(st: EngineState): Omit<EngineSnapshot, 'reporters' | 'ips'> {
  const rep = st.reporters;
  const owner = (o: number): string => rep.owners.names[o];
  const ip = (x: number): string => st.ips.keys[x];
  const c = st.collusion.exportState();
  return {
    version: 2,
    params: structuredClone(st.p),
    scenarioClasses: [...st.classes.names],
    owners: [...rep.owners.names],
    novelty: st.novelty.export().map(([o, times]) => [owner(o), times]),
    collusion: {
      pairs: c.pairs.map(([a, b, n, t]) => [owner(a), owner(b), n, t]),
      edges: c.edges.map(([a, b]) => [owner(a), owner(b)]),
      activity: c.activity.map(([o, t]) => [owner(o), t]),
      dark: c.dark.map(([o, v, t]) => [owner(o), v, t]),
    },
    campaigns: st.campaigns.export(),
    memberCampaigns: st.memberCampaigns
      .export()
      .map(([f, s, l, at, voters, asns]) => [f, s, l, at, voters.map(([o, t]) => [owner(o), t] as [string, number]), asns.map(([a, t]) => [rep.asnNumbers[a], t] as [number, number])]),
    dirty: st.dirtyList.map(ip),
    // IPs waiting for their collusion settle instant are revisited after a restore like dirty ones.
    collusionDirty: [...st.collusionList, ...[...st.coPending].filter((x) => st.ips.collusionDirty[x] === 0)].map(ip),
    coIndependent: [...st.coIndependent].map(ip),
    campaignCounted: campaignCountedKeys(st),
    forced: [...st.forced].map(ip),
    lastMaintenanceDay: st.lastMaintenanceDay,
    nextCollusionAt: Number.isFinite(st.nextCollusionAt) ? st.nextCollusionAt : null,
    counters: { ...st.counters },
  };
}

/** Loads a snapshot into a fresh engine state (created with the snapshot's params). */
export function restoreEngine(st: EngineState, s: EngineSnapshot): void {
  if (s.version !== 1 && s.version !== 2) throw new Error(`unsupported engine snapshot version ${String(s.version)}`);
  for (const name of s.scenarioClasses) st.classIndex(name);
  for (const o of s.owners) st.reporters.owners.intern(o);
  for (const r of s.reporters) restoreReporter(st, r);
  st.collusion.ensureOwners(st.reporters.owners.size);
  for (const x of s.ips) restoreIp(st, x);
  const owner = (id: string): number => st.reporters.owners.intern(id);
  for (const [o, times] of s.novelty) st.novelty.import(owner(o), times);
  st.collusion.importState({
    pairs: s.collusion.pairs.map(([a, b, n, t]) => [owner(a), owner(b), n, t]),
    edges: s.collusion.edges.map(([a, b]) => [owner(a), owner(b)]),
    activity: s.collusion.activity.map(([o, t]) => [owner(o), t]),
    dark: s.collusion.dark.map(([o, v, t]) => [owner(o), v, t]),
  });
  st.campaigns.import(s.campaigns);
  st.memberCampaigns.import(
    (s.memberCampaigns ?? []).map(([f, sh, l, at, voters, asns]) => [
      f,
      sh,
      l,
      at,
      voters.map(([o, t]) => [owner(o), t] as [number, number]),
      asns.map(([a, t]) => [st.reporters.asns.intern(String(a)), t] as [number, number]),
    ]),
  );
  const ip = (key: string): number => st.ips.find(key);
  for (const key of s.dirty) st.markDirty(ip(key));
  for (const key of s.collusionDirty) st.markCollusion(ip(key));
  for (const key of s.coIndependent ?? []) st.coIndependent.add(ip(key));
  for (const key of s.campaignCounted ?? []) {
    const x = ip(key);
    if (x >= 0) st.ips.campaignCounted[x] = 1;
  }
  for (const key of s.forced) st.forced.add(ip(key));
  st.lastMaintenanceDay = s.lastMaintenanceDay;
  st.nextCollusionAt = s.nextCollusionAt ?? -Infinity;
  Object.assign(st.counters, s.counters);
}

/**
 * Keys of the IPs counted once as member evidence of a campaign (`noteCorroborated` in decide.ts) and
 * never listed: without the mark a restored engine would count them a second time at its next run.
 */
function campaignCountedKeys(st: EngineState): string[] {
  const { ips } = st;
  const keys: string[] = [];
  for (let x = 0; x < ips.size; x++) {
    if (ips.campaignCounted[x] === 1 && ips.lastListing[x] === undefined) keys.push(ips.keys[x]);
  }
  return keys;
}
