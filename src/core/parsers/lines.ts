import { ColumnsParser } from './columns';
import { excerpt, LineKind, MAX_LINE_LENGTH, ParseCounts, SampleCallback, TeleplotParser } from './teleplot';

/**
 * Cuts a stream of text chunks into lines (`\n`; a trailing `\r` is left for the
 * parsers, which ignore it). A line split across chunks is joined; a line longer
 * than `maxLength` is reported once through `onOverlong` and skipped up to its
 * `\n` without being buffered, so memory stays bounded whatever the input.
 */
export class LineSplitter {
  private rest = '';
  private skipping = false;

  constructor(
    private readonly onLine: (text: string, start: number, end: number) => void,
    private readonly onOverlong: (example: string) => void,
    private readonly maxLength = MAX_LINE_LENGTH,
  ) {}

  /** Feeds a chunk; complete lines are delivered at once. */
  push(chunk: string): void {
    const text = this.rest.length > 0 ? this.rest + chunk : chunk;
    this.rest = '';
    // One more than the limit leaves room for a '\r'.
    const max = this.maxLength + 1;
    let s = 0;
    for (;;) {
      const e = text.indexOf('\n', s);
      if (e < 0) break;
      if (this.skipping) this.skipping = false;
      else if (e - s > max) this.onOverlong(excerpt(text, s, e));
      else this.onLine(text, s, e);
      s = e + 1;
    }
    if (s >= text.length || this.skipping) return;
    if (text.length - s > max) {
      this.onOverlong(excerpt(text, s, text.length));
      this.skipping = true;
      return;
    }
    this.rest = s === 0 ? text : text.slice(s);
  }

  /** Delivers a last line that has no `\n` (end of stream). */
  flush(): void {
    const rest = this.rest;
    this.rest = '';
    this.skipping = false;
    if (rest.length > 0) this.onLine(rest, 0, rest.length);
  }

  /** Drops any partial line (e.g. the file was truncated). */
  reset(): void {
    this.rest = '';
    this.skipping = false;
  }

  /** Characters held for an incomplete line. */
  get pending(): number {
    return this.rest.length;
  }
}

/**
 * Lines of program output or of a file: a line with a `:` is Teleplot
 * (see {@link TeleplotParser}); any other is a row of numbers or a header
 * (see {@link ColumnsParser}). Never throws.
 */
export class TextLineParser implements ParseCounts {
  readonly teleplot: TeleplotParser;
  readonly columns: ColumnsParser;
  /** Lines over the length limit, cut by a {@link LineSplitter} before they got here. */
  overlong = 0;
  /** An excerpt of the most recent malformed line, for logs. */
  lastMalformed: string | undefined;

  constructor(onSample: SampleCallback) {
    this.teleplot = new TeleplotParser(onSample);
    this.columns = new ColumnsParser(onSample);
  }

  get samples(): number {
    return this.teleplot.samples + this.columns.samples;
  }
  get malformed(): number {
    return this.teleplot.malformed + this.columns.malformed + this.overlong;
  }
  get text(): number {
    return this.teleplot.text;
  }

  /** Parses one line `text[start, end)`. */
  parseLine(text: string, start: number, end: number, now: number): LineKind {
    // Bounded scan for ':' (indexOf could run past `end` over a whole chunk).
    const limit = Math.min(end, start + MAX_LINE_LENGTH + 2);
    let parser: TeleplotParser | ColumnsParser = this.columns;
    for (let i = start; i < limit; i++) {
      if (text.charCodeAt(i) === 58) {
        parser = this.teleplot;
        break;
      }
    }
    const kind = parser.parseLine(text, start, end, now);
    if (kind === LineKind.Malformed) this.lastMalformed = parser.lastMalformed;
    return kind;
  }

  /** Counts a line the splitter dropped for its length. */
  countOverlong(example: string): void {
    this.overlong++;
    this.lastMalformed = example;
  }
}
