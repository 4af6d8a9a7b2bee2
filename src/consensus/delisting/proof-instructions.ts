import { DELISTING_EXPIRY } from './delisting-expiry-policy.js';
import { proofUrl } from './proof-verifier.js';

/**
 * What a holder can do to show control of a listed IP, in the words and with the exact values the
 * answer to a new delisting request gives (docs/consensus.md, "Delisting"). Three ways, for three
 * situations: a server that can serve a file (HTTP or HTTPS), a server running a Quorum agent, and a
 * holder who cannot prove anything (carrier NAT, a mobile network, a home router) and asks a person.
 */
export interface ProofInstructions {
  token_expires_at: string;
  serve_file: { urls: string[]; content: string; content_type: string; then: string };
  from_agent: { url: string; body: { token: string }; how: string };
  reasoned_review: { url: string; how: string };
}

export function proofInstructions(ip: string, requestId: string, token: string, createdAt: Date): ProofInstructions {
  const expires = new Date(createdAt.getTime() + DELISTING_EXPIRY.unprovenMs);
  const base = `/v1/delisting-requests/${requestId}`;
  return {
    token_expires_at: expires.toISOString(),
    serve_file: {
      urls: [proofUrl(ip, requestId, 'http'), proofUrl(ip, requestId, 'https')],
      content: token,
      content_type: 'text/plain',
      then:
        `Serve exactly the content at one of these URLs (port 80, or 443 with any certificate), then POST {"token": ...} to ${base}/verify. ` +
        `The file can be removed once the request is verified. The token is valid until ${expires.toISOString()}; unproven requests are then deleted.`,
    },
    from_agent: {
      url: `${base}/agent-proof`,
      body: { token },
      how:
        'On a server whose public address is this IP and that runs a Quorum agent: POST the body to this URL with the agent\'s bearer token ' +
        `(for example: curl -H "Authorization: Bearer $(quorum-agent token)" -H 'content-type: application/json' -d '{"token":"${token}"}' <quorum>${base}/agent-proof). ` +
        'The request must leave from this IP.',
    },
    reasoned_review: {
      url: `${base}/review-request`,
      how:
        'When you cannot serve a file or run an agent on this IP (carrier NAT, mobile network, shared address): POST {"token", "reason", "contact"} ' +
        'to this URL. An operator reviews the listing with your reason; the listing stays published until then. The contact (optional) is only ' +
        'used to answer you and is deleted when the request is decided.',
    },
  };
}
