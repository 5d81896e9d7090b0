/**
 * Reading a live-plot notebook output's payload (the MIME item): an object, or
 * a JSON string holding one (as Jupyter may store it), with a `session` uuid
 * and an optional `title`. Plain TypeScript: no `vscode`, Node or DOM import.
 */

/** The part of an output payload a view needs. */
export interface ParsedPayload {
  readonly session: string;
  readonly title?: string;
}

/** Parses an output item (anything with VS Code's `OutputItem.json()`); says why if it cannot. */
export function parsePayload(item: { json(): unknown }): ParsedPayload | { readonly error: string } {
  let value: unknown;
  try {
    value = item.json();
  } catch {
    return { error: 'the output is not valid JSON' };
  }
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { error: 'the output is a string that is not valid JSON' };
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'the output is not a JSON object' };
  }
  const { session, title } = value as { session?: unknown; title?: unknown };
  if (typeof session !== 'string' || session.trim() === '') {
    return { error: 'the output has no "session" (a string)' };
  }
  return typeof title === 'string' && title ? { session, title } : { session };
}
