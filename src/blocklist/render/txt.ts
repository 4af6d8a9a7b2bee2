import { ChunkedText } from './chunked-text.js';
import type { BlocklistEntry, RenderContext } from './types.js';
import { assertValue } from './values.js';

/** One value per line, `\n`-terminated, nothing else: the format CrowdSec's `links.blocklists`
 * and most firewall scripts read. An empty list is an empty body. */
export function renderTxt(entries: readonly BlocklistEntry[], _ctx: RenderContext): Buffer {
  const out = new ChunkedText();
  let batch = '';
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    assertValue(entry);
    batch += entry.value + '\n';
    if ((i & 1023) === 1023) {
      out.push(batch);
      batch = '';
    }
  }
  out.push(batch);
  return out.toBuffer();
}
