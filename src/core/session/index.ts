/**
 * A session and its vocabulary. `import … from '../core/session'` resolves here.
 *
 * - `types`: what other layers use (Owner, DisposeReason, SessionInfo, ViewSink, …)
 * - `session`: the Session (spec + source + ring + one timer + owner + views)
 * - `viewFanOut`: snapshots and deltas to the attached views
 * - `rateMeter`: updates and samples per second
 * - `headroom`: rows the ring keeps beyond the window, grown with the rate
 * - `pngRequests`: PNGs asked of a view, matched to its replies
 */
export type { DisposeReason, ExportRequest, Owner, OwnerKind, SessionInfo, SessionLimits, ViewSink } from './types';
export { NoVisibleViewError } from './types';
export { Session } from './session';
export { HEADROOM_SECONDS, MAX_HEADROOM_BYTES, ringCapacity } from './headroom';
export { errorMessage } from '../errors';
