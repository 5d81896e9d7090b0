import { MAX_LINE_LENGTH, MAX_NAME_LENGTH } from '../../shared/limits';
import { isBlank, NumberScanner } from './number';

/**
 * A parser of Teleplot text telemetry that never throws.
 *
 * Accepted (one line; a packet or chunk may hold several lines, `\n` or `\r\n`):
 * - `name:value`                      x = arrival time (`now`)
 * - `name:timestamp:value`            x = timestamp (ms)
 * - `name:v1;v2` / `name:t1:v1;t2:v2` several samples of one series, each with or without a timestamp
 * - `>name:value`                     optional `>` prefix (Teleplot's serial form)
 * - `name§unit:value`, `name:value§unit`  unit on the name or after the values (dropped)
 * - blanks (spaces, tabs) around the line, the name, numbers and flags are ignored
 * - `name,label:value`                Teleplot's widget label (dropped; the series is `name`)
 * - `…|flags`                         comma-separated flags after the last `|`:
 *   `xy` / `xyz`: each sample is `x:y[:timestamp]` / `x:y:z[:timestamp]`, plotted as series
 *   `name.x`, `name.y` (, `name.z`) over time; `t`: text telemetry, not plotted (counted as text);
 *   every other flag (`g`, `np`, `clr`, `c`, `ms`, …) is ignored.
 *
 * Defined outcomes of everything else:
 * - empty / blank lines: ignored (not counted);
 * - Teleplot logs (`>:text`), commands (`|cmd|`), 3D shapes (`3D|…`) and images (`JPG|…`,
 *   `PNG|…`): not plotted, counted as text (a timestamped log `>1627551892437:text` reads as a
 *   series named by the digits with a text value, so it is malformed);
 * - NaN, ±Infinity, non-numeric values or timestamps, numbers that overflow to ±Infinity
 *   (e.g. `1e999`), empty names, names with control characters or U+FFFD (binary garbage),
 *   names over {@link MAX_NAME_LENGTH}, lines without `:`, lines with no sample, samples with
 *   too many fields, and lines over {@link MAX_LINE_LENGTH} characters (not parsed): malformed,
 *   one count per line, and nothing of that line is emitted;
 * - huge but finite numbers (`1e300`, 30-digit integers): accepted.
 */

/** Longest line parsed (longer lines are counted malformed without being looked at) and longest series name accepted. */
export { MAX_LINE_LENGTH, MAX_NAME_LENGTH };

/** Receives each accepted sample. `x` is the timestamp, or `now` for samples without one. */
export type SampleCallback = (name: string, x: number, y: number) => void;

/** What one line turned out to be. */
export const LineKind = {
  /** Blank: ignored, not counted. */
  Empty: 0,
  /** Samples were emitted. */
  Samples: 1,
  /** Rejected and counted. */
  Malformed: 2,
  /** Valid but not plottable (text telemetry, logs, commands, 3D, images); counted as text. */
  Text: 3,
} as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

/** Running counts of a parser. */
export interface ParseCounts {
  /** Samples emitted. */
  samples: number;
  /** Lines rejected. */
  malformed: number;
  /** Lines that are valid Teleplot but not numbers (text telemetry, logs, commands, 3D, images). */
  text: number;
}

const COLON = 58;
const SEMI = 59;
const BAR = 124;
const SECTION = 167; // §
const COMMA = 44;
const GT = 62;
const CR = 13;
const LF = 10;
const REPLACEMENT = 0xfffd;

const NAME_CACHE_LIMIT = 2048;

/** Parses Teleplot lines, emitting samples through a callback (no per-sample objects). */
export class TeleplotParser implements ParseCounts {
  samples = 0;
  malformed = 0;
  text = 0;
  /** Up to 120 characters of the most recent malformed line, for logs. */
  lastMalformed: string | undefined;

  private readonly num = new NumberScanner();
  // Scratch for one line's fields, so that a line is emitted only once it is fully valid.
  private readonly fields = new Float64Array(MAX_LINE_LENGTH);
  private readonly fieldCounts = new Uint8Array(MAX_LINE_LENGTH);
  // Names seen recently, so that a repeated name is the same string (no allocation, cached hash).
  private readonly names = new Map<number, string>();

  constructor(private readonly onSample: SampleCallback) {}

