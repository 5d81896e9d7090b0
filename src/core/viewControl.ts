import type { ViewToHostMessage } from '../shared/protocol';
import type { Session } from './session';
import { errorMessage } from './session';

/**
 * Applies a validated control message from a view to its session (the "apply"
 * step of the ViewChannel). Returns an error text for the view, if any.
 */
export function applyControl(session: Session, msg: ViewToHostMessage): string | undefined {
  switch (msg.type) {
    case 'setPeriod':
      session.setPeriod(msg.periodMs);
      return undefined;
    case 'setPoints':
      try {
        session.setPoints(msg.points);
      } catch (e) {
        return errorMessage(e);
      }
      return undefined;
    case 'pause':
      session.pause();
      return undefined;
    case 'resume':
      session.resume();
      return undefined;
    case 'visibility':
      session.setViewVisible(msg.viewId, msg.visible);
      return undefined;
    case 'detach':
      session.detachView(msg.viewId);
      return undefined;
    case 'close':
      session.dispose('user-closed');
      return undefined;
    case 'setYRange':
      session.setYRange(msg.yRange);
      return undefined;
    case 'exportCsv':
      session.requestExport({ kind: 'csv', viewId: msg.viewId });
      return undefined;
    case 'exportPng':
      // An answer to a renderPng request, or the user's own "save as PNG".
      // An answer nobody waits for any more (late, unknown id) is dropped.
      if (msg.requestId !== undefined) session.resolvePng(msg.requestId, msg.dataUrl);
      else session.requestExport({ kind: 'png', viewId: msg.viewId, dataUrl: msg.dataUrl });
      return undefined;
    case 'attach':
    case 'start':
      // Attaching and starting are owner-specific (panel vs. output): the channel hands them to its endpoint.
      return undefined;
    default: {
      const never: never = msg;
      return `unhandled message ${String(never)}`;
    }
  }
}
