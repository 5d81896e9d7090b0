/** Renderer-channel encodings measured in Node (the extension host's side). See codecCases.ts. */
import { nativeBase64Codec, runCodecs, structuredCloneCost } from './codecCases';
import { report } from './lib';

const sizes = [10_000, 100_000];
const buffer = nativeBase64Codec(
  'base64 (Node Buffer)',
  (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'),
  (s) => Buffer.from(s, 'base64'),
);
report({ node: runCodecs(sizes, [buffer]), structuredClone: structuredCloneCost(sizes) });
