import type { StoredEntry } from '../blocklist.types.js';
import { ChunkedText } from '../render/chunked-text.js';
import { assertValue, isoUntil, memo } from '../render/values.js';

/**
 * The body of `GET /v1/blocklist/changes`, one entry per line like the json view, entries in the
 * json view's shape and in rank order:
 *
 *   {"version":43,"since":42,"added":[
 *   {"value":"192.0.2.1","scope":"ip","scenario":"quorum/ssh-bf","until":"2026-11-26T17:00:00.000Z"}
 *   ],"removed":[
 *   {"value":"198.51.100.7","scope":"ip","scenario":"crowdsecurity/http-probing","until":"2026-11-25T18:00:00.000Z"}
 *   ]}
 *
 * A removed entry carries the attributes it had when the client last saw it.
 */
export function renderDeltaJson(version: number, since: number, added: readonly StoredEntry[], removed: readonly StoredEntry[]): Buffer {
  const str = memo((s) => JSON.stringify(s));
  const out = new ChunkedText();
  const list = (entries: readonly StoredEntry[]): void => {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      assertValue(e);
      out.push(
        `{"value":"${e.value}","scope":${str(e.scope)},"scenario":${str(e.scenarioClass)},"until":"${isoUntil(e)}"}` +
          (i + 1 < entries.length ? ',\n' : '\n'),
      );
    }
  };
  out.push(`{"version":${version},"since":${since},"added":[\n`);
  list(added);
  out.push('],"removed":[\n');
  list(removed);
  out.push(']}\n');
  return out.toBuffer();
}
