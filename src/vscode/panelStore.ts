/**
 * The extension host's own record of each panel's session spec, so that a
 * panel restored after a reload gets its spec from the host and never from
 * state saved by the page. The page keeps only an opaque random key.
 * No `vscode` import: the store is anything shaped like a `Memento`
 * (`context.workspaceState`), and it is unit-tested with a plain one.
 */
import { randomBytes } from 'node:crypto';

/** What this store needs from `vscode.Memento`. */
export interface StateStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

/** Key of the one record in the memento. */
export const PANEL_SPECS_KEY = 'livePlot.panelSpecs';
/** At most this many panels are remembered; the least recently used go first. */
export const MAX_PANEL_ENTRIES = 64;

const KEY_PATTERN = /^[0-9a-f]{32}$/;

interface Entry {
  readonly spec: unknown;
  /** Last time the entry was written (ms since epoch), for the size bound. */
  readonly touched: number;
}

/** Whether `key` has the shape of a key made by {@link PanelSpecStore.add}. */
export function isPanelKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key);
}

/** Panel key → session spec, kept in a memento. Every method is safe with a damaged record. */
export class PanelSpecStore {
  constructor(
    private readonly memento: StateStore,
    private readonly now: () => number = Date.now,
    private readonly newKey: () => string = () => randomBytes(16).toString('hex'),
  ) {}

  /** Remembers `spec` under a fresh random key and returns the key. */
  add(spec: unknown): string {
    const entries = this.read();
    let key = this.newKey();
    while (entries.has(key)) key = this.newKey();
    entries.set(key, { spec, touched: this.now() });
    this.write(entries);
    return key;
  }

  /** The spec stored under `key`, or undefined for a key this store did not make (or forgot). */
  get(key: unknown): unknown {
    if (!isPanelKey(key)) return undefined;
    return this.read().get(key)?.spec;
  }

  /**
   * The key and spec a restored panel may start from, given the state its page
   * saved (untrusted: any shape). Undefined for no key, an unknown key, a key
   * already bound to a live panel (`inUse`), or state in another shape (such as
   * a spec saved by an older page): then nothing starts.
   */
  forRestore(state: unknown, inUse: ReadonlySet<string>): { readonly key: string; readonly spec: unknown } | undefined {
    const key = state && typeof state === 'object' ? (state as { panelKey?: unknown }).panelKey : undefined;
    if (!isPanelKey(key) || inUse.has(key)) return undefined;
    const spec = this.get(key);
    return spec === undefined ? undefined : { key, spec };
  }

  has(key: unknown): boolean {
    return isPanelKey(key) && this.read().has(key);
  }

  /** Replaces the spec of an existing key (e.g. the period chosen since); unknown keys are ignored. */
  update(key: string, spec: unknown): void {
    const entries = this.read();
    if (!entries.has(key)) return;
    entries.set(key, { spec, touched: this.now() });
    this.write(entries);
  }

  delete(key: string): void {
    const entries = this.read();
    if (entries.delete(key)) this.write(entries);
  }

  /** Forgets every key for which `keep` is false. Returns how many were forgotten. */
  prune(keep: (key: string) => boolean): number {
    const entries = this.read();
    let n = 0;
    for (const key of [...entries.keys()]) {
      if (!keep(key)) {
        entries.delete(key);
        n++;
      }
    }
    if (n > 0) this.write(entries);
    return n;
  }

  get size(): number {
    return this.read().size;
  }

  keys(): string[] {
    return [...this.read().keys()];
  }

  /** The stored entries; anything malformed in the record is dropped. */
  private read(): Map<string, Entry> {
    const raw = this.memento.get(PANEL_SPECS_KEY);
    const entries = new Map<string, Entry>();
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return entries;
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (!isPanelKey(key) || !value || typeof value !== 'object') continue;
      const { spec, touched } = value as { spec?: unknown; touched?: unknown };
      if (spec === undefined) continue;
      entries.set(key, { spec, touched: typeof touched === 'number' && Number.isFinite(touched) ? touched : 0 });
    }
    return entries;
  }

  /** Writes the entries back, keeping only the {@link MAX_PANEL_ENTRIES} most recently touched. */
  private write(entries: Map<string, Entry>): void {
    const kept = [...entries].sort((a, b) => b[1].touched - a[1].touched).slice(0, MAX_PANEL_ENTRIES);
    const record: Record<string, Entry> = {};
    for (const [key, entry] of kept) record[key] = entry;
    this.memento.update(PANEL_SPECS_KEY, record).then(undefined, () => undefined);
  }
}
