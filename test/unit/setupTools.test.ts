// The set-up of the test tools (scripts/setup-test-tools.mjs) on a fresh machine:
// a nested `npm install` started under an outer `npm run` must not inherit the
// outer npm's configuration (issue 11: code-server's postinstall read Node 20 from
// the leaked `npm_config_user_agent` and refused to build).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cleanEnv, cleanPath, isNpmInjected } from '../../scripts/lib/cleanEnv.mjs';
import { firstErrorLine, npmInstall, SetupError } from '../../scripts/setup-test-tools.mjs';

const REPO = path.resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-setup-test-'));
}

describe('setup-test-tools: nested installs get a clean environment', () => {
  it('a nested npm install run under `npm run` sees none of the outer npm configuration', () => {
    const dir = scratch();
    try {
      // A package whose postinstall records the environment it was given.
      const pkg = path.join(dir, 'pkg');
      fs.mkdirSync(pkg);
      fs.writeFileSync(
        path.join(pkg, 'package.json'),
        JSON.stringify({
          name: 'liveplot-probe-pkg',
          version: '1.0.0',
          scripts: { postinstall: `node -e "require('fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify(process.env))"` },
        }),
      );
      const packed = spawnSync(npm, ['pack', '--silent'], { cwd: pkg, encoding: 'utf8', env: cleanEnv() });
      assert.equal(packed.status, 0, packed.stderr);
      const tgz = path.join(pkg, packed.stdout.trim().split('\n').pop()!);

      // The outer project: `npm run probe` calls the set-up's own npmInstall.
      const outer = path.join(dir, 'outer');
      fs.mkdirSync(outer);
      const setup = path.join(REPO, 'scripts', 'setup-test-tools.mjs');
      fs.writeFileSync(
        path.join(outer, 'driver.mjs'),
        `import fs from 'node:fs';
import { npmInstall } from ${JSON.stringify(setup)};
fs.writeFileSync(${JSON.stringify(path.join(dir, 'outer-env.json'))}, JSON.stringify(process.env));
npmInstall('probe', ${JSON.stringify(path.join(dir, 'nested'))}, [${JSON.stringify(tgz)}], {
  env: { PROBE_OUT: ${JSON.stringify(path.join(dir, 'nested-env.json'))}, npm_config_dangerously_allow_all_scripts: 'true' },
  extraArgs: ['--no-audit', '--no-fund'],
});
`,
      );
      fs.writeFileSync(path.join(outer, 'package.json'), JSON.stringify({ name: 'liveplot-probe-outer', private: true, scripts: { probe: 'node driver.mjs' } }));
      const r = spawnSync(npm, ['run', 'probe', '--user-agent=outer-npm-agent', '--liveplot-leak=yes'], {
        cwd: outer,
        encoding: 'utf8',
        env: cleanEnv({ LIVEPLOT_TOOLS_DIR: path.join(dir, 'tools') }),
        timeout: 120_000,
      });
      assert.equal(r.status, 0, `npm run probe failed:\n${r.stdout}\n${r.stderr}`);

      // The outer npm did export its configuration (else this test proves nothing)…
      const outerEnv = JSON.parse(fs.readFileSync(path.join(dir, 'outer-env.json'), 'utf8'));
      assert.equal(outerEnv.npm_config_user_agent, 'outer-npm-agent');
      assert.equal(outerEnv.npm_config_liveplot_leak, 'yes');
      assert.equal(outerEnv.npm_lifecycle_event, 'probe');

      // …and none of it reached the nested install's scripts.
      const nested = JSON.parse(fs.readFileSync(path.join(dir, 'nested-env.json'), 'utf8'));
      assert.match(nested.npm_config_user_agent, /^npm\/\d+/, 'the nested npm uses its own user agent');
      assert.doesNotMatch(nested.npm_config_user_agent, /outer-npm-agent/);
      assert.equal(nested.npm_config_liveplot_leak, undefined);
      assert.equal(nested.npm_lifecycle_event, 'postinstall');
      assert.equal(nested.npm_package_name, 'liveplot-probe-pkg');
      assert.ok(!String(nested.PATH).split(path.delimiter).includes(path.join(outer, 'node_modules', '.bin')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cleanEnv drops what npm injects and keeps the rest, with explicit additions on top', () => {
    const base = {
      HOME: '/home/u',
      PATH: ['/repo/node_modules/.bin', '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin', '/usr/bin'].join(path.delimiter),
      npm_config_user_agent: 'npm/11 node/v20',
      npm_lifecycle_event: 'test',
      npm_package_name: 'live-plot-sessions',
      npm_execpath: '/usr/lib/npm-cli.js',
      INIT_CWD: '/repo',
      NODE: '/usr/bin/node',
      LIVEPLOT_TOOLS_DIR: '/tmp/t',
    };
    const env = cleanEnv({ npm_config_nodedir: '/opt/node24' }, base);
    assert.deepEqual(env, { HOME: '/home/u', PATH: '/usr/bin', LIVEPLOT_TOOLS_DIR: '/tmp/t', npm_config_nodedir: '/opt/node24' });
    assert.equal(isNpmInjected('npm_config_cache'), true);
    assert.equal(isNpmInjected('NPM_TOKEN_FOR_MY_REGISTRY'), true);
    assert.equal(isNpmInjected('NODE_OPTIONS'), false);
    assert.equal(cleanPath(['/a/node_modules/.bin', '/b'].join(path.delimiter)), '/b');
  });
});

describe('setup-test-tools: a failed step says what failed and how to retry', () => {
  it('firstErrorLine picks the first line that reads like an error', () => {
    const text = '> code-server@4 postinstall\n> sh ./postinstall.sh\nERROR: code-server currently requires node v24.\nWe have detected node v20\nnpm error code 1\n';
    assert.equal(firstErrorLine(text), 'ERROR: code-server currently requires node v24.');
    assert.equal(firstErrorLine('\n\nsomething odd\n'), 'something odd');
    assert.equal(firstErrorLine(''), '');
  });

  it('a failing npm install throws a SetupError naming the step, the command, the first error and the retry', () => {
    const dir = scratch();
    const prev = process.env.LIVEPLOT_TOOLS_DIR;
    process.env.LIVEPLOT_TOOLS_DIR = path.join(dir, 'tools');
    try {
      const missing = path.join(dir, 'no-such-package.tgz');
      let err: unknown;
      try {
        npmInstall('probe-fail', path.join(dir, 'nested'), [missing], { extraArgs: ['--no-audit', '--no-fund', '--offline'] });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof SetupError, `expected a SetupError, got ${String(err)}`);
      const m = (err as Error).message;
      assert.match(m, /step "probe-fail" failed \(exit [1-9]\d*\)/);
      assert.match(m, /command: npm(\.cmd)? install --no-audit --no-fund --offline .*no-such-package\.tgz/);
      assert.match(m, /first error: .*(ERR|error|ENOENT)/i);
      assert.match(m, /to retry: .*npm run setup-test-tools/);
      assert.ok(fs.existsSync(path.join(dir, 'tools', 'logs', 'probe-fail.stderr.log')), 'the full error output is kept');
    } finally {
      if (prev === undefined) delete process.env.LIVEPLOT_TOOLS_DIR;
      else process.env.LIVEPLOT_TOOLS_DIR = prev;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
