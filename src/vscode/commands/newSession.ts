import * as vscode from 'vscode';
import type { IDisposable } from '../../shared/lifecycle';
import { Commands } from '../ids';
import { CommandContext, CommandGroup } from './command';

/**
 * "New Session…": a source kind and a title (given, or asked for), shown in a new
 * panel. Returns the new session's id, or undefined if the user cancelled.
 */
export function registerNewSessionCommand(c: CommandContext): IDisposable {
  const group = new CommandGroup(c);
  group.register(Commands.newSession, (kind?: unknown, title?: unknown) =>
    newSession(c, typeof kind === 'string' ? kind : undefined, typeof title === 'string' ? title : undefined),
  );
  return group;
}

async function newSession(c: CommandContext, kind?: string, title?: string): Promise<string | undefined> {
  const kinds = c.manager.sourceKinds().filter((d) => d.inNewSession).map((d) => ({ label: d.label, description: d.description, sourceKind: d.kind }));
  const picked = kind ?? (await vscode.window.showQuickPick(kinds, { placeHolder: 'Source of the new live plot', title: 'Live Plot: New Session' }))?.sourceKind;
  if (!picked) return undefined;
  const name =
    title ??
    (await vscode.window.showInputBox({
      title: 'Live Plot: New Session',
      prompt: 'Title of the plot (optional)',
      placeHolder: picked.charAt(0).toUpperCase() + picked.slice(1),
    }));
  if (name === undefined) return undefined;
  const session = c.panels.open({ source: { kind: picked }, ...(name.trim() ? { title: name.trim() } : {}) });
  return session.id;
}
