export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
}

export type FetchLike = typeof fetch;

/** Network-level failure (refused, reset, DNS, timeout): always worth retrying later. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

/** One request with a hard timeout on the whole exchange, body included. */
export async function httpRequest(req: HttpRequest, fetchImpl: FetchLike = fetch): Promise<HttpResponse> {
  try {
    const res = await fetchImpl(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs),
      redirect: 'error',
    });
    const body = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    throw new NetworkError(`${req.method} ${req.url}: ${err.cause?.code ?? err.name}: ${err.message}`);
  }
}

/** `Retry-After` as milliseconds (delta-seconds or HTTP date), or null. */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const v = headers.get('retry-after');
  if (v === null) return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** Parses a JSON body; null when it is not JSON (a proxy error page, a truncated answer). */
export function jsonBody(res: HttpResponse): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    return null;
  }
}
