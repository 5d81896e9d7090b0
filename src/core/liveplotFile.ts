/**
 * The `.liveplot` file format: a readable JSON document of markdown and code
 * cells. Code cells hold session specs; outputs are kept so that a saved
 * notebook comes back alive when reopened.
 */

export interface LivePlotFileOutput {
  /** MIME type → data: JSON values for JSON MIME types, strings otherwise. */
  readonly items: Record<string, unknown>;
}

export interface LivePlotFileCell {
  readonly kind: 'markdown' | 'code';
  readonly language?: string;
  readonly value: string;
  readonly outputs?: readonly LivePlotFileOutput[];
}

export interface LivePlotFile {
  readonly cells: readonly LivePlotFileCell[];
}

/** Parses a `.liveplot` file; an empty file is an empty notebook. Throws a clear Error otherwise. */
export function parseLivePlotFile(text: string): LivePlotFile {
  if (text.trim() === '') return { cells: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`Not a valid .liveplot file: ${(e as Error).message}`);
  }
  const cells = (data as { cells?: unknown })?.cells;
  if (!Array.isArray(cells)) throw new Error('Not a valid .liveplot file: expected { "cells": [...] }');
  return {
    cells: cells.map((c, i) => {
      if (typeof c !== 'object' || c === null) throw new Error(`Not a valid .liveplot file: cell ${i} is not an object`);
      const cell = c as Record<string, unknown>;
      const kind = cell.kind === 'markdown' ? 'markdown' : 'code';
      const value = typeof cell.value === 'string' ? cell.value : Array.isArray(cell.value) ? cell.value.join('\n') : '';
      const outputs = Array.isArray(cell.outputs)
        ? cell.outputs.filter((o): o is LivePlotFileOutput => typeof o === 'object' && o !== null && typeof (o as { items?: unknown }).items === 'object' && (o as { items?: unknown }).items !== null)
        : undefined;
      return {
        kind,
        value,
        ...(typeof cell.language === 'string' ? { language: cell.language } : {}),
        ...(outputs?.length ? { outputs } : {}),
      };
    }),
  };
}

/** Writes a `.liveplot` file, indented so that diffs stay readable. */
export function serializeLivePlotFile(file: LivePlotFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}

/**
 * Strips `//` and `/* *\/` comments outside strings, so that cells may carry
 * commented examples. Returns the JSON text left.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\' && i + 1 < text.length) {
        out += text[i + 1];
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The demo notebook's cells. */
export function demoNotebook(): LivePlotFile {
  return {
    cells: [
      { kind: 'markdown', value: '# Live Plot demo\nRun a cell to start a live plot in its output. Re-running the cell, clearing its output, deleting the cell or closing the notebook ends the session: no zombies. Watch the **Live Sessions** view in the Live Plot activity bar.' },
      { kind: 'code', language: 'json', value: '{\n  "title": "Random (the seed\'s demo)",\n  "source": { "kind": "random" },\n  "periodMs": 1000,\n  "points": 100\n}' },
      { kind: 'code', language: 'json', value: '{\n  "title": "Sine waves",\n  "source": { "kind": "sine", "waves": 3, "frequencyHz": 0.2, "sampleRateHz": 20 },\n  "periodMs": 250,\n  "points": 400\n}' },
      { kind: 'markdown', value: '## Telemetry\nOnce the UDP source is available, send Teleplot lines such as `temp:21.5` to `127.0.0.1:47269` and uncomment this spec:' },
      { kind: 'code', language: 'json', value: '// { "title": "Pump pressure", "source": { "kind": "udp", "match": "pump*" }, "periodMs": 500, "points": 200 }' },
    ],
  };
}
