import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { loginMessage, signalsMessage } from '../agents/signed-messages.js';
import { ed25519PublicKeyToBase64 } from '../common/crypto/ed25519.js';

/** A demo agent as kept in `<dataDir>/demo-agents.json` (the demo's own keys, never real ones). */
export interface DemoAgentFile {
  id: string;
  organizationId: string;
  name: string;
  /** the source address it enrolls and logs in from (one /24 and one ASN per demo organisation) */
  source: string;
  asn: number;
  privateKeyPem: string;
}

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  payload?: string | object;
  remoteAddress?: string;
}
export interface HttpAnswer {
  statusCode: number;
  body: string;
}
/** One request through the full HTTP stack (Fastify inject in-process). */
export type HttpClient = (call: HttpCall) => Promise<HttpAnswer>;

export function newDemoKeys(): { privateKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), publicKey: ed25519PublicKeyToBase64(publicKey) };
}

export function nonce(): string {
  return randomBytes(12).toString('base64url');
}

export class DemoAgent {
  private readonly key: KeyObject;
  private token: string | null = null;

  constructor(
    readonly file: DemoAgentFile,
    private readonly http: HttpClient,
  ) {
    this.key = createPrivateKey(file.privateKeyPem);
  }

  async login(): Promise<void> {
    const sentAt = new Date().toISOString();
    const n = nonce();
    const signature = sign(null, loginMessage(this.file.id, sentAt, n), this.key).toString('base64');
    const res = await this.http({
      method: 'POST',
      url: '/v1/agents/login',
      payload: { agent_id: this.file.id, sent_at: sentAt, nonce: n, signature },
      remoteAddress: this.file.source,
    });
    if (res.statusCode !== 200) throw new Error(`demo agent ${this.file.name}: login answered ${res.statusCode} ${res.body}`);
    this.token = (JSON.parse(res.body) as { token: string }).token;
  }

  /** Pushes one signed batch; logs in again once when the token expired. */
  async push(signals: object[]): Promise<HttpAnswer> {
    if (!this.token) await this.login();
    let res = await this.send(signals);
    if (res.statusCode === 401) {
      await this.login();
      res = await this.send(signals);
    }
    return res;
  }

  private send(signals: object[]): Promise<HttpAnswer> {
    const payload = JSON.stringify({ signals });
    const sentAt = new Date().toISOString();
    const n = nonce();
    const signature = sign(null, signalsMessage(this.file.id, sentAt, n, Buffer.from(payload)), this.key).toString('base64');
    return this.http({
      method: 'POST',
      url: '/v1/signals',
      payload,
      remoteAddress: this.file.source,
      headers: {
        authorization: `Bearer ${this.token ?? ''}`,
        'content-type': 'application/json',
        'x-quorum-sent-at': sentAt,
        'x-quorum-nonce': n,
        'x-quorum-signature': signature,
      },
    });
  }
}
