// The delivery date promised to the customer, set once when an order is taken in: the channel's own
// promise when it states one (e.g. Amazon's LatestDeliveryDate), else the shop's service level for the
// shipping method the customer chose (matched by words in its title or code), counted in business days
// from the day the order was placed. Routing's promise_feasible rule and Simulate's on-time figure use it.
// Business days skip Saturday and Sunday; public holidays are not modelled (as in delivery-date.ts).
import { dayNumber, isoDate } from "../routing/delivery-date";

export interface ServiceLevel {
  name: string;
  /** Words or phrases that identify it in a shipping method's title or code (case-insensitive). */
  matches: string[];
  businessDays: number;
}

export interface PromisePolicy {
  /** Tried in order: the first whose words appear in the shipping method decides. */
  serviceLevels: ServiceLevel[];
  /** Business days when no service level matches (or the order names no method); null: promise nothing. */
  defaultBusinessDays: number | null;
}

export function defaultPromisePolicy(): PromisePolicy {
  return {
    serviceLevels: [
      { name: "Next day", matches: ["next day", "next-day", "overnight", "one day", "1 day", "1-day"], businessDays: 1 },
      { name: "Express", matches: ["express", "expedited", "priority", "2 day", "2-day", "two day"], businessDays: 2 },
      { name: "Standard", matches: ["standard", "ground", "economy"], businessDays: 5 },
    ],
    defaultBusinessDays: 5,
  };
}

function isWeekend(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday, 6 = Saturday
  return weekday === 0 || weekday === 6;
}

/** The date `n` business days after `date` (ISO date or timestamp, UTC day); n = 0 is the next business day on or after it. */
export function addBusinessDays(date: string, n: number): string {
  let day = dayNumber(date);
  if (n <= 0) {
    while (isWeekend(day)) day += 1;
    return isoDate(day);
  }
  for (let left = n; left > 0; ) {
    day += 1;
    if (!isWeekend(day)) left -= 1;
  }
  return isoDate(day);
}

/** The service level of a shipping method's title/code, or null when none matches. */
const words = (phrase: string) => ` ${phrase.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim()} `;

/** Each service level's phrases as whole words (and their plural), worked out once per policy object: an import asks per order. */
const phraseCache = new WeakMap<PromisePolicy, { level: ServiceLevel; phrases: { one: string; plural: string }[] }[]>();

function phrasesOf(policy: PromisePolicy) {
  let levels = phraseCache.get(policy);
  if (!levels) {
    levels = policy.serviceLevels.map((level) => ({ level, phrases: level.matches.map(words).filter((w) => w.trim() !== "").map((one) => ({ one, plural: one.replace(/ $/, "s ") })) }));
    phraseCache.set(policy, levels);
  }
  return levels;
}

export function serviceLevelFor(shippingMethod: string | null | undefined, policy: PromisePolicy): ServiceLevel | null {
  if (!shippingMethod) return null;
  const text = ` ${shippingMethod.toLowerCase().replace(/[^a-z0-9]+/g, " ")} `;
  // Whole words only: "2 day" is not found in "12 days", "ground" not in "background".
  return phrasesOf(policy).find(({ phrases }) => phrases.some((p) => text.includes(p.one) || text.includes(p.plural)))?.level ?? null;
}

export interface PromiseInput {
  /** ISO timestamp the order was placed. */
  placedAt: string;
  /** The channel's own latest delivery date (ISO date or timestamp), when it states one. */
  channelPromisedBy?: string | null;
  /** The shipping method the customer chose (title, code), when known. */
  shippingMethod?: string | null;
  /** Nothing to deliver (no shipping address): no promise. */
  shipsToAddress: boolean;
}

export interface DeliveryPromise {
  /** Latest delivery date, YYYY-MM-DD, or null. */
  promisedBy: string | null;
  source: "channel" | "service_level" | "default" | "none";
  serviceLevel?: string;
}

export function promisedDelivery(input: PromiseInput, policy: PromisePolicy): DeliveryPromise {
  if (input.channelPromisedBy && !Number.isNaN(Date.parse(input.channelPromisedBy))) {
    return { promisedBy: isoDate(dayNumber(input.channelPromisedBy)), source: "channel" };
  }
  if (!input.shipsToAddress) return { promisedBy: null, source: "none" };
  const level = serviceLevelFor(input.shippingMethod, policy);
  if (level) return { promisedBy: addBusinessDays(input.placedAt, level.businessDays), source: "service_level", serviceLevel: level.name };
  if (policy.defaultBusinessDays === null) return { promisedBy: null, source: "none" };
  return { promisedBy: addBusinessDays(input.placedAt, policy.defaultBusinessDays), source: "default" };
}
