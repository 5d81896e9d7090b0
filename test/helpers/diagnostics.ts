import type { Diagnostics, SessionInfo } from '../../src/vscode/api';

/**
 * What the extension writes to the file named by LIVEPLOT_DIAGNOSTICS_FILE (tests in a
 * real VS Code read it from outside the extension host): the API's diagnostics, the
 * sessions' info, when it was written, and `deactivated: true` as the host's last word.
 */
export interface Diag extends Diagnostics {
  readonly at: number;
  readonly deactivated?: boolean;
  readonly list: SessionInfo[];
}
