// A UDP DNS load generator for bench:dnsbl: keeps `window` queries in flight, cycling through
// pre-encoded queries, and matches answers by id. A query unanswered after TIMEOUT_MS counts as lost
// and is replaced, so a dropped datagram never stalls the window.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { LatencySamples } from '../lib/stats.js';

const TIMEOUT_MS = 1_000;

export interface UdpSegment {
  durationSec: number;
  responses: number;
  /** answers by DNS rcode name (NOERROR, NXDOMAIN, REFUSED...) */
  rcodes: Record<string, number>;
  lost: number;
  latencies: LatencySamples;
  bytesPerResponse: number;
}

const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export async function runUdpLoad(port: number, queries: readonly Buffer[], window: number, durationSec: number): Promise<UdpSegment> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const sentAt = new Float64Array(65_536).fill(-1);
  const latencies = new LatencySamples();
  const rcodes: Record<string, number> = {};
  let responses = 0;
  let bytes = 0;
  let lost = 0;
  let nextId = 0;
  let next = 0;
  let running = true;

  const send = (): void => {
    let id = nextId;
    while (sentAt[id] >= 0) id = (id + 1) & 0xffff;
    nextId = (id + 1) & 0xffff;
    const query = Buffer.from(queries[next]);
    next = (next + 1) % queries.length;
    query.writeUInt16BE(id, 0);
    sentAt[id] = performance.now();
    socket.send(query, port, '127.0.0.1');
  };

  socket.on('message', (answer) => {
    if (answer.length < 12) return;
    const id = answer.readUInt16BE(0);
    const started = sentAt[id];
    if (started < 0) return;
    sentAt[id] = -1;
    latencies.push(performance.now() - started);
    responses++;
    bytes += answer.length;
    const rcode = RCODE_NAMES[answer[3] & 0xf] ?? `RCODE${answer[3] & 0xf}`;
    rcodes[rcode] = (rcodes[rcode] ?? 0) + 1;
    if (running) send();
  });

  const sweeper = setInterval(() => {
    const now = performance.now();
    for (let id = 0; id < sentAt.length; id++) {
      if (sentAt[id] >= 0 && now - sentAt[id] > TIMEOUT_MS) {
        sentAt[id] = -1;
        lost++;
        if (running) send();
      }
    }
  }, 250);

  const started = performance.now();
  for (let i = 0; i < window; i++) send();
  await new Promise((resolve) => setTimeout(resolve, durationSec * 1000));
  running = false;
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sweeper);
  socket.close();
  return { durationSec: elapsed, responses, rcodes, lost, latencies, bytesPerResponse: responses > 0 ? bytes / responses : 0 };
}
