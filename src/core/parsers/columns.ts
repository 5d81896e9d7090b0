import { isBlank, NumberScanner } from './number';
import { excerpt, LineKind, MAX_LINE_LENGTH, ParseCounts, SampleCallback } from './teleplot';

/** Most fields read from one row; longer rows are malformed. */
export const MAX_COLUMNS = 256;

/** Header names (case-insensitive) that make a column the x of its row instead of a series. */
export const TIME_COLUMN_NAMES: readonly string[] = ['t', 'time', 'timestamp', 'x'];

const COMMA = 44;
const SEMI = 59;
const QUOTE = 34;
const CR = 13;

/**
 * A parser of rows of numbers that never throws: CSV (`,` or `;`) or
 * whitespace-separated, with an optional header line naming the series.
 *
 * - Fields are separated by `,`, `;`, tabs or runs of spaces; blanks around
 *   separators are ignored; an empty field between two separators (`1,,3`) is a
 *   gap (no sample for that column in that row); a trailing separator is ignored.
 *   Numbers may be wrapped in double quotes.
 * - Header: any line with a non-numeric field seen before the first data row
 *   names the columns (a later one replaces an earlier one, so a banner line
 *   followed by the real header ends with the real header). Once data has been
 *   seen, such lines are malformed. Columns without a name are `col1..colN`
 *   (1-based position); repeated names get `_2`, `_3`, …. In a header with a `,` or
 *   `;` only those separate names (so `pump 1, pump 2` names two series).
 * - x: the arrival time (`now`), unless the header names a column `t`, `time`,
 *   `timestamp` or `x` (case-insensitive): then that column is x, as written
 *   (a row missing it is malformed). Views show epoch-millisecond x as clock time.
 * - A row with a field that is not a finite number (NaN, Infinity, text, `1e999`),
 *   more than {@link MAX_COLUMNS} fields or over {@link MAX_LINE_LENGTH}
 *   characters is malformed as a whole: one count, nothing emitted.
 */
export class ColumnsParser implements ParseCounts {
  samples = 0;
  malformed = 0;
  readonly text = 0;
  /** Header lines taken. */
  headers = 0;
  /** Up to 120 characters of the most recent malformed line, for logs. */
  lastMalformed: string | undefined;

  private names: string[] = [];
  private timeColumn = -1;
  private sawData = false;
  private readonly defaultNames: string[] = [];
  private readonly num = new NumberScanner();
  private readonly values = new Float64Array(MAX_COLUMNS);
  private readonly present = new Uint8Array(MAX_COLUMNS);

  constructor(private readonly onSample: SampleCallback) {}

  /** Series names from the header (empty without one). */
  get header(): readonly string[] {
    return this.names;
  }

  /** Parses one line `text[start, end)` (without `\n`; a trailing `\r` is ignored). */
  parseLine(text: string, start: number, end: number, now: number): LineKind {
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    if (end - start > MAX_LINE_LENGTH) return this.bad(text, start, end);
    const values = this.values;
    const present = this.present;
    const num = this.num;
    let n = 0; // fields seen (including gaps)
    let any = 0; // fields with a value
    let expectField = true;
    let i = start;
    for (;;) {
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i >= end) break;
      let c = text.charCodeAt(i);
      if (c === COMMA || c === SEMI) {
        if (expectField) {
          if (n >= MAX_COLUMNS) return this.bad(text, start, end);
          present[n++] = 0;
        }
        expectField = true;
        i++;
        continue;
      }
      if (n >= MAX_COLUMNS) return this.bad(text, start, end);
      const quoted = c === QUOTE;
      if (quoted) i++;
      if (!num.scan(text, i, end)) return this.nonNumeric(text, start, end);
      i = num.end;
      if (quoted) {
        if (i >= end || text.charCodeAt(i) !== QUOTE) return this.nonNumeric(text, start, end);
        i++;
      }
      c = i < end ? text.charCodeAt(i) : -1;
      if (c !== -1 && c !== COMMA && c !== SEMI && !isBlank(c)) return this.nonNumeric(text, start, end);
      const v = num.value;
      if (v - v !== 0) return this.bad(text, start, end); // ±Infinity (overflow)
      values[n] = v;
      present[n++] = 1;
      any++;
      expectField = false;
    }
    if (any === 0) return LineKind.Empty;

