/** Proof that the requester controls an IP: the one-time token served over HTTP from that IP. */
export abstract class ProofVerifier {
  /** True when `http://<ip>/.well-known/quorum-delisting/<id>` answers exactly `token`. */
  abstract verify(ip: string, requestId: string, token: string): Promise<boolean>;
}

export function proofUrl(ip: string, requestId: string): string {
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return `http://${host}/.well-known/quorum-delisting/${requestId}`;
}

/** Fetches the proof from the IP itself: no redirects, 5 s, at most 1 KiB read. */
export class HttpProofVerifier extends ProofVerifier {
  async verify(ip: string, requestId: string, token: string): Promise<boolean> {
    try {
      const res = await fetch(proofUrl(ip, requestId), { redirect: 'manual', signal: AbortSignal.timeout(5_000) });
      if (res.status !== 200) return false;
      const text = (await res.text()).slice(0, 1024).trim();
      return text === token;
    } catch {
      return false;
    }
  }
}
