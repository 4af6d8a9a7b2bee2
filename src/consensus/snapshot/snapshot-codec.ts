import type { ConsensusRuntime, RuntimeRestore } from '../consensus-runtime.js';
import { BINARY_FORMAT, decodeBinarySnapshot, encodeBinarySnapshot } from './binary-format.js';
import { decodeJsonLinesSnapshot, JSON_LINES_FORMAT } from './json-lines-format.js';
import type { SnapshotHeader } from './snapshot-format.js';

export { canonicalJson, sha256Hex, SNAPSHOT_FORMAT, SnapshotRejected } from './snapshot-format.js';
export type { EncodedSnapshot, SnapshotCounts, SnapshotCursor, SnapshotHead, SnapshotHeader } from './snapshot-format.js';

/**
 * The byte formats of a consensus snapshot (docs/scaling.md, "Snapshots and fail-over"). Workers write
 * FORMAT_VERSION (2, binary per-IP records: binary-format.ts) and restore either it or format 1 (JSON
 * lines, json-lines-format.ts) written by earlier builds; any other version is skipped and, with no
 * other snapshot left, the worker replays its whole history.
 *
 * FORMAT_VERSION is the envelope's version; the engine's own state format is versioned by
 * `EngineSnapshot.version` and by `shape` (engine-compat.ts), both checked before a restore.
 */
export const FORMAT_VERSION = BINARY_FORMAT;
export const READABLE_FORMATS: readonly number[] = [JSON_LINES_FORMAT, BINARY_FORMAT];

export const encodeSnapshot = encodeBinarySnapshot;

/** Restores a snapshot of format `formatVersion` into the runtime `open` returns for its header. */
export function decodeSnapshot(
  formatVersion: number,
  chunks: AsyncIterable<Buffer>,
  check: (header: SnapshotHeader) => string | null,
  expectedSha256: string | null,
  open: (header: SnapshotHeader) => RuntimeRestore,
): Promise<{ header: SnapshotHeader; result: ConsensusRuntime }> {
  if (formatVersion === BINARY_FORMAT) return decodeBinarySnapshot(chunks, check, expectedSha256, open);
  if (formatVersion === JSON_LINES_FORMAT) return decodeJsonLinesSnapshot(chunks, check, expectedSha256, open);
  throw new Error(`snapshot format ${formatVersion} is not readable by this build`);
}
