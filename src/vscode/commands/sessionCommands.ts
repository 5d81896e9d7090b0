import * as vscode from 'vscode';
import { checkYRange } from '../../core/spec';
import type { IDisposable } from '../../shared/lifecycle';
import { readLimits } from '../config';
import { Commands } from '../ids';
import { askPeriod, askPoints, askYRange, pickSession } from '../prompts';
import { formatPeriod, TreeNode } from '../tree';
import { CommandContext, CommandGroup } from './command';

/**
 * Commands on live sessions: reveal, pause, resume, period, points, y range,
 * close, close all, info and log. Each takes a session (its id or a tree node),
 * else asks; scripts and tests pass the value too.
 */
export function registerSessionCommands(c: CommandContext): IDisposable {
  const group = new CommandGroup(c);
  const reg = group.register.bind(group);
  const pick = (node: TreeNode | string | undefined, placeHolder: string) => pickSession(c.manager, node, placeHolder);

  reg(Commands.closeAll, () => {
    const n = c.manager.disposeAll('user-closed');
    c.output.info(`Close All: ended ${n} session(s).`);
    return n;
  });
  reg(Commands.showInfo, () => showInfo(c));
  reg(Commands.showLog, () => c.output.show(true));
  reg(Commands.reveal, async (node?: TreeNode) => {
    const s = await pick(node, 'Reveal which session?');
    if (s && !c.panels.reveal(s.id) && !(await c.notebooks.reveal(s.id))) {
      void vscode.window.showInformationMessage(`Live Plot: "${s.title}" has no view to reveal.`);
    }
  });
  reg(Commands.pause, async (node?: TreeNode) => (await pick(node, 'Pause which session?'))?.pause());
  reg(Commands.resume, async (node?: TreeNode) => (await pick(node, 'Resume which session?'))?.resume());
  reg(Commands.close, async (node?: TreeNode) => (await pick(node, 'Close which session?'))?.dispose('user-closed'));
  reg(Commands.setPeriod, async (node?: TreeNode, value?: number) => {
    const s = await pick(node, 'Set the period of which session?');
    if (!s) return;
    // The prompt accepts what the session keeps; a value passed in is clamped by the session.
    const v = value ?? (await askPeriod(s.title, s.periodMs, readLimits()));
    if (v !== undefined) s.setPeriod(v);
  });
  reg(Commands.setPoints, async (node?: TreeNode, value?: number) => {
    const s = await pick(node, 'Set the window of which session?');
    if (!s) return;
    const v = value ?? (await askPoints(s.title, s.points, readLimits().maxPoints));
    if (v !== undefined) s.setPoints(v);
  });
  reg(Commands.setYRange, async (node?: TreeNode | string, value?: unknown) => {
    const s = await pick(node, 'Set the y axis of which session?');
    if (!s) return undefined;
    const range = value !== undefined ? checkYRange(value) : await askYRange(s.title, s.yRange);
    if (range !== undefined) s.setYRange(range);
    return s.yRange;
  });
  return group;
}

/** Writes every session's details to the log, shows it, and returns the same lines. */
function showInfo(c: CommandContext): string {
  const sessions = c.manager.list().map((s) => s.info());
  const lines = [`Live Plot Sessions: ${sessions.length} live session${sessions.length === 1 ? '' : 's'}`];
  for (const s of sessions) {
    lines.push(
      `  • "${s.title}" [${s.ownerKind}: ${s.group}] source ${s.sourceKind} — ${s.endpoint}; ${s.state}${s.status ? ` (${s.status})` : ''}; every ${formatPeriod(s.periodMs)}; ${s.points} points; ${s.rate.toFixed(1)} updates/s; id ${s.id}`,
    );
  }
  const d = c.manager.diagnostics();
  lines.push(`  timers ${d.timers}, views ${d.views}, sockets ${d.sockets}, processes ${d.processes}, watchers ${d.watchers}`);
  for (const l of lines) c.output.info(l);
  c.output.show(true);
  void vscode.window.showInformationMessage(`Live Plot: ${sessions.length} live session${sessions.length === 1 ? '' : 's'} (details in the "Live Plot" output).`);
  return lines.join('\n');
}
