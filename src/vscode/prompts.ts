import * as vscode from 'vscode';
import type { Session } from '../core/session';
import type { SessionManager } from '../core/sessionManager';
import type { YRange } from '../core/spec';
import type { PeriodBounds } from '../shared/limits';
import type { SessionNode, TreeNode } from './tree';

/**
 * The session a command acts on: the one given (an id, or a tree node), else the
 * only one, else the user's pick. Undefined if there is none or the user cancels.
 */
export async function pickSession(manager: SessionManager, node: TreeNode | string | undefined, placeHolder: string): Promise<Session | undefined> {
  if (typeof node === 'string') return manager.get(node);
  if (node && (node as SessionNode).kind === 'session') return manager.get((node as SessionNode).sessionId);
  const sessions = manager.list();
  if (sessions.length === 0) {
    void vscode.window.showInformationMessage('Live Plot: there is no live session.');
    return undefined;
  }
  if (sessions.length === 1) return sessions[0];
  const pick = await vscode.window.showQuickPick(
    sessions.map((s) => ({ label: s.title, description: `${s.owner.group} · ${s.state}`, detail: s.id, session: s })),
    { placeHolder },
  );
  return pick?.session;
}

/**
 * Asks for a refresh period within `bounds`: pass the session's own (from
 * `readLimits()`, `livePlot.minPeriodMs` to MAX_PERIOD_MS), the ones it clamps
 * to, so that the prompt accepts exactly what the session keeps. Undefined if cancelled.
 */
export function askPeriod(title: string, current: number, bounds: PeriodBounds): Promise<number | undefined> {
  const { minPeriodMs: min, maxPeriodMs: max } = bounds;
  return askNumber(`Refresh period of "${title}" in ms (${min}–${max})`, current, (n) =>
    n >= min && n <= max ? undefined : `Enter a number of milliseconds from ${min} to ${max}`,
  );
}

/** Asks for a window of 1 to `max` points; undefined if cancelled. */
export function askPoints(title: string, current: number, max: number): Promise<number | undefined> {
  return askNumber(`Number of points of "${title}" (1–${max})`, current, (n) =>
    Number.isInteger(n) && n >= 1 && n <= max ? undefined : `Enter a whole number from 1 to ${max}`,
  );
}

/** Asks for "auto" or a fixed [min, max]; undefined if cancelled. */
export async function askYRange(title: string, current: YRange): Promise<YRange | undefined> {
  const auto = { label: 'Auto', description: 'fit the data shown', value: 'auto' as const };
  const fixed = { label: 'Fixed…', description: current === 'auto' ? 'enter min and max' : `now ${current[0]} to ${current[1]}`, value: 'fixed' as const };
  const pick = await vscode.window.showQuickPick([auto, fixed], { title: `Y axis of "${title}"`, placeHolder: `Now: ${current === 'auto' ? 'auto' : `${current[0]} to ${current[1]}`}` });
  if (!pick) return undefined;
  if (pick.value === 'auto') return 'auto';
  const parse = (t: string): [number, number] | string => {
    const parts = t.split(/[\s,;]+/).filter(Boolean).map(Number);
    if (parts.length !== 2 || !parts.every(Number.isFinite)) return 'Enter two numbers: min, max (e.g. 0, 100)';
    return parts[0]! < parts[1]! ? [parts[0]!, parts[1]!] : 'min must be less than max';
  };
  const text = await vscode.window.showInputBox({
    title: `Y axis of "${title}"`,
    prompt: 'Fixed y range: min, max',
    value: current === 'auto' ? '0, 1' : `${current[0]}, ${current[1]}`,
    validateInput: (t) => {
      const r = parse(t);
      return typeof r === 'string' ? r : undefined;
    },
  });
  if (text === undefined) return undefined;
  const r = parse(text);
  return typeof r === 'string' ? undefined : r;
}

/** Asks for a number that `validate` accepts (it returns the error text, if any); undefined if cancelled. */
export async function askNumber(prompt: string, value: number, validate: (n: number) => string | undefined): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    prompt,
    value: String(value),
    validateInput: (t) => {
      const n = Number(t);
      return t.trim() === '' || !Number.isFinite(n) ? 'Enter a number' : validate(n);
    },
  });
  return text === undefined ? undefined : Number(text);
}
