/**
 * Shopify's leaky bucket for calculated query cost: `maximumAvailable` points that refill at `restoreRate` points
 * per second. A query is refused (THROTTLED) when its requested cost exceeds what is available; otherwise the
 * requested cost is taken up front and the difference to the actual cost is given back after execution.
 */

export interface ThrottleSettings {
  maximumAvailable: number;
  restoreRate: number;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = {maximumAvailable: 2000, restoreRate: 100};

export class ThrottleBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    private settings: ThrottleSettings,
    private readonly enforced: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.available = settings.maximumAvailable;
    this.updatedAt = now();
  }

  private refill(): void {
    const at = this.now();
    this.available = Math.min(
      this.settings.maximumAvailable,
      this.available + ((at - this.updatedAt) / 1000) * this.settings.restoreRate,
    );
    this.updatedAt = at;
  }

  /** Takes `cost` points if available; false means THROTTLED. An unenforced bucket always accepts. */
  take(cost: number): boolean {
    this.refill();
    if (!this.enforced) return true;
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  giveBack(points: number): void {
    if (!this.enforced || points <= 0) return;
    this.refill();
    this.available = Math.min(this.settings.maximumAvailable, this.available + points);
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.settings.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.settings.restoreRate,
    };
  }

  /** Refills completely (and optionally changes the settings): operator control. */
  reset(settings?: ThrottleSettings): void {
    if (settings) this.settings = settings;
    this.available = this.settings.maximumAvailable;
    this.updatedAt = this.now();
  }
}
