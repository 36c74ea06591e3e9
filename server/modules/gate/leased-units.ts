// Units leased from a database counter in blocks and spent from memory: what the daily quota
// (meter.ts) and the per-run call caps (cap-lease.ts) share. The database counts every unit when
// it is leased, so a crash can only make the counter refuse early, never allow past it.
// The next block is asked for in the background once a quarter of the current one is left, so a
// busy agent does not stall behind the upsert every time a block runs out; at the end of a
// counter (no block fits any more) units come one at a time and nothing is fetched ahead.

export class LeasedUnits {
  /** Leased from the database, not yet spent here. */
  units = 0;
  private refilling: Promise<number> | undefined;
  /** The last refill got nothing: fetch again only when out (then it may have been given back). */
  private dry = false;
  private readonly lowWater: number;

  /** `lease` takes up to `blockSize` units from the database and says how many it got (0: none left). */
  constructor(
    private readonly lease: () => Promise<number>,
    blockSize: number,
  ) {
    this.lowWater = blockSize > 1 ? Math.floor(blockSize / 4) : -1;
  }

  /** Spends one unit: false when the database has none left to lease. Concurrent takers share one refill. */
  async take(): Promise<boolean> {
    for (;;) {
      if (this.units > 0) {
        this.units--;
        if (this.units <= this.lowWater && !this.refilling && !this.dry) {
          // Ahead of need: a failure here surfaces to whoever next waits for a refill.
          this.refill().catch(() => {});
        }
        return true;
      }
      const granted = await (this.refilling ?? this.refill());
      if (granted === 0 && this.units === 0) return false;
    }
  }

  /** Resolves once no refill is in flight, so the units are final (a stop gives them back). */
  async settled(): Promise<void> {
    while (this.refilling) await this.refilling.catch(() => {});
  }

  /**
   * Takes every unspent unit out, to give back to the database: none of them can be spent here
   * afterwards. (A taker still holding this bucket then leases afresh: counted, so never over.)
   */
  drain(): number {
    const n = this.units;
    this.units = 0;
    return n;
  }

  get busy(): boolean {
    return this.refilling !== undefined;
  }

  private refill(): Promise<number> {
    const p: Promise<number> = this.lease()
      .then((n) => {
        this.units += n;
        this.dry = n === 0;
        return n;
      })
      .finally(() => {
        if (this.refilling === p) this.refilling = undefined;
      });
    this.refilling = p;
    return p;
  }
}
