/**
 * What of a source spec may leave the host's private state (the tree, Show
 * Info, `info()` through the API, pages, the log): the spec without secrets.
 * Secrets are environment values, header values, URL credentials, the values of
 * query parameters and options whose names say they are secret. Plain TypeScript.
 */
import type { ResolvedSpec, SourceSpec } from './spec';

/** What a secret is replaced with. */
export const REDACTED = '***';

/** Names of query parameters and options whose values are secret. */
const SECRET_NAME =
  /(token|secret|passw|passwd|pwd|auth|signature|^sig$|sig_|credential|session|cookie|bearer|jwt|api[-_]?key|access[-_]?key|private[-_]?key|^key$|[-_]key$|^code$|nonce)/i;

/** Options whose values are all secret (their names stay visible). */
const MAP_OPTIONS = new Set(['env', 'headers']);

/** Whether a query parameter or option named `name` holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A URL for display: `user:password@` becomes `***@`, secret query values
 * become `***`, a fragment becomes `#***`. Not-quite URLs (no scheme, invalid)
 * are cleaned with the same rules as text.
 */
export function redactUrl(url: URL | string): string {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    return redactText(String(url));
  }
  if (!/^[a-z][a-z0-9+.-]*:$/i.test(u.protocol) || !u.host) return redactText(u.href);
  const cred = u.username || u.password ? `${REDACTED}@` : '';
  let query = '';
  if (u.search) {
    const parts = u.search.slice(1).split('&').map((part) => {
      const eq = part.indexOf('=');
      const rawName = eq < 0 ? part : part.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // Keep the raw name.
      }
      return eq >= 0 && isSecretName(name) ? `${rawName}=${REDACTED}` : part;
    });
    query = `?${parts.join('&')}`;
  }
  const hash = u.hash ? `#${REDACTED}` : '';
  return `${u.protocol}//${cred}${u.host}${u.pathname}${query}${hash}`;
}

/**
 * Free text (an argument, a message) with secrets of URLs in it removed:
 * `scheme://user:pass@` → `scheme://***@`, `name=value` for secret names → `name=***`.
 */
export function redactText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, `$1${REDACTED}@`)
    .replace(/([?&;]|^|\s|--?)([A-Za-z0-9_.-]+)=([^&\s#;]*)/g, (all, lead: string, name: string) =>
      isSecretName(name) ? `${lead}${name}=${REDACTED}` : all,
    );
}

/** `value` (an option's value) with secrets removed; `depth` guards against deep input. */
function redactValue(key: string, value: unknown, depth: number): unknown {
  if (key !== '' && isSecretName(key)) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue('', v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactValue(k, v, depth + 1);
  return out;
}

/**
 * The public view of a source spec: `env` and `headers` keep their names with
 * every value `***`; `url` loses credentials and secret query values; options
 * whose names say they are secret (`token`, `password`, `apiKey`, …) are `***`;
 * URLs inside other strings (e.g. a command's arguments) lose their credentials.
 * Never throws, whatever the input.
 */
export function publicSourceSpec(spec: SourceSpec): SourceSpec {
  const out: Record<string, unknown> = { kind: spec.kind };
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'kind') continue;
    if (MAP_OPTIONS.has(k)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        out[k] = Object.fromEntries(Object.keys(v as Record<string, unknown>).map((name) => [name, REDACTED]));
      } else {
        out[k] = REDACTED;
      }
    } else if (k === 'url' && typeof v === 'string') {
      out[k] = redactUrl(v);
    } else if (k === 'paths') {
      out[k] = v; // names of numbers in a JSON response: not secret, and users need them
    } else {
      out[k] = redactValue(k, v, 0);
    }
  }
  return out as SourceSpec;
}

/** A whole spec with its source made public (for pages and panel state). */
export function publicSpec<T extends ResolvedSpec | { readonly source: SourceSpec }>(spec: T): T {
  return { ...spec, source: publicSourceSpec(spec.source) };
}
