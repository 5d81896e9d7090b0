import { DisposableStore, IDisposable } from '../../shared/lifecycle';
import type { CommandContext } from './command';
import { registerExportCommands } from './exportCommands';
import { registerNewSessionCommand } from './newSession';
import { registerNotebookCommands } from './notebookCommands';
import { registerSessionCommands } from './sessionCommands';

export type { CommandContext } from './command';

/**
 * Registers every `livePlot.*` command, one module per group. A new command gets
 * its id in `ids.ts` and package.json, and its handler in the module of its group.
 */
export function registerCommands(c: CommandContext): IDisposable {
  const store = new DisposableStore();
  store.add(registerNewSessionCommand(c));
  store.add(registerSessionCommands(c));
  store.add(registerExportCommands(c));
  store.add(registerNotebookCommands(c));
  return store;
}
