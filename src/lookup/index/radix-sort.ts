/**
 * Order of `keys` ascending (stable), as a permutation of row numbers: two 16-bit counting passes,
 * linear in the number of keys (a comparator sort of a million rows takes ten times longer).
 */
export function sortedOrder(keys: Uint32Array, length = keys.length): Uint32Array {
  let order = new Uint32Array(length);
  let next = new Uint32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  const counts = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < length; i++) counts[((keys[order[i]] >>> shift) & 0xffff) + 1]++;
    for (let b = 1; b <= 65536; b++) counts[b] += counts[b - 1];
    for (let i = 0; i < length; i++) {
      const row = order[i];
      next[counts[(keys[row] >>> shift) & 0xffff]++] = row;
    }
    [order, next] = [next, order];
  }
  return order;
}
