// CSV export of any size streams to disk (issue 12): the text comes as bounded
// chunks of whole rows, each written (awaited) before the next is made; the
// file is read back and parsed independently. Timestamps outside the Date
// range are written as numbers instead of throwing. Only regular files are
// overwritten.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { CSV_CHUNK_CHARS, csvChunks, csvRowCount, formatCsv, MAX_DATE_MS } from '../../src/core/csv';
import { NotRegularFileError, writeExportFile } from '../../src/core/exportFile';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-csv-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 600);
const ROWS = 1_000_000;
/** The oracle of the large window: row i, independent of the code under test. */
const xAt = (i: number) => T0 + i * 10;
const aAt = (i: number) => (i % 1000 === 7 ? NaN : i * 0.5);
const bAt = (i: number) => -i / 3;

describe('streaming CSV export', () => {
  it(`${ROWS.toLocaleString('en')} rows × 2 series: written in bounded chunks, one at a time, and read back exactly`, async () => {
    const x = new Float64Array(ROWS);
    const a = new Float64Array(ROWS);
    const b = new Float64Array(ROWS);
    for (let i = 0; i < ROWS; i++) {
      x[i] = xAt(i);
      a[i] = aAt(i);
      b[i] = bAt(i);
    }
    const cols = { series: ['a', 'b'], x, y: [a, b] };
    const file = path.join(tmp, 'big.csv');

    // Watch the chunks as the writer pulls them: each is bounded, and the file
    // already holds every earlier chunk when the next one is made (no buffering of the whole).
    const sizes: number[] = [];
    let pulledBytes = 0;
    let lagging = 0;
    function* watched() {
      for (const chunk of csvChunks(cols)) {
        if (fs.statSync(file).size !== pulledBytes) lagging++;
        sizes.push(chunk.length);
        pulledBytes += Buffer.byteLength(chunk);
        yield chunk;
      }
    }
    const bytes = await writeExportFile(file, watched(), { followSymlinks: false });
    assert.equal(lagging, 0, 'every chunk was on disk before the next was made');
    assert.equal(bytes, fs.statSync(file).size);
    assert.ok(sizes.length > 100, `many chunks (${sizes.length})`);
    const longestRow = 80;
    assert.ok(Math.max(...sizes) <= CSV_CHUNK_CHARS + longestRow, `chunks bounded (largest ${Math.max(...sizes)} chars)`);

    // Parse it back independently, line by line.
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.endsWith('\n'));
    const lines = text.slice(0, -1).split('\n');
    assert.equal(lines[0], 'time_ms,time,a,b');
    assert.equal(lines.length, ROWS + 1);
    for (let i = 0; i < ROWS; i++) {
      const cells = lines[i + 1]!.split(',');
      assert.equal(cells.length, 4);
      if (Number(cells[0]) !== xAt(i)) assert.fail(`row ${i}: x ${cells[0]}`);
      if (i % 50_000 === 0 && cells[1] !== new Date(xAt(i)).toISOString()) assert.fail(`row ${i}: time ${cells[1]}`);
      const want = aAt(i);
      if (Number.isNaN(want) ? cells[2] !== '' : Number(cells[2]) !== want) assert.fail(`row ${i}: a ${cells[2]}`);
      if (Number(cells[3]) !== bAt(i)) assert.fail(`row ${i}: b ${cells[3]}`);
    }
    assert.equal(csvRowCount(cols), ROWS);
  });

  it('chunks are whole rows and join to exactly what formatCsv gives', () => {
    const n = 5000;
    const cols = { series: ['v', 'say "hi"'], x: Float64Array.from({ length: n }, (_, i) => i), y: [Float64Array.from({ length: n }, (_, i) => i / 7), new Float64Array(n).fill(1)] };
    const chunks = [...csvChunks(cols, {}, 1000)];
    assert.ok(chunks.length > 10);
    for (const c of chunks) assert.ok(c.endsWith('\n'), 'a chunk ends at a row end');
    assert.equal(chunks.join(''), formatCsv(cols));
    assert.equal(chunks.join('').split('\n')[0], 'x,v,"say ""hi"""');
  });

  it('fromX: rows before it are left out, and csvRowCount agrees', () => {
    const cols = { series: ['v'], x: Float64Array.of(1, 2, NaN, 3, 4), y: [Float64Array.of(10, 20, 30, 40, 50)] };
    assert.equal(formatCsv(cols, { fromX: 3 }), 'x,v\n3,40\n4,50\n');
    assert.equal(csvRowCount(cols, { fromX: 3 }), 2);
    assert.equal(csvRowCount(cols), 5);
  });
});

