/**
 * PostgreSQL `text` and `jsonb` cannot hold U+0000, and unpaired UTF-16 surrogates cannot be encoded
 * in UTF-8 (jsonb refuses them, text gets U+FFFD). Such characters are refused at the edge, once, for
 * every JSON body, path parameter and query parameter (see hostile-input.hook.ts).
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Cheap first test: almost no string holds a NUL or a surrogate at all (pairs are then checked exactly).
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
const SUSPECT = /[\u0000\ud800-\udfff]/;

export function isStorableText(text: string): boolean {
  return !SUSPECT.test(text) || !UNSTORABLE.test(text);
}

interface Pending {
  value: unknown;
  path: string;
}

/** True when some string or key under `root` cannot be stored. Iterative; no paths built (hot path). */
function holdsUnstorableText(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (!isStorableText(value)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        if (!isStorableText(key)) return true;
        stack.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

/**
 * The path (`signals.3.labels.service`, `<key>` for a key) of the first string or object key that
 * PostgreSQL cannot store, or null. Iterative: safe on any depth, linear in the size of the value.
 */
export function findUnstorableText(root: unknown, rootPath = ''): string | null {
  if (!holdsUnstorableText(root)) return null;
  const stack: Pending[] = [{ value: root, path: rootPath }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as Pending;
    if (typeof value === 'string') {
      if (!isStorableText(value)) return path || '(value)';
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const prefix = path ? `${path}.` : '';
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${prefix}${i}` });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (!isStorableText(key)) return `${prefix}<key>`;
      stack.push({ value: (value as Record<string, unknown>)[key], path: `${prefix}${key}` });
    }
  }
  return null;
}
