// The DNS baseline of bench:dnsbl: a bare node:dgram responder sending one fixed response (Quorum's own
// answer to a listed address) to every query, with the query's id written in. No parsing, no lookup:
// the floor of any DNS server in Node on this machine. GET /healthz on BENCH_HTTP_PORT tells readiness.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';

const udpPort = Number(process.env.BENCH_UDP_PORT);
const httpPort = Number(process.env.BENCH_HTTP_PORT);
const response = Buffer.from(process.env.BENCH_RESPONSE_HEX ?? '', 'hex');
if (!(udpPort > 0) || !(httpPort > 0) || response.length < 12) {
  process.stderr.write('udp-responder: BENCH_UDP_PORT, BENCH_HTTP_PORT and BENCH_RESPONSE_HEX are required\n');
  process.exit(2);
}

const socket = createSocket('udp4');
socket.on('message', (query, peer) => {
  if (query.length < 12) return;
  const out = Buffer.from(response);
  out[0] = query[0];
  out[1] = query[1];
  socket.send(out, peer.port, peer.address);
});
socket.bind(udpPort, '127.0.0.1', () => {
  createServer((_req, res) => res.end('ok')).listen(httpPort, '127.0.0.1');
});
