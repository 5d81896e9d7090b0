/**
 * The uuids of the live-plot outputs that the Live Plot controller produced in
 * this window, i.e. cells the user ran here. Only those start by themselves when
 * they appear in a notebook (also when an undo brings one back); any other
 * output waits for the user's Start. Bounded: the oldest are forgotten first.
 */
export class IssuedOutputs {
  private readonly uuids = new Set<string>();

  constructor(private readonly max = 10_000) {}

  add(uuid: string): void {
    this.uuids.delete(uuid);
    this.uuids.add(uuid);
    while (this.uuids.size > this.max) this.uuids.delete(this.uuids.values().next().value as string);
  }

  has(uuid: string): boolean {
    return this.uuids.has(uuid);
  }
}
