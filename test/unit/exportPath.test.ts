// Export paths given as command arguments (issue 12): a script, a notebook's
// `command:` link or another extension may name a file; it is written without
// a dialog only inside a trusted workspace's folders, after realpath of its
// folder (so a symlinked folder cannot lead outside), with the export's extension.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { checkExportPath, isInside } from '../../src/core/exportPath';

/** A fake file system for realpath: a map of symlinked folders, every other listed folder real. */
function fakeRealpath(links: Record<string, string>, existing: string[]) {
  return async (p: string): Promise<string> => {
    for (const [from, to] of Object.entries(links)) {
      if (p === from || p.startsWith(from + '/')) p = to + p.slice(from.length);
    }
    if (!existing.includes(p)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return p;
  };
}

const WS = '/home/u/project';
const rp = fakeRealpath({ '/home/u/project/out': '/home/u', '/home/u/project/ok-link': '/home/u/project/data' }, [
  '/',
  '/home',
  '/home/u',
  WS,
  `${WS}/data`,
  `${WS}/data/deep`,
  '/home/u/project-other',
  '/tmp',
]);

describe('checkExportPath (posix, fake realpath)', () => {
  const check = (p: string, opts: { trusted?: boolean; folders?: string[]; ext?: string } = {}) =>
    checkExportPath(p, opts.folders ?? [WS], opts.trusted ?? true, opts.ext ?? 'csv', rp, path.posix);

  it('a path in a trusted workspace folder, or below it, is used as it is', async () => {
    assert.deepEqual(await check(`${WS}/a.csv`), { ok: true, path: `${WS}/a.csv` });
    assert.deepEqual(await check(`${WS}/data/deep/b.CSV`), { ok: true, path: `${WS}/data/deep/b.CSV` });
    assert.deepEqual(await check(`${WS}/data/../c.csv`), { ok: true, path: `${WS}/c.csv` }, 'normalised');
    assert.deepEqual(await check(`${WS}/chart.png`, { ext: 'png' }), { ok: true, path: `${WS}/chart.png` });
  });

  it('the link from the issue, and every path outside the folders, is refused', async () => {
    for (const p of ['/home/u/.bashrc.csv', '/tmp/x.csv', '/x.csv', `${WS}/../x.csv`, `${WS}/data/../../x.csv`, '/home/u/project-other/x.csv']) {
      const d = await check(p);
      assert.equal(d.ok, false, p);
      assert.match((d as { reason: string }).reason, /outside the workspace folders/, p);
    }
  });

  it('a symlinked folder inside the workspace that leads outside is refused; one that stays inside is fine', async () => {
    const d = await check(`${WS}/out/.bashrc.csv`);
    assert.deepEqual(d, { ok: false, reason: 'it is outside the workspace folders' });
    assert.deepEqual(await check(`${WS}/ok-link/x.csv`), { ok: true, path: `${WS}/data/x.csv` });
  });

  it('an untrusted workspace, no folder, a relative path, a wrong extension, a missing folder or a NUL: refused', async () => {
    const cases: [string, Parameters<typeof check>[1], RegExp][] = [
      [`${WS}/a.csv`, { trusted: false }, /not trusted/],
      [`${WS}/a.csv`, { folders: [] }, /no workspace folder/],
      ['a.csv', {}, /not absolute/],
      ['../../.bashrc', {}, /not absolute/],
      [`${WS}/.bashrc`, {}, /does not end with \.csv/],
      [`${WS}/notes.csv.sh`, {}, /does not end with \.csv/],
      [`${WS}/.csv`, {}, /does not end with \.csv/],
      [`${WS}/a.png`, {}, /does not end with \.csv/],
      [`${WS}/missing/a.csv`, {}, /folder does not exist/],
      [`${WS}/a\0.csv`, {}, /not valid/],
    ];
    for (const [p, opts, reason] of cases) {
      const d = await check(p, opts);
      assert.equal(d.ok, false, p);
      assert.match((d as { reason: string }).reason, reason, p);
    }
  });

  it('any of several folders will do; a folder that no longer exists is skipped', async () => {
    assert.deepEqual(await check('/tmp/a.csv', { folders: ['/gone', '/tmp'] }), { ok: true, path: '/tmp/a.csv' });
  });
});

describe('isInside', () => {
  it('posix: the folder itself and below; not siblings with a common prefix, not parents', () => {
    assert.equal(isInside('/a/b', '/a/b', path.posix), true);
    assert.equal(isInside('/a/b/c', '/a/b', path.posix), true);
    assert.equal(isInside('/a/bc', '/a/b', path.posix), false);
    assert.equal(isInside('/a', '/a/b', path.posix), false);
    assert.equal(isInside('/a/b/..c', '/a/b', path.posix), true, 'a folder named "..c" is inside');
    assert.equal(isInside('/anything', '/', path.posix), true);
  });
  it('win32: case-insensitive, other drives outside', () => {
    assert.equal(isInside('C:\\Work\\Proj\\x', 'c:\\work\\proj', path.win32), true);
    assert.equal(isInside('D:\\work\\proj', 'C:\\work\\proj', path.win32), false);
    assert.equal(isInside('C:\\work\\projX', 'C:\\work\\proj', path.win32), false);
  });
});

describe('checkExportPath (real file system, real realpath)', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-exportpath-')));
  const ws = path.join(root, 'ws');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(ws);
  fs.mkdirSync(outside);
  fs.symlinkSync(outside, path.join(ws, 'escape'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a symlink to a folder outside is followed by realpath and refused', async () => {
    const d = await checkExportPath(path.join(ws, 'escape', 'x.csv'), [ws], true, 'csv', fs.promises.realpath);
    assert.deepEqual(d, { ok: false, reason: 'it is outside the workspace folders' });
    const ok = await checkExportPath(path.join(ws, 'x.csv'), [ws], true, 'csv', fs.promises.realpath);
    assert.deepEqual(ok, { ok: true, path: path.join(ws, 'x.csv') });
  });

  it('a workspace folder given through a symlink still contains its files', async () => {
    const alias = path.join(root, 'alias');
    fs.symlinkSync(ws, alias);
    const d = await checkExportPath(path.join(ws, 'x.csv'), [alias], true, 'csv', fs.promises.realpath);
    assert.deepEqual(d, { ok: true, path: path.join(ws, 'x.csv') });
  });
});
