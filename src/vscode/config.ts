import * as vscode from 'vscode';
import type { ManagerLimits } from '../core/sessionManager';
import { MAX_PERIOD_MS, SETTINGS } from '../shared/limits';
import type { Settings } from './ids';

/** Typed read of one `livePlot.*` setting. */
export function readSetting<K extends keyof Settings>(key: K, fallback: Settings[K]): Settings[K] {
  const v = vscode.workspace.getConfiguration('livePlot').get<Settings[K]>(key);
  return typeof v === typeof fallback && (typeof v !== 'number' || Number.isFinite(v)) ? (v as Settings[K]) : fallback;
}

/** The limits in force now, sanitised so that a bad setting cannot break sessions. */
export function readLimits(): ManagerLimits {
  const minPeriodMs = clamp(readSetting('minPeriodMs', SETTINGS.minPeriodMs.default), SETTINGS.minPeriodMs.minimum, MAX_PERIOD_MS);
  const maxPoints = Math.floor(clamp(readSetting('maxPoints', SETTINGS.maxPoints.default), SETTINGS.maxPoints.minimum, SETTINGS.maxPoints.maximum));
  const cMin = clamp(readSetting('periodControl.min', SETTINGS['periodControl.min'].default), minPeriodMs, MAX_PERIOD_MS);
  const cMax = clamp(readSetting('periodControl.max', SETTINGS['periodControl.max'].default), cMin, MAX_PERIOD_MS);
  const cStep = clamp(readSetting('periodControl.step', SETTINGS['periodControl.step'].default), SETTINGS['periodControl.step'].minimum, Math.max(1, cMax - cMin));
  return {
    defaultPeriodMs: clamp(readSetting('defaultPeriodMs', SETTINGS.defaultPeriodMs.default), minPeriodMs, MAX_PERIOD_MS),
    defaultPoints: Math.floor(clamp(readSetting('defaultPoints', SETTINGS.defaultPoints.default), SETTINGS.defaultPoints.minimum, maxPoints)),
    minPeriodMs,
    maxPeriodMs: MAX_PERIOD_MS,
    maxPoints,
    maxSessions: Math.floor(clamp(readSetting('maxSessions', SETTINGS.maxSessions.default), SETTINGS.maxSessions.minimum, SETTINGS.maxSessions.maximum)),
    memoryBudgetMB: Math.floor(clamp(readSetting('memoryBudgetMB', SETTINGS.memoryBudgetMB.default), SETTINGS.memoryBudgetMB.minimum, SETTINGS.memoryBudgetMB.maximum)),
    periodControl: { min: cMin, max: cMax, step: cStep },
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

/** Address and port of the shared UDP telemetry socket. */
export function readUdp(): { address: string; port: number } {
  return { address: readSetting('udp.address', SETTINGS['udp.address'].default), port: readSetting('udp.port', SETTINGS['udp.port'].default) };
}
