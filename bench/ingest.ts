/**
 * Telemetry ingest.
 * 1. The Teleplot parser (src/core/parsers/teleplot.ts), lines/s on one core, against
 *    a straightforward split + regex parser.
 * 2. End to end in Node: real UDP on 127.0.0.1 from a sender process at rising rates,
 *    through the udp source into a Session (src/core, real SystemClock), counting the
 *    samples that reach a visible view (deltas) against the lines sent. The baseline is
 *    the same socket with the straightforward parser and one JSON message per packet.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import { SystemClock } from '../src/core/clock';
import { TeleplotParser } from '../src/core/parsers/teleplot';
import type { Owner, ViewSink } from '../src/core/session';
import { SessionManager } from '../src/core/sessionManager';
import { createBuiltinRegistry } from '../src/core/sources/registry';
import type { HostToViewMessage } from '../src/shared/protocol';
import { freeUdpPort, median, report, sleep } from './lib';

const quick = process.argv.includes('--quick');

// ------------------------------------------------------------------ corpus

/** Packets of Teleplot lines as a device sends them: plain, timestamped, with units, several samples. */
function corpus(lines: number, perPacket = 50): string[] {
  const names = ['pump.pressure', 'pump.flow', 'motor.rpm', 'temp', 'accel_x', 'accel_y'];
  const packets: string[] = [];
  let s = '';
  for (let i = 0; i < lines; i++) {
    const name = names[i % names.length]!;
    const v = (Math.sin(i / 37) * 1000).toFixed(3);
    const k = i % 10;
    if (k < 6) s += `${name}:${v}\n`;
    else if (k < 9) s += `${name}:${1718000000000 + i}:${v}\n`;
    else s += `>${name}:${v}§bar|g\n`;
    if ((i + 1) % perPacket === 0) {
      packets.push(s);
      s = '';
    }
  }
  if (s) packets.push(s);
  return packets;
}

/** A straightforward parser: split lines, one regex per line, split samples and fields, parseFloat. */
const LINE = /^>?([^:|§]+?)\s*(?:§[^:]*)?:([^|]*?)(?:§[^|]*)?(?:\|(.*))?$/;
function naiveParse(text: string, now: number, emit: (name: string, x: number, y: number) => void): number {
  let bad = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = LINE.exec(line);
    if (!m) {
      bad++;
      continue;
    }
    if (m[3] && m[3].split(',').includes('t')) continue;
    const name = m[1]!.trim();
    for (const sample of m[2]!.split(';')) {
      const f = sample.split(':').map((p) => parseFloat(p));
      if (f.some((v) => !Number.isFinite(v))) {
        bad++;
        continue;
      }
      if (f.length === 1) emit(name, now, f[0]!);
      else emit(name, f[0]!, f[1]!);
    }
  }
  return bad;
}

function parserBench() {
  const packets = corpus(quick ? 200_000 : 1_000_000);
  const lines = packets.reduce((n, p) => n + p.split('\n').length - 1, 0);
  let sink = 0;
  const emit = (_n: string, x: number, y: number) => {
    sink += y - x * 0;
  };
  const ours = new TeleplotParser(emit);
  const runOurs = () => {
    const t0 = performance.now();
    for (const p of packets) ours.parse(p, 1);
    return lines / ((performance.now() - t0) / 1000);
  };
  const runNaive = () => {
    const t0 = performance.now();
    for (const p of packets) naiveParse(p, 1, emit);
    return lines / ((performance.now() - t0) / 1000);
  };
  // Sanity: both parsers accept the same samples.
  let a = 0;
  let b = 0;
  const pa = new TeleplotParser(() => a++);
  for (const p of packets.slice(0, 100)) pa.parse(p, 1);
  for (const p of packets.slice(0, 100)) naiveParse(p, 1, () => b++);
  if (a !== b || pa.malformed !== 0) throw new Error(`parsers disagree on the corpus: ${a} vs ${b}, malformed ${pa.malformed}`);
  const runs = quick ? 3 : 7;
  for (let i = 0; i < 2; i++) {
    runOurs();
    runNaive();
  }
  const o: number[] = [];
  const n: number[] = [];
  for (let i = 0; i < runs; i++) {
    o.push(runOurs());
    n.push(runNaive());
  }
  if (sink === 0.123) console.log(sink);
  return { lines, runs, oursLinesPerSec: median(o), naiveLinesPerSec: median(n), oursAll: o, naiveAll: n };
}

// ------------------------------------------------------------------ UDP end to end

const LIMITS = {
  defaultPeriodMs: 20,
  defaultPoints: 1_000_000,
  minPeriodMs: 10,
  maxPeriodMs: 60_000,
  maxPoints: 2_000_000,
  maxSessions: 10_000,
  periodControl: { min: 10, max: 2000, step: 10 },
};
const OWNER: Owner = { kind: 'api', group: 'bench', groupKey: 'bench', isAlive: () => true };
const SENDER = path.join(path.dirname(new URL(import.meta.url).pathname), 'udpSender.mjs');
const PER_PACKET = 50;

