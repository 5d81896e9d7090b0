/** A PNG asked of a view: its id for the view's reply, the awaited data URL, and a way to give up. */
export interface PngRequest {
  readonly requestId: string;
  readonly result: Promise<string>;
  cancel(): void;
}

/** Matches the PNGs views send back (`exportPng` with a `requestId`) to the requests that asked for them. */
export class PngRequests {
  private readonly pending = new Map<string, { resolve(dataUrl: string): void; reject(e: Error): void }>();
  private count = 0;

  /** Opens a request; `cancel` rejects it with `cancelled()`'s error if still pending. */
  open(cancelled: () => Error): PngRequest {
    const requestId = `png-${++this.count}`;
    const result = new Promise<string>((resolve, reject) => this.pending.set(requestId, { resolve, reject }));
    const cancel = () => {
      const r = this.pending.get(requestId);
      this.pending.delete(requestId);
      r?.reject(cancelled());
    };
    return { requestId, result, cancel };
  }

  /** A view answered; false if nobody waits for `requestId`. */
  resolve(requestId: string, dataUrl: string): boolean {
    const r = this.pending.get(requestId);
    if (!r) return false;
    this.pending.delete(requestId);
    r.resolve(dataUrl);
    return true;
  }

  /** Rejects every pending request (the session ended). */
  rejectAll(error: () => Error): void {
    for (const r of this.pending.values()) r.reject(error());
    this.pending.clear();
  }
}
