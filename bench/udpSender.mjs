// Sends Teleplot lines over UDP to 127.0.0.1:PORT at a target rate, in packets of
// many lines, from its own process (so that sender and receiver each have a core).
// Usage: node bench/udpSender.mjs PORT LINES_PER_SECOND SECONDS LINES_PER_PACKET
// Prints one JSON line: { lines, packets, seconds, errors }.
import dgram from 'node:dgram';

const [port, rate, seconds, perPacket] = process.argv.slice(2).map(Number);
const SERIES = ['pump.pressure', 'pump.flow', 'motor.rpm', 'temp'];

// Pre-built packets (distinct values), cycled: the sender must not be the bottleneck.
const packets = [];
for (let p = 0; p < 256; p++) {
  let s = '';
  for (let i = 0; i < perPacket; i++) {
    const v = Math.sin((p * perPacket + i) / 50) * 100;
    s += `${SERIES[i % SERIES.length]}:${v.toFixed(3)}\n`;
  }
  packets.push(Buffer.from(s));
}

const socket = dgram.createSocket('udp4');
socket.on('error', () => undefined);
// (the send buffer can only be sized once bound; sends are paced instead)
let sent = 0;
let errors = 0;
let inFlight = 0;
let k = 0;
const t0 = process.hrtime.bigint();
const end = Number(seconds) * 1e9;
const onSent = (err) => {
  inFlight--;
  if (err) errors++;
};

function pump() {
  const elapsed = Number(process.hrtime.bigint() - t0);
  if (elapsed >= end) return finish(elapsed);
  const due = Math.floor((rate * elapsed) / 1e9);
  // Bounded bursts, and never more than a few thousand sends queued in libuv.
  let burst = 0;
  while (sent < due && burst < 2000 && inFlight < 4000) {
    inFlight++;
    socket.send(packets[k++ & 255], port, '127.0.0.1', onSent);
    sent += perPacket;
    burst++;
  }
  setImmediate(pump);
}

function finish(elapsed) {
  const wait = () => {
    if (inFlight > 0) return setTimeout(wait, 5);
    socket.close();
    process.stdout.write(`${JSON.stringify({ lines: sent, packets: sent / perPacket, seconds: elapsed / 1e9, errors })}\n`);
  };
  wait();
}

pump();