  /** Parses `text` holding whole lines (a UDP packet, or lines joined by `\n`). */
  parse(text: string, now: number): void {
    const len = text.length;
    let s = 0;
    while (s < len) {
      let e = text.indexOf('\n', s);
      if (e < 0) e = len;
      this.parseLine(text, s, e, now);
      s = e + 1;
    }
  }

  /**
   * Parses one line `text[start, end)` (without its `\n`; a trailing `\r` is ignored).
   * Emits its samples only if the whole line is valid.
   */
  parseLine(text: string, start: number, end: number, now: number): LineKind {
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    if (end - start > MAX_LINE_LENGTH) return this.bad(text, start, end);
    while (start < end && isBlank(text.charCodeAt(start))) start++;
    while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
    if (start === end) return LineKind.Empty;

    let c = text.charCodeAt(start);
    if (c === GT) {
      start++;
      while (start < end && isBlank(text.charCodeAt(start))) start++;
      // ">:text" and ">" alone are Teleplot log lines.
      if (start === end || text.charCodeAt(start) === COLON) return this.textLine();
      c = text.charCodeAt(start);
    }
    if (c === BAR) return this.textLine(); // "|command|"

    // The name: up to the first ':'; "§unit" and ",label" are cut off; a '|' before any ':'
    // is either a 3D/image line or garbage.
    let nameEnd = -1;
    let colon = -1;
    let hash = 0;
    for (let i = start; i < end; i++) {
      c = text.charCodeAt(i);
      if (c === COLON) {
        colon = i;
        break;
      }
      if (c === SECTION || c === COMMA) {
        if (nameEnd < 0) nameEnd = i;
      } else if (c === BAR) {
        return isSpecialPrefix(text, start, i) ? this.textLine() : this.bad(text, start, end);
      } else if (c < 32 || c === 127 || c === REPLACEMENT || c === LF) {
        return this.bad(text, start, end);
      }
      if (nameEnd < 0) hash = (Math.imul(hash, 31) + c) | 0;
    }
    if (colon < 0) return this.bad(text, start, end);
    if (nameEnd < 0) nameEnd = colon;
    if (nameEnd > start && isBlank(text.charCodeAt(nameEnd - 1))) {
      // "temp : 21": the name is trimmed (rare, so the hash is simply redone).
      while (nameEnd > start && isBlank(text.charCodeAt(nameEnd - 1))) nameEnd--;
      hash = 0;
      for (let i = start; i < nameEnd; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
    }
    const nameLen = nameEnd - start;
    if (nameLen === 0 || nameLen > MAX_NAME_LENGTH) return this.bad(text, start, end);

    // Flags: after the last '|' (values never contain one).
    let valueEnd = end;
    let text_ = false;
    let dims = 1; // numbers per sample besides the optional timestamp
    for (let i = end - 1; i > colon; i--) {
      if (text.charCodeAt(i) === BAR) {
        valueEnd = i;
        const f = readFlags(text, i + 1, end);
        text_ = (f & FLAG_TEXT) !== 0;
        dims = (f & FLAG_XYZ) !== 0 ? 3 : (f & FLAG_XY) !== 0 ? 2 : 1;
        break;
      }
    }
    if (text_) return this.textLine();

    // Values: samples separated by ';', fields by ':', all until the end, '§' or '|'.
    const fields = this.fields;
    const counts = this.fieldCounts;
    const num = this.num;
    let nf = 0; // fields stored
    let ns = 0; // samples stored
    let i = colon + 1;
    let inSample = 0; // fields in the current sample
    for (;;) {
      while (i < valueEnd && isBlank(text.charCodeAt(i))) i++;
      if (i >= valueEnd) break;
      c = text.charCodeAt(i);
      if (c === SECTION) break;
      if (c === SEMI) {
        // Empty sample (";;" or a trailing ';'): skipped.
        if (inSample > 0) return this.bad(text, start, end);
        i++;
        continue;
      }
      if (!num.scan(text, i, valueEnd)) return this.bad(text, start, end);
      const v = num.value;
      if (v - v !== 0) return this.bad(text, start, end); // NaN or ±Infinity
      fields[nf++] = v;
      inSample++;
      i = num.end;
      while (i < valueEnd && isBlank(text.charCodeAt(i))) i++;
      c = i < valueEnd ? text.charCodeAt(i) : -1;
      if (c === COLON) {
        if (inSample > dims) return this.bad(text, start, end); // too many fields
        i++;
        continue; // another field must follow
      }
      if (c === SEMI || c === -1 || c === SECTION) {
        counts[ns++] = inSample;
        inSample = 0;
        if (c === SEMI) i++;
        if (c === SECTION) break;
        continue;
      }
      return this.bad(text, start, end);
    }
    if (inSample > 0) return this.bad(text, start, end); // "name:1:" dangling ':'
    if (ns === 0) return this.bad(text, start, end);

    const name = this.name(text, start, nameLen, hash);
    const emit = this.onSample;
    let f = 0;
    if (dims === 1) {
      for (let k = 0; k < ns; k++) {
        if (counts[k] === 1) {
          emit(name, now, fields[f]!);
          f += 1;
        } else {
          emit(name, fields[f]!, fields[f + 1]!);
          f += 2;
        }
      }
      this.samples += ns;
      return LineKind.Samples;
    }
    // xy / xyz: every sample must have `dims` numbers, optionally followed by a timestamp.
    for (let k = 0; k < ns; k++) if (counts[k]! < dims) return this.bad(text, start, end);
    const nx = name + '.x';
    const ny = name + '.y';
    const nz = name + '.z';
    for (let k = 0; k < ns; k++) {
      const n = counts[k]!;
      const t = n > dims ? fields[f + dims]! : now;
      emit(nx, t, fields[f]!);
      emit(ny, t, fields[f + 1]!);
      if (dims === 3) emit(nz, t, fields[f + 2]!);
      f += n;
    }
    this.samples += ns * dims;
    return LineKind.Samples;
  }

  /** Resets the counts (not the name cache). */
  resetCounts(): void {
    this.samples = 0;
    this.malformed = 0;
    this.text = 0;
    this.lastMalformed = undefined;
  }

  private name(text: string, start: number, len: number, hash: number): string {
    const cached = this.names.get(hash);
    if (cached !== undefined && cached.length === len && text.startsWith(cached, start)) return cached;
    const name = text.slice(start, start + len);
    if (cached === undefined) {
      if (this.names.size >= NAME_CACHE_LIMIT) this.names.clear();
      this.names.set(hash, name);
    }
    return name;
  }

  private textLine(): LineKind {
    this.text++;
    return LineKind.Text;
  }

  private bad(text: string, start: number, end: number): LineKind {
    this.malformed++;
    this.lastMalformed = excerpt(text, start, end);
    return LineKind.Malformed;
  }
}

const FLAG_TEXT = 1;
const FLAG_XY = 2;
const FLAG_XYZ = 4;

/** Reads comma-separated flags in `text[i, end)`; unknown flags are ignored. */
function readFlags(text: string, i: number, end: number): number {
  let flags = 0;
  while (i < end) {
    let j = i;
    while (j < end && text.charCodeAt(j) !== COMMA) j++;
    let a = i;
    let b = j;
    while (a < b && isBlank(text.charCodeAt(a))) a++;
    while (b > a && isBlank(text.charCodeAt(b - 1))) b--;
    const n = b - a;
    if (n === 1 && text.charCodeAt(a) === 116 /* t */) flags |= FLAG_TEXT;
    else if (n === 2 && text.startsWith('xy', a)) flags |= FLAG_XY;
    else if (n === 3 && text.startsWith('xyz', a)) flags |= FLAG_XYZ;
    i = j + 1;
  }
  return flags;
}

/** "3D|", "JPG|", "PNG|": Teleplot shapes and images, valid but not plottable here. */
function isSpecialPrefix(text: string, start: number, bar: number): boolean {
  const n = bar - start;
  return (n === 2 && text.startsWith('3D', start)) || (n === 3 && (text.startsWith('JPG', start) || text.startsWith('PNG', start)));
}

/** A short printable excerpt of a line for logs. */
export function excerpt(text: string, start: number, end: number): string {
  const max = 120;
  const s = text.slice(start, Math.min(end, start + max));
  const printable = s.replace(/[\u0000-\u001f\u007f\ufffd]/g, '�');
  // Over-long lines are never parsed: say why, so that the log is clear about it.
  if (end - start > MAX_LINE_LENGTH) return `${printable}… (line over the ${MAX_LINE_LENGTH}-character limit)`;
  return end - start > max ? printable + '…' : printable;
}
