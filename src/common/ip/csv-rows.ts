/**
 * Scans a CSV text line by line without building substrings: for each non-empty line, `onRow`
 * gets the [start, end) offsets of its cells in `cells` (quotes included) and the cell count.
 * Quoted cells may hold commas and doubled quotes, not line breaks (range datasets have none).
 * A line with more than `maxCells` cells is reported with count `maxCells + 1`.
 */
export function scanCsv(text: string, maxCells: number, onRow: (cells: Int32Array, count: number) => void): void {
  const cells = new Int32Array(maxCells * 2);
  const len = text.length;
  let pos = 0;
  while (pos < len) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = len;
    const lineEnd = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (lineEnd > pos) onRow(cells, splitLine(text, pos, lineEnd, cells, maxCells));
    pos = nl + 1;
  }
}

function splitLine(text: string, start: number, lineEnd: number, cells: Int32Array, maxCells: number): number {
  let count = 0;
  let pos = start;
  for (;;) {
    let end: number;
    if (text.charCodeAt(pos) === 34) {
      let q = pos + 1;
      for (;;) {
        q = text.indexOf('"', q);
        if (q < 0 || q >= lineEnd) {
          q = lineEnd - 1;
          break;
        }
        if (text.charCodeAt(q + 1) !== 34) break;
        q += 2;
      }
      end = q + 1;
      if (end < lineEnd && text.charCodeAt(end) !== 44) return maxCells + 1; // text after a closing quote
    } else {
      end = text.indexOf(',', pos);
      if (end < 0 || end > lineEnd) end = lineEnd;
    }
    if (count === maxCells) return maxCells + 1;
    cells[count * 2] = pos;
    cells[count * 2 + 1] = end;
    count++;
    if (end >= lineEnd) return count;
    pos = end + 1;
    if (pos === lineEnd) {
      if (count === maxCells) return maxCells + 1;
      cells[count * 2] = pos;
      cells[count * 2 + 1] = pos;
      return count + 1;
    }
  }
}

/** The text of a cell, unquoted. */
export function cellText(text: string, start: number, end: number): string {
  if (end - start >= 2 && text.charCodeAt(start) === 34 && text.charCodeAt(end - 1) === 34) {
    return text.slice(start + 1, end - 1).replaceAll('""', '"');
  }
  return text.slice(start, end);
}

/** True when the unquoted cell [start, end) equals `value`, without allocating. */
export function cellEquals(text: string, start: number, end: number, value: string): boolean {
  if (text.charCodeAt(start) === 34) return cellText(text, start, end) === value;
  return end - start === value.length && text.startsWith(value, start);
}

/** Parses a cell of 1-10 decimal digits as an unsigned integer; -1 when it is not one. */
export function cellUint(text: string, start: number, end: number): number {
  if (end <= start || end - start > 10) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}
