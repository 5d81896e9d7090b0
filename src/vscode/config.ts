import * as vscode from 'vscode';
import { DEFAULT_MEMORY_BUDGET_MB } from '../core/memoryBudget';
import type { ManagerLimits } from '../core/sessionManager';
import { MAX_PERIOD_MS } from '../core/spec';
import type { Settings } from './ids';

/** Typed read of one `livePlot.*` setting. */
export function readSetting<K extends keyof Settings>(key: K, fallback: Settings[K]): Settings[K] {
  const v = vscode.workspace.getConfiguration('livePlot').get<Settings[K]>(key);
  return typeof v === typeof fallback && (typeof v !== 'number' || Number.isFinite(v)) ? (v as Settings[K]) : fallback;
}

/** The limits in force now, sanitised so that a bad setting cannot break sessions. */
export function readLimits(): ManagerLimits {
  const minPeriodMs = clamp(readSetting('minPeriodMs', 250), 1, MAX_PERIOD_MS);
  const maxPoints = Math.floor(clamp(readSetting('maxPoints', 1_000_000), 1, 10_000_000));
  const cMin = clamp(readSetting('periodControl.min', 250), minPeriodMs, MAX_PERIOD_MS);
  const cMax = clamp(readSetting('periodControl.max', 2000), cMin, MAX_PERIOD_MS);
  const cStep = clamp(readSetting('periodControl.step', 250), 1, Math.max(1, cMax - cMin));
  return {
    defaultPeriodMs: clamp(readSetting('defaultPeriodMs', 1000), minPeriodMs, MAX_PERIOD_MS),
    defaultPoints: Math.floor(clamp(readSetting('defaultPoints', 100), 1, maxPoints)),
    minPeriodMs,
    maxPeriodMs: MAX_PERIOD_MS,
    maxPoints,
    maxSessions: Math.floor(clamp(readSetting('maxSessions', 50), 1, 10_000)),
    memoryBudgetMB: Math.floor(clamp(readSetting('memoryBudgetMB', DEFAULT_MEMORY_BUDGET_MB), 16, 65_536)),
    periodControl: { min: cMin, max: cMax, step: cStep },
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

/** Address and port of the shared UDP telemetry socket. */
export function readUdp(): { address: string; port: number } {
  return { address: readSetting('udp.address', '127.0.0.1'), port: readSetting('udp.port', 47269) };
}
