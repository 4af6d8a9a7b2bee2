/**
 * Bounds checked on the raw bytes of every JSON body before it is parsed, so nothing downstream
 * (class-transformer, class-validator, loggers) ever walks a structure deeper or wider than these.
 * The deepest body Quorum knows (CrowdSec usage metrics, Stripe events) nests about ten levels; the
 * widest (a full CrowdSec signal batch with decisions and context) holds a few thousand values.
 */
export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_VALUES = 20_000;

export interface JsonShape {
  /** deepest nesting of arrays and objects seen (the scan stops past `maxDepth`) */
  depth: number;
  /** commas outside strings plus one: an upper bound of the values a body holds */
  values: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * One linear pass over the bytes, no recursion: nesting depth and value count, ignoring anything
 * inside strings (an unterminated string ends the scan; JSON.parse refuses the body). UTF-8 continuation bytes are all >= 0x80, so the ASCII punctuation tested here is
 * never part of a multi-byte character. Malformed JSON is left for JSON.parse to refuse.
 */
export function scanJsonShape(body: Buffer, maxDepth = MAX_JSON_DEPTH, maxValues = MAX_JSON_VALUES): JsonShape {
  let depth = 0;
  let deepest = 0;
  let values = 1;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (byte === QUOTE) {
      // Strings hold most of the bytes: jump to the closing quote (native search), skipping escaped ones.
      let end = i;
      for (;;) {
        end = body.indexOf(QUOTE, end + 1);
        if (end === -1) return { depth: deepest, values };
        let backslashes = 0;
        while (body[end - 1 - backslashes] === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      i = end;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > maxDepth) break;
      }
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    } else if (byte === COMMA) {
      values++;
      if (values > maxValues) break;
    }
  }
  return { depth: deepest, values };
}