describe('timestamps outside the Date range', () => {
  it('are written as numbers in the time column, not a crash', () => {
    const x = Float64Array.of(T0, 8.64e15, 8.64e15 + 1, -8.64e15, -8.64e15 - 1, 1e300, Infinity, NaN, -Infinity);
    const cols = { series: ['v'], x, y: [new Float64Array(x.length).fill(1)] };
    const lines = formatCsv(cols).trimEnd().split('\n');
    assert.equal(lines[0], 'time_ms,time,v');
    assert.deepEqual(lines.slice(1), [
      `${T0},2026-01-02T03:04:05.600Z,1`,
      '8640000000000000,+275760-09-13T00:00:00.000Z,1',
      '8640000000000001,8640000000000001,1',
      '-8640000000000000,-271821-04-20T00:00:00.000Z,1',
      '-8640000000000001,-8640000000000001,1',
      '1e+300,1e+300,1',
      'Infinity,Infinity,1',
      ',,1',
      '-Infinity,-Infinity,1',
    ]);
    assert.equal(MAX_DATE_MS, 8.64e15);
  });

  it('a first x far beyond the Date range (the time axis guess) does not crash either', () => {
    const cols = { series: ['v'], x: Float64Array.of(1e20, 2e20), y: [Float64Array.of(1, 2)] };
    assert.equal(formatCsv(cols), 'time_ms,time,v\n100000000000000000000,100000000000000000000,1\n200000000000000000000,200000000000000000000,2\n');
  });
});

describe('writeExportFile', () => {
  it('overwrites a regular file (shorter content leaves no tail)', async () => {
    const file = path.join(tmp, 'over.csv');
    fs.writeFileSync(file, 'x'.repeat(1000));
    assert.equal(await writeExportFile(file, ['ab', Buffer.from('cd')], { followSymlinks: false }), 4);
    assert.equal(fs.readFileSync(file, 'utf8'), 'abcd');
  });

  it('refuses a folder, and a symlink unless the user picked it', async () => {
    const dir = path.join(tmp, 'adir.csv');
    fs.mkdirSync(dir);
    await assert.rejects(writeExportFile(dir, ['x'], { followSymlinks: true }), NotRegularFileError);

    const target = path.join(tmp, 'target.txt');
    fs.writeFileSync(target, 'keep me');
    const link = path.join(tmp, 'link.csv');
    fs.symlinkSync(target, link);
    await assert.rejects(writeExportFile(link, ['x'], { followSymlinks: false }), /not a regular file/);
    assert.equal(fs.readFileSync(target, 'utf8'), 'keep me', 'the link target is untouched');
    await writeExportFile(link, ['picked'], { followSymlinks: true });
    assert.equal(fs.readFileSync(target, 'utf8'), 'picked', 'a link the user picked in the dialog is followed');
  });

  it('refuses a FIFO at once, without blocking on it', { skip: process.platform === 'win32' }, async () => {
    const fifo = path.join(tmp, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const t = Date.now();
    await assert.rejects(writeExportFile(fifo, ['x'], { followSymlinks: true }), NotRegularFileError);
    await assert.rejects(writeExportFile(fifo, ['x'], { followSymlinks: false }), NotRegularFileError);
    assert.ok(Date.now() - t < 2000);
  });

  it('refuses a device', { skip: process.platform === 'win32' }, async () => {
    await assert.rejects(writeExportFile('/dev/null', ['x'], { followSymlinks: true }), NotRegularFileError);
  });
});
