import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** A UDP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released). */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => resolve());
  });
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