    let x = now;
    const tc = this.timeColumn;
    if (tc >= 0) {
      if (tc >= n || present[tc] === 0) return this.bad(text, start, end);
      x = values[tc]!;
    }
    this.sawData = true;
    const emit = this.onSample;
    let emitted = 0;
    for (let k = 0; k < n; k++) {
      if (present[k] === 0 || k === tc) continue;
      emit(this.nameOf(k), x, values[k]!);
      emitted++;
    }
    this.samples += emitted;
    return emitted > 0 ? LineKind.Samples : LineKind.Empty;
  }

  /** Resets the counts (not the header). */
  resetCounts(): void {
    this.samples = 0;
    this.malformed = 0;
    this.headers = 0;
    this.lastMalformed = undefined;
  }

  private nameOf(k: number): string {
    const h = this.names[k];
    if (h !== undefined) return h;
    let d = this.defaultNames[k];
    if (d === undefined) {
      for (let j = this.defaultNames.length; j <= k; j++) this.defaultNames.push(`col${j + 1}`);
      d = this.defaultNames[k]!;
    }
    return d;
  }

  /** A line with a non-numeric field: the header before any data, malformed after. */
  private nonNumeric(text: string, start: number, end: number): LineKind {
    if (this.sawData) return this.bad(text, start, end);
    const fields = splitFields(text, start, end);
    if (fields.length > MAX_COLUMNS || fields.some((f) => hasControl(f))) return this.bad(text, start, end);
    const names: string[] = [];
    const seen = new Map<string, number>();
    let timeColumn = -1;
    fields.forEach((raw, k) => {
      let name = raw.slice(0, 256) || `col${k + 1}`;
      const dup = seen.get(name);
      seen.set(name, (dup ?? 0) + 1);
      if (dup !== undefined) name = `${name}_${dup + 1}`;
      names.push(name);
      if (timeColumn < 0 && TIME_COLUMN_NAMES.includes(raw.toLowerCase())) timeColumn = k;
    });
    this.names = names;
    this.timeColumn = timeColumn;
    this.headers++;
    return LineKind.Text;
  }

  private bad(text: string, start: number, end: number): LineKind {
    this.malformed++;
    this.lastMalformed = excerpt(text, start, end);
    return LineKind.Malformed;
  }
}

/**
 * Splits a header line into trimmed, unquoted fields (slow path: headers are rare).
 * With a `,` or `;` in the line only those separate (so names may hold spaces);
 * otherwise runs of blanks do.
 */
function splitFields(text: string, start: number, end: number): string[] {
  let bySep = false;
  let inQuote = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) inQuote = !inQuote;
    else if (!inQuote && (c === COMMA || c === SEMI)) {
      bySep = true;
      break;
    }
  }
  const out: string[] = [];
  let i = start;
  let expectField = true;
  for (;;) {
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (i >= end) break;
    const c = text.charCodeAt(i);
    if (c === COMMA || c === SEMI) {
      if (expectField) out.push('');
      expectField = true;
      i++;
      continue;
    }
    let j: number;
    let field: string;
    if (c === QUOTE) {
      j = text.indexOf('"', i + 1);
      if (j < 0 || j >= end) j = end;
      field = text.slice(i + 1, j).trim();
      j = Math.min(end, j + 1);
    } else {
      j = i;
      while (j < end) {
        const d = text.charCodeAt(j);
        if (d === COMMA || d === SEMI || (!bySep && isBlank(d))) break;
        j++;
      }
      field = text.slice(i, j).trim();
    }
    out.push(field);
    expectField = false;
    i = j;
  }
  return out;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127 || c === 0xfffd) return true;
  }
  return false;
}
