// The loop behind the server's table queues (webhook deliveries, GitHub App jobs): one round claims
// due rows and works them, then the next round is scheduled — at once while work keeps coming,
// otherwise after the poll interval. `nudge()` after an enqueue looks sooner than the next poll;
// the enqueue may sit in a transaction that has not committed yet, so a nudge during a round asks
// for one more round right after it rather than being lost.
import type { FastifyBaseLogger } from 'fastify';

export interface PollLoopOptions {
  pollMs: number;
  /** Delay of a nudge that arrives while idle (ms): long enough for the enqueuing commit. */
  nudgeMs: number;
  /** Named in the log when a round throws. */
  name: string;
}

export abstract class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  /** The round in progress, if any: `stop()` waits for it. */
  protected running: Promise<void> | undefined;
  protected stopped = true;
  private again = false;

  constructor(
    private readonly loop: PollLoopOptions,
    protected readonly log?: FastifyBaseLogger,
  ) {}

  /** One round: claim due rows and work them. Returns how many were claimed. */
  abstract runOnce(): Promise<number>;

  /** Whether a round that claimed `claimed` rows suggests more are due now. */
  protected moreDue(claimed: number): boolean {
    return claimed > 0;
  }

  /** Called after every round that did not ask for another one at once. */
  protected async onQuiet(): Promise<void> {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Look now (something was queued), rather than at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(this.loop.nudgeMs);
  }

  /** Stops scheduling rounds and waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), ms);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    if (this.stopped || this.running) return;
    let claimed = 0;
    this.running = (async () => {
      try {
        claimed = await this.runOnce();
      } catch (err) {
        this.log?.error({ err }, `${this.loop.name} round failed`);
      }
    })();
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    const again = this.again || this.moreDue(claimed);
    this.again = false;
    if (!again) await this.onQuiet();
    this.schedule(again ? 0 : this.loop.pollMs);
  }
}
