/** Renderer-channel encodings measured in Chromium (the view's side). See ../codecCases.ts. */
import { nativeBase64Codec, runCodecs, structuredCloneCost, type Codec } from '../codecCases';

function run(sizes: number[]) {
  const extra: Codec[] = [];
  const U8 = Uint8Array as unknown as {
    fromBase64?: (s: string) => Uint8Array;
    prototype: { toBase64?: () => string };
  };
  const native = typeof U8.fromBase64 === 'function' && typeof U8.prototype.toBase64 === 'function';
  if (native) {
    extra.push(
      nativeBase64Codec(
        'base64 (Uint8Array.toBase64/fromBase64)',
        (b) => (b as unknown as { toBase64(): string }).toBase64(),
        (s) => U8.fromBase64!(s),
      ),
    );
  }
  return { native, codecs: runCodecs(sizes, extra), structuredClone: structuredCloneCost(sizes) };
}

(window as unknown as { codecBench: unknown }).codecBench = { run };
