import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './waits.js';

export interface ReceivedEmail {
  to: string[];
  subject: string;
  /** The text part, decoded (quoted-printable or base64 as the client chose). */
  text: string;
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Reads a single-part text/plain message as nodemailer writes it (enough for Quorum's own messages). */
function parse(raw: string, to: string[]): ReceivedEmail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { to, subject: header('Subject'), text: text.replace(/\r\n/g, '\n') };
}

/** A real SMTP server (smtp-server) on a loopback port, keeping what it receives. */
export class SmtpInbox {
  readonly messages: ReceivedEmail[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        this.messages.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** The latest message to `address` whose subject matches, once it has arrived (bounded wait). */
  async waitFor(address: string, subject: RegExp, timeoutMs = 30_000): Promise<ReceivedEmail> {
    return waitFor(`an email "${subject.source}" to ${address}`, timeoutMs, () => [...this.messages].reverse().find((m) => m.to.includes(address) && subject.test(m.subject)));
  }

  /** The token of the link in a message (`?token=...`). */
  static token(message: ReceivedEmail): string {
    const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(message.text);
    if (!match) throw new Error(`no token in: ${message.text}`);
    return match[1];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
