import { ChunkedText } from './chunked-text.js';
import type { BlocklistEntry, RenderContext } from './types.js';
import { assertValue, isoUntil, memo } from './values.js';

export const CSV_HEADER = 'value,scope,scenario,until';

/** RFC 4180: a field is quoted when it holds a comma, a quote, CR or LF; quotes are doubled. */
export function csvField(field: string): string {
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return `"${field.replaceAll('"', '""')}"`;
  }
  return field;
}

/** Header line, then one row per entry; CRLF line ends as RFC 4180 asks. Values need no quoting
 * (they are validated IPs/CIDRs) and `until` is an RFC 3339 UTC timestamp. */
export function renderCsv(entries: readonly BlocklistEntry[], _ctx: RenderContext): Buffer {
  const quote = memo(csvField);
  const out = new ChunkedText();
  let batch = CSV_HEADER + '\r\n';
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    assertValue(entry);
    batch += `${entry.value},${quote(entry.scope)},${quote(entry.scenarioClass)},${isoUntil(entry)}\r\n`;
    if ((i & 1023) === 1023) {
      out.push(batch);
      batch = '';
    }
  }
  out.push(batch);
  return out.toBuffer();
}
