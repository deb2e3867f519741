/**
 * The shared pause of one account: after a 429 every call for that account waits until the pause is over, those
 * already queued in the limiter included (they check the gate when their turn comes and give their slot back).
 */
export class PauseGate {
  private until = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Extends the pause to at least `ms` from now; never shortens a longer pause already in force. */
  pauseFor(ms: number): void {
    this.until = Math.max(this.until, this.now() + ms);
  }

  remainingMs(): number {
    return Math.max(0, this.until - this.now());
  }
}
