// Public data shapes of the routing engine: plain data in, plain data out.
// Money is integer minor units (cents); quantities are integers; times are UTC ISO strings.

export interface OrderLine {
  lineId: string;
  sku: string;
  quantity: number;
  /** Weight of one unit, in grams. */
  weightGrams: number;
}

export interface Destination {
  latitude: number;
  longitude: number;
  countryCode?: string;
  zip?: string;
}

export interface RoutingOrder {
  id?: string;
  lines: OrderLine[];
  destination: Destination;
  /** When the order was placed (ISO UTC timestamp). */
  placedAt: string;
  /** Latest acceptable delivery date (ISO date, `YYYY-MM-DD`), or null when nothing was promised. */
  promisedBy: string | null;
}

export interface FulfillmentLocation {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  /** Available quantity per SKU. */
  stock: Record<string, number>;
  /** Orders the location can still ship today. */
  remainingCapacity: number;
  /** Carrier cut-off as an hour of the day in UTC (fractional allowed, e.g. 17.5 = 17:30). */
  cutoffHourUtc: number;
  /** Pick/pack cost per shipment. */
  handlingCostMinor: number;
  /** Pick cost per unit. */
  handlingPerUnitMinor?: number;
}

/** A distance band of the rate table. Bands are matched in ascending `maxKm` order. */
export interface RateZone {
  zone: number;
  /** Upper bound of the band, inclusive. Destinations past the last band cannot be served. */
  maxKm: number;
  perPackageMinor: number;
  perUnitMinor: number;
  /** Weight charge: minor units per kilogram (optional; fractions allowed; rounded per unit). */
  perKgMinor?: number;
  /** Distance charge: minor units per kilogram per 100 km (fractions allowed; rounded per unit). */
  perKgPer100KmMinor: number;
}

export interface CarrierService {
  code: string;
  name: string;
  /** Transit days keyed by zone number; a zone missing here is not served by this service. */
  transitDays: Record<number, number>;
  /** Multiplies the shipping charges (package, unit, distance), not handling. */
  costMultiplier: number;
}

export interface RateTable {
  zones: RateZone[];
  services: CarrierService[];
}

export type HardRule =
  | { type: "exclude_locations"; ids: string[] }
  | { type: "max_splits"; max: number }
  | { type: "promise_feasible" }
  | { type: "capacity" };

export type RankingRule =
  | { type: "prefer_locations"; ids: string[]; bonusMinor?: number }
  | { type: "lowest_landed_cost" }
  | { type: "fewest_splits" }
  | { type: "closest" };

export type RoutingRule = HardRule | RankingRule;
export type RankingRuleType = RankingRule["type"];

export interface RoutingOptions {
  /** How many best candidate plans the explanation lists (and the exact search ranks exactly). Default 3, min 2. */
  topK?: number;
  /** Use the exact search up to this many eligible locations. Default 12. */
  maxExactLocations?: number;
  /** Use the exact search up to this many order lines. Default 30. */
  maxExactLines?: number;
  /** Carriers neither pick up nor deliver on Saturday/Sunday. Default true. */
  skipWeekends?: boolean;
}

export interface RoutingInput {
  order: RoutingOrder;
  locations: FulfillmentLocation[];
  rateTable: RateTable;
  rules: RoutingRule[];
  /**
   * Optional opportunity cost of stock, per location id and SKU (minor units per unit), e.g. from
   * `stockShadowPrices()` run by a daily planning job. Added to the landed cost used for ranking only.
   */
  stockShadowPriceMinor?: Record<string, Record<string, number>>;
  options?: RoutingOptions;
}

export interface LineAllocation {
  locationId: string;
  quantity: number;
}

export interface ShipmentCost {
  locationId: string;
  distanceKm: number;
  zone: number;
  service: { code: string; name: string };
  lines: { lineId: string; quantity: number }[];
  units: number;
  weightGrams: number;
  shipDate: string;
  estimatedDeliveryDate: string;
  /** null when the order has no promised date. */
  meetsPromise: boolean | null;
  handlingMinor: number;
  perPackageMinor: number;
  perUnitMinor: number;
  weightMinor: number;
  distanceMinor: number;
  shippingMinor: number;
  totalMinor: number;
}

/** Why a location never entered the search. */
export type LocationExclusionReason = "exclude_locations" | "capacity" | "no_stock" | "no_service";

/** Why a listed candidate plan lost before the ranking chain was consulted. */
export type PlanExclusionReason = "partial_coverage" | "promise_feasible";

/**
 * The rule that separated the winner from the runner-up.
 * - a ranking rule type: the first rule of the chain on which the two differ;
 * - "tie_break": every ranking rule tied, the location ids decided;
 * - "only_candidate": after the hard rules a single plan remained;
 * - "no_candidate": nothing could be allocated at all;
 * - "baseline": a baseline policy made the decision (no rule chain).
 */
export type DecidedBy = RankingRuleType | "tie_break" | "only_candidate" | "no_candidate" | "baseline";

export interface CandidateSummary {
  rank: number;
  locationIds: string[];
  /** Score vector, keys in `RoutingExplanation.scoreKeys` order; lower is better on every key. */
  scores: Record<string, number>;
  totalMinor: number;
  unitsAllocated: number;
  meetsPromise: boolean | null;
  excludedBy?: PlanExclusionReason;
  /** Stock shadow value of the units this plan takes (only when stock prices were given). */
  stockValueMinor?: number;
}

export interface SearchCounts {
  subsetsEvaluated: number;
  candidatePlans: number;
  /** Subsets whose best assignment left a member idle: the smaller subset is the same plan, cheaper. */
  dominated: number;
  prunedByBound: number;
  /** Plans or subsets set aside by a named rule. */
  excludedByRule: Partial<Record<"max_splits" | PlanExclusionReason, number>>;
}

export interface RoutingExplanation {
  decidedBy: DecidedBy;
  summary: string;
  scoreKeys: string[];
  excludedLocations: { locationId: string; reason: LocationExclusionReason }[];
  candidates: CandidateSummary[];
  counts: SearchCounts;
  /** True when promise_feasible is a rule but no plan could meet the promised date. */
  promiseFallback: boolean;
  /** Present when stock shadow prices were given (and landed cost ranks): what they did to this decision. */
  stockValue?: StockValueEffect;
}

export interface StockValueEffect {
  /** Shadow value of the units the chosen plan takes. */
  chosenMinor: number;
  /**
   * True when a listed plan that passed the same filters would have ranked first on landed cost
   * without the stock prices: scarce stock was kept for the demand forecast elsewhere.
   */
  changedChoice: boolean;
  /** That plan (the first such listed), with its real cost and the stock value it would have used. */
  passedOver?: { locationIds: string[]; totalMinor: number; stockValueMinor: number };
}

export interface RoutingDecision {
  orderId?: string;
  method: "exact" | "heuristic" | "baseline";
  /** "engine" or the baseline's name. */
  strategy: string;
  allocations: Record<string, LineAllocation[]>;
  unallocated: { lineId: string; sku: string; quantity: number }[];
  shipments: ShipmentCost[];
  totals: {
    shipments: number;
    unitsAllocated: number;
    unitsUnallocated: number;
    handlingMinor: number;
    shippingMinor: number;
    totalMinor: number;
    /** null without a promised date (or with nothing shipped). */
    meetsPromise: boolean | null;
    latestDeliveryDate: string | null;
  };
  explanation: RoutingExplanation;
}
