import * as vscode from 'vscode';
import { errorMessage } from '../../core/session';
import type { IDisposable } from '../../shared/lifecycle';
import { toExportTarget } from '../export';
import { Commands } from '../ids';
import { pickSession } from '../prompts';
import type { TreeNode } from '../tree';
import { CommandContext, CommandGroup } from './command';

/**
 * Exports: the CSV and PNG commands, and the export buttons in views (the view
 * asks, the host decides where to save).
 */
export function registerExportCommands(c: CommandContext): IDisposable {
  const group = new CommandGroup(c);
  // Exports take an optional target (a path or Uri). Scripts, other extensions and a
  // notebook's `command:` links can pass one, so it is used without a dialog only inside
  // a trusted workspace's folders; any other target gets the save dialog (see Exporter).
  group.register(Commands.exportCsv, async (node?: TreeNode | string, target?: unknown) => {
    const s = await pickSession(c.manager, node, 'Export the data of which session?');
    return s ? (await c.exporter.exportCsv(s, toExportTarget(target)))?.toString() : undefined;
  });
  group.register(Commands.exportPng, async (node?: TreeNode | string, target?: unknown) => {
    const s = await pickSession(c.manager, node, 'Save the chart of which session?');
    return s ? (await c.exporter.exportPng(s, toExportTarget(target)))?.toString() : undefined;
  });
  // Export buttons in a view: the host asks where to save.
  group.add(
    c.manager.onDidCreateSession((info) => {
      const session = c.manager.get(info.id);
      session?.onDidRequestExport((request) => {
        const done = request.kind === 'csv' ? c.exporter.exportCsv(session) : c.exporter.exportPng(session, undefined, request.dataUrl);
        done.catch((e) => {
          const message = `Export of "${session.title}" failed: ${errorMessage(e)}`;
          c.output.error(message);
          void vscode.window.showErrorMessage(`Live Plot: ${message}`);
        });
      });
    }),
  );
  return group;
}
