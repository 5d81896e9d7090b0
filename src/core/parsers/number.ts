/**
 * A strict decimal number scanner over a string range, shared by the text parsers.
 *
 * Grammar: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`. No hex,
 * no `Infinity`/`NaN`, no thousands separators. Scanning never allocates on the
 * common path: mantissas of up to 15 significant digits with a decimal exponent
 * within ±22 are converted exactly (both factors are exact doubles, so one
 * multiplication or division is correctly rounded); anything longer falls back
 * to `Number()` of the validated text, which is also correctly rounded.
 */

const POW10: Float64Array = (() => {
  const p = new Float64Array(23);
  let v = 1;
  for (let i = 0; i < p.length; i++) {
    p[i] = v;
    v *= 10;
  }
  return p;
})();

/** Scan state, reused by each parser so that a scan returns two values without allocating. */
export class NumberScanner {
  /** The value of the last successful scan (may be ±Infinity for huge exponents). */
  value = 0;
  /** Index just past the last scanned number. */
  end = 0;

  /**
   * Scans a number starting exactly at `i` (no leading blanks) and stopping at the
   * first character that cannot continue it, or at `limit`. Returns false if no
   * number starts at `i`.
   */
  scan(s: string, i: number, limit: number): boolean {
    const start = i;
    let neg = false;
    let c = i < limit ? s.charCodeAt(i) : -1;
    if (c === 45 /* - */ || c === 43 /* + */) {
      neg = c === 45;
      i++;
      c = i < limit ? s.charCodeAt(i) : -1;
    }
    let mant = 0;
    let sig = 0; // significant digits folded into `mant`
    let exp = 0; // decimal exponent to apply to `mant`
    let digits = 0; // digits seen in the mantissa (integer and fraction)
    let slow = false;
    while (c >= 48 && c <= 57) {
      if (sig < 15) {
        if (mant !== 0 || c !== 48) {
          mant = mant * 10 + (c - 48);
          sig++;
        }
      } else {
        // Digits beyond 15 do not fit the fast path; keep scanning for the end.
        slow = true;
        exp++;
      }
      digits++;
      i++;
      c = i < limit ? s.charCodeAt(i) : -1;
    }
    if (c === 46 /* . */) {
      i++;
      c = i < limit ? s.charCodeAt(i) : -1;
      while (c >= 48 && c <= 57) {
        if (sig < 15) {
          if (mant !== 0 || c !== 48) {
            mant = mant * 10 + (c - 48);
            sig++;
          }
          exp--;
        } else {
          slow = true;
        }
        digits++;
        i++;
        c = i < limit ? s.charCodeAt(i) : -1;
      }
    }
    if (digits === 0) return false;
    if (c === 101 /* e */ || c === 69 /* E */) {
      let j = i + 1;
      let d = j < limit ? s.charCodeAt(j) : -1;
      let eneg = false;
      if (d === 45 || d === 43) {
        eneg = d === 45;
        j++;
        d = j < limit ? s.charCodeAt(j) : -1;
      }
      if (d >= 48 && d <= 57) {
        let e = 0;
        while (d >= 48 && d <= 57) {
          // Saturate: anything this large is 0 or Infinity anyway.
          if (e < 100_000) e = e * 10 + (d - 48);
          j++;
          d = j < limit ? s.charCodeAt(j) : -1;
        }
        exp += eneg ? -e : e;
        i = j;
      }
      // "1e" or "1e+" without digits: the number ends before the "e"; the caller
      // sees an unexpected character and rejects the field.
    }
    this.end = i;
    if (!slow && exp >= -22 && exp <= 22) {
      const v = exp >= 0 ? mant * POW10[exp]! : mant / POW10[-exp]!;
      this.value = neg ? -v : v;
    } else {
      this.value = Number(s.slice(start, i));
    }
    return true;
  }
}

/** True for the blanks the parsers skip around fields: space and tab. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
