import { ChunkedText } from './chunked-text.js';
import type { BlocklistEntry, RenderContext } from './types.js';
import { assertValue, isoUntil, memo } from './values.js';

/**
 * Shape (one entry per line, so the body also reads well in a terminal):
 *
 *   {"version":42,"generatedAt":"2026-11-25T17:00:00.000Z","count":2,"entries":[
 *   {"value":"192.0.2.1","scope":"ip","scenario":"quorum/ssh-bf","until":"2026-11-26T17:00:00.000Z"},
 *   {"value":"2001:db8:1:2::/64","scope":"range","scenario":"http-probing","until":"2026-11-27T09:30:00.000Z"}
 *   ]}
 *
 * `count` equals `entries.length`; `until` is RFC 3339 UTC; the order is the view's ranking.
 */
export function renderJson(entries: readonly BlocklistEntry[], ctx: RenderContext): Buffer {
  const str = memo((s) => JSON.stringify(s));
  const out = new ChunkedText();
  let batch =
    `{"version":${JSON.stringify(ctx.version)},"generatedAt":"${ctx.generatedAt.toISOString()}",` +
    `"count":${entries.length},"entries":[\n`;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    assertValue(entry);
    batch +=
      `{"value":"${entry.value}","scope":${str(entry.scope)},"scenario":${str(entry.scenarioClass)},` +
      `"until":"${isoUntil(entry)}"}${i + 1 < entries.length ? ',\n' : '\n'}`;
    if ((i & 1023) === 1023) {
      out.push(batch);
      batch = '';
    }
  }
  out.push(batch + ']}\n');
  return out.toBuffer();
}
