import { createHmac } from 'node:crypto';

/** A keyed pseudonym (HMAC-SHA256, 128 bits as hex): stable under one key, unlinkable without it. */
export function pseudonym(key: Buffer | string, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex').slice(0, 32);
}
