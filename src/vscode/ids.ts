/** Command ids, in one place; a test checks them against package.json. */
export const Commands = {
  newSession: 'livePlot.newSession',
  closeAll: 'livePlot.closeAll',
  showInfo: 'livePlot.showInfo',
  openDemoNotebook: 'livePlot.openDemoNotebook',
  showLog: 'livePlot.showLog',
  reveal: 'livePlot.reveal',
  pause: 'livePlot.pause',
  resume: 'livePlot.resume',
  setPeriod: 'livePlot.setPeriod',
  setPoints: 'livePlot.setPoints',
  close: 'livePlot.close',
  exportCsv: 'livePlot.exportCsv',
  exportPng: 'livePlot.exportPng',
  setYRange: 'livePlot.setYRange',
  startNotebookSessions: 'livePlot.startNotebookSessions',
  startOutput: 'livePlot.startOutput',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Setting keys under `livePlot.` with their types; a test checks them against package.json. */
export interface Settings {
  defaultPeriodMs: number;
  defaultPoints: number;
  minPeriodMs: number;
  maxSessions: number;
  maxPoints: number;
  memoryBudgetMB: number;
  'periodControl.min': number;
  'periodControl.max': number;
  'periodControl.step': number;
  'udp.address': string;
  'udp.port': number;
}
export const SETTING_KEYS: readonly (keyof Settings)[] = [
  'defaultPeriodMs',
  'defaultPoints',
  'minPeriodMs',
  'maxSessions',
  'maxPoints',
  'memoryBudgetMB',
  'periodControl.min',
  'periodControl.max',
  'periodControl.step',
  'udp.address',
  'udp.port',
];

export const VIEW_CONTAINER_ID = 'livePlot';
export const TREE_VIEW_ID = 'livePlot.sessions';
export const PANEL_VIEW_TYPE = 'livePlot.panel';
export const NOTEBOOK_TYPE = 'live-plot-notebook';
export const CONTROLLER_ID = 'live-plot-controller';
export const OUTPUT_CHANNEL_NAME = 'Live Plot';
export const CONTEXT_HAS_SESSIONS = 'livePlot.hasSessions';
/** Some open notebook has live-plot outputs without a session (not started, stopped). */
export const CONTEXT_HAS_IDLE_OUTPUTS = 'livePlot.hasIdleOutputs';
