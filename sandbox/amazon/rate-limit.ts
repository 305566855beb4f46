// SP-API usage plans: a token bucket per operation (rate = tokens per second, burst = bucket size), as
// Amazon documents them in each operation's "Usage Plan" table. The bucket starts full.

export type OperationName =
  | "getListingsItem"
  | "patchListingsItem"
  | "createFeedDocument"
  | "createFeed"
  | "getFeed"
  | "getFeedDocument"
  | "getOrders"
  | "getOrderItems"
  | "confirmShipment"
  | "createReport"
  | "getReport"
  | "getReportDocument";

export interface UsagePlan { rate: number; burst: number }

/**
 * Defaults from the models' Usage Plan tables: listingsItems_2021-08-01.json (getListingsItem 5/10,
 * patchListingsItem 5/5), feeds_2021-06-30.json, ordersV0.json, reports_2021-06-30.json.
 */
export const DEFAULT_USAGE_PLANS: Record<OperationName, UsagePlan> = {
  getListingsItem: { rate: 5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  getOrders: { rate: 0.0167, burst: 20 },
  getOrderItems: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  // reports_2021-06-30.json's Usage Plan tables
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  getReportDocument: { rate: 0.0167, burst: 15 },
};

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly plan: UsagePlan,
    private readonly now: () => number,
  ) {
    this.tokens = plan.burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    if (t > this.last) this.tokens = Math.min(this.plan.burst, this.tokens + ((t - this.last) / 1000) * this.plan.rate);
    this.last = Math.max(this.last, t);
  }

  /** Takes one token; false (nothing taken) when fewer than one is left. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Milliseconds until one token is available (0 when one is). */
  msUntilNext(): number {
    const left = this.available();
    return left >= 1 ? 0 : Math.ceil(((1 - left) / this.plan.rate) * 1000);
  }
}

export class RateLimiter {
  private readonly buckets = new Map<OperationName, TokenBucket>();
  private readonly refusals = new Map<OperationName, number>();
  readonly plans: Record<OperationName, UsagePlan>;

  constructor(
    overrides: Partial<Record<OperationName, UsagePlan>> = {},
    private readonly now: () => number,
  ) {
    this.plans = { ...DEFAULT_USAGE_PLANS, ...overrides };
  }

  bucket(operation: OperationName): TokenBucket {
    let bucket = this.buckets.get(operation);
    if (!bucket) {
      bucket = new TokenBucket(this.plans[operation], this.now);
      this.buckets.set(operation, bucket);
    }
    return bucket;
  }

  take(operation: OperationName): boolean {
    const taken = this.bucket(operation).take();
    if (!taken) this.refusals.set(operation, this.refused(operation) + 1);
    return taken;
  }

  /** How many calls of the operation were refused with 429 since start. */
  refused(operation: OperationName): number {
    return this.refusals.get(operation) ?? 0;
  }

  /** A different usage plan for one operation from now on (a full bucket at the new burst). */
  setPlan(operation: OperationName, plan: UsagePlan): void {
    this.plans[operation] = plan;
    this.buckets.delete(operation);
  }

  /** The x-amzn-RateLimit-Limit header value: the plan's rate in requests per second. */
  limitHeader(operation: OperationName): string {
    return String(this.plans[operation].rate);
  }

  /** Refills every bucket (tests and demos that want a fresh quota). */
  reset(): void {
    this.buckets.clear();
  }
}
