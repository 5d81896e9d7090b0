// The environment for a nested `npm install` (or any tool we install): the
// caller's environment without what an outer npm exported into it.
//
// Under `npm test` / `npm start`, npm exports its whole configuration as
// `npm_config_*` (e.g. `npm_config_user_agent=npm/11 node/v20`), plus
// `npm_lifecycle_*`, `npm_package_*`, `npm_execpath`, `INIT_CWD`, `NODE`… and
// prepends `node_modules/.bin` folders to PATH. A nested npm reads every
// `npm_config_*` as its own configuration, so the outer run's settings leak into
// the install (code-server's postinstall then sees Node 20 through the user agent
// and refuses to build). Only what the caller adds explicitly (`extra`) is kept.
import path from 'node:path';

const NPM_KEYS = /^(npm_|INIT_CWD$|NODE$|COLOR$|EDITOR_NPM$)/i;

/** Whether `key` is something an outer npm (or npm run) put into the environment. */
export function isNpmInjected(key) {
  return NPM_KEYS.test(key);
}

/** PATH without the folders `npm run` prepends (node_modules/.bin, npm's node-gyp-bin). */
export function cleanPath(p = '') {
  return p
    .split(path.delimiter)
    .filter((d) => d && !/[\\/]node_modules[\\/]\.bin$/.test(d) && !/[\\/]node-gyp-bin$/.test(d))
    .join(path.delimiter);
}

/**
 * `base` minus every npm-injected variable, with a cleaned PATH, then `extra` on top
 * (`extra.PATH`, if given, replaces the cleaned one).
 */
export function cleanEnv(extra = {}, base = process.env) {
  const env = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || isNpmInjected(k)) continue;
    env[k] = v;
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = cleanPath(env[pathKey]);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}
