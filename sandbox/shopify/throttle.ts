// Shopify's leaky bucket for GraphQL cost: up to maximumAvailable points, refilled at
// restoreRate points per second. A query is refused when its requested cost exceeds what is left.

export interface ThrottleStatus { maximumAvailable: number; currentlyAvailable: number; restoreRate: number }

export class CostBucket {
  private available: number;
  private last: number;

  constructor(
    readonly maximumAvailable = 2000,
    readonly restoreRate = 100,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.available = maximumAvailable;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.available = Math.min(this.maximumAvailable, this.available + ((t - this.last) / 1000) * this.restoreRate);
    this.last = t;
  }

  /** Takes `cost` points if available; false (nothing taken) when the bucket is too low. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Gives back points charged but not used (requested − actual). */
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + Math.max(0, points));
  }

  status(): ThrottleStatus {
    this.refill();
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: this.restoreRate };
  }
}