function runSender(port: number, rate: number, seconds: number): Promise<{ lines: number; seconds: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SENDER, String(port), String(rate), String(seconds), String(PER_PACKET)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 20) * 1000);
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!));
      } catch (e) {
        reject(new Error(`sender failed: ${out} ${e}`));
      }
    });
  });
}

interface Step {
  rate: number;
  sentLines: number;
  sentRate: number;
  received: number;
  lost: number;
  cpuPct: number;
}

/** Our pipeline: udp source → Session → a visible view's deltas. */
async function oursStep(rate: number, seconds: number): Promise<Step> {
  const port = await freeUdpPort();
  const clock = new SystemClock();
  const manager = new SessionManager({ clock, registry: createBuiltinRegistry(), limits: () => LIMITS, newId: () => 'udp-bench' });
  const session = manager.create({ title: 'udp', source: { kind: 'udp', address: '127.0.0.1', port }, periodMs: 20, points: 1_000_000 }, OWNER);
  let received = 0;
  let counting = false;
  let replaces = 0;
  const view: ViewSink = {
    id: 'v',
    post: (m: HostToViewMessage) => {
      if (m.type !== 'delta' && m.type !== 'snapshot') return;
      if (m.type === 'delta' && m.replace) replaces += counting ? 1 : 0;
      if (!counting) return;
      for (const col of m.y) for (let i = 0; i < col.length; i++) if (col[i] === col[i]) received++;
    },
  };
  session.attachView(view, true);
  // Prime: every series once, so that no column is added (a full replace) while counting.
  const primer = dgram.createSocket('udp4');
  await sleep(100);
  await new Promise<void>((r) => primer.send('pump.pressure:1\npump.flow:1\nmotor.rpm:1\ntemp:1\n', port, '127.0.0.1', () => r()));
  await sleep(200);
  primer.close();
  counting = true;
  const c0 = process.cpuUsage();
  const sent = await runSender(port, rate, seconds);
  await sleep(300); // a few ticks to flush what arrived
  const c = process.cpuUsage(c0);
  counting = false;
  manager.dispose();
  if (replaces) throw new Error(`unexpected full replaces while counting: ${replaces}`);
  return {
    rate,
    sentLines: sent.lines,
    sentRate: Math.round(sent.lines / sent.seconds),
    received,
    lost: sent.lines - received,
    cpuPct: Math.round(((c.user + c.system) / 1000 / (sent.seconds * 1000)) * 1000) / 10,
  };
}

/** Baseline: the same socket, the straightforward parser, one JSON message per packet. */
async function baselineStep(rate: number, seconds: number): Promise<Step> {
  const port = await freeUdpPort();
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(port, '127.0.0.1', () => r()));
  try {
    socket.setRecvBufferSize(8 * 1024 * 1024);
  } catch {
    // capped by the OS
  }
  let received = 0;
  let bytes = 0;
  socket.on('message', (msg) => {
    const samples: { name: string; x: number; y: number }[] = [];
    naiveParse(msg.toString('utf8'), Date.now(), (name, x, y) => samples.push({ name, x, y }));
    // One postMessage per packet: VS Code serialises it to JSON on the way to the webview.
    bytes += JSON.stringify({ type: 'data', samples }).length;
    received += samples.length;
  });
  const c0 = process.cpuUsage();
  const sent = await runSender(port, rate, seconds);
  await sleep(300);
  const c = process.cpuUsage(c0);
  socket.close();
  if (bytes < 0) console.log(bytes);
  return {
    rate,
    sentLines: sent.lines,
    sentRate: Math.round(sent.lines / sent.seconds),
    received,
    lost: sent.lines - received,
    cpuPct: Math.round(((c.user + c.system) / 1000 / (sent.seconds * 1000)) * 1000) / 10,
  };
}

/** Rising rates until lines are lost (or the sender cannot reach the rate); the highest rate with none lost. */
async function staircase(step: (rate: number, seconds: number) => Promise<Step>, rates: number[], seconds: number) {
  const steps: Step[] = [];
  let maxZeroLoss = 0;
  for (const rate of rates) {
    const s = await step(rate, seconds);
    steps.push(s);
    if (s.lost > 0) break;
    maxZeroLoss = s.sentRate;
    if (s.sentRate < rate * 0.9) break; // the sender is the limit
  }
  return { steps, maxZeroLoss };
}

async function main() {
  const parser = parserBench();
  const seconds = quick ? 1 : 3;
  const rates = [100_000, 200_000, 400_000, 800_000, 1_600_000, 3_200_000, 6_400_000];
  const ours = await staircase(oursStep, rates, seconds);
  // The 200k/s target three times, for a median.
  const at200k: Step[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) at200k.push(await oursStep(200_000, seconds));
  const baseline = await staircase(baselineStep, rates, seconds);
  const base200k: Step[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) base200k.push(await baselineStep(200_000, seconds));
  report({
    parser,
    udp: {
      seconds,
      linesPerPacket: PER_PACKET,
      ours,
      baseline,
      at200k: { runs: at200k, medianLost: median(at200k.map((s) => s.lost)), medianCpuPct: median(at200k.map((s) => s.cpuPct)) },
      baseline200k: { runs: base200k, medianLost: median(base200k.map((s) => s.lost)), medianCpuPct: median(base200k.map((s) => s.cpuPct)) },
    },
  });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
