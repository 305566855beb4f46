import { legacyIdFromGid } from "../shared/safe-json";

// Where the app keeps personal data about a customer, in one place: customers/redact clears what is
// listed here, and customers/data_request names every field of this list that is held. Two kinds of
// store hold it: the Order columns below, and the raw webhook bodies kept in the inbox for replay.

export interface PersonalColumn {
  /** The Order column. */
  column: string;
  /**
   * clear: emptied by customers/redact. keep: coarse region only (province, country), kept for demand
   * forecasting and the order list; it identifies no one once the rest is cleared, and data requests name it.
   */
  onRedact: "clear" | "keep";
}

export const ORDER_PERSONAL_COLUMNS: readonly PersonalColumn[] = [
  { column: "customerExternalId", onRedact: "clear" },
  { column: "email", onRedact: "clear" },
  { column: "phone", onRedact: "clear" },
  { column: "customerName", onRedact: "clear" },
  { column: "shipAddress1", onRedact: "clear" },
  { column: "shipCity", onRedact: "clear" },
  { column: "shipZip", onRedact: "clear" },
  { column: "shipLatitude", onRedact: "clear" },
  { column: "shipLongitude", onRedact: "clear" },
  { column: "shipProvince", onRedact: "keep" },
  { column: "shipCountryCode", onRedact: "keep" },
];

export const ORDER_COLUMNS_CLEARED = ORDER_PERSONAL_COLUMNS.filter((c) => c.onRedact === "clear").map((c) => c.column);

// Raw payloads (Shopify's REST shapes): every value under a person container is personal except the
// region; some keys are personal wherever they appear.
const PERSON_CONTAINERS = new Set(["customer", "shipping_address", "billing_address", "destination", "default_address", "addresses", "client_details", "note_attributes"]);
const ALWAYS_PERSONAL = new Set(["email", "contact_email", "phone", "browser_ip", "customer_id", "note", "first_name", "last_name", "address1", "address2", "zip", "latitude", "longitude", "company"]);
const REGION_KEYS = new Set(["country", "country_code", "country_name", "province", "province_code"]);

function isPersonal(key: string, inPerson: boolean): boolean {
  return !REGION_KEYS.has(key) && (inPerson || ALWAYS_PERSONAL.has(key));
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The payload with every personal value set to null (structure, ids of orders and lines, quantities,
 * money and the region kept), so a webhook not processed yet can still be processed, anonymously.
 */
export function scrubPersonalData(value: unknown): unknown {
  return scrub(value, false, false);
}

function scrub(value: unknown, inPerson: boolean, personalHere: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => scrub(v, inPerson, personalHere));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => {
      const person = inPerson || PERSON_CONTAINERS.has(key);
      return [key, scrub(v, person, isPersonal(key, person))];
    }));
  }
  return personalHere && value !== null ? null : value;
}

/**
 * Where a payload holds data about the person ("email", "shipping_address.address1", "customer.id"…), for
 * data requests: what a scrub removes and the region it keeps ("shipping_address.province_code").
 */
export function personalDataPaths(value: unknown): string[] {
  const paths = new Set<string>();
  const walk = (v: unknown, path: string, inPerson: boolean, personalHere: boolean) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, `${path}[]`, inPerson, personalHere));
    else if (isObject(v)) {
      for (const [key, x] of Object.entries(v)) {
        const person = inPerson || PERSON_CONTAINERS.has(key);
        walk(x, path ? `${path}.${key}` : key, person, person || ALWAYS_PERSONAL.has(key));
      }
    } else if (personalHere && v !== null && v !== "") paths.add(path);
  };
  walk(value, "", false, false);
  return [...paths].sort();
}

/** What identifies one customer in a shop's payloads (emails lower-cased). */
export interface CustomerKeys {
  customerIds: ReadonlySet<string>;
  emails: ReadonlySet<string>;
  phones: ReadonlySet<string>;
  /** Their orders (Shopify order ids): fulfillments, refunds and edits name only the order. */
  orderIds: ReadonlySet<string>;
}

export function customerKeys(keys: { customerIds?: Iterable<string | null>; emails?: Iterable<string | null>; phones?: Iterable<string | null>; orderIds?: Iterable<string | null> }): CustomerKeys {
  const set = (values: Iterable<string | null> | undefined, norm: (v: string) => string = (v) => v) =>
    new Set([...(values ?? [])].filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => norm(v.trim())));
  return { customerIds: set(keys.customerIds), emails: set(keys.emails, (v) => v.toLowerCase()), phones: set(keys.phones), orderIds: set(keys.orderIds) };
}

/** The values worth searching stored text for (a cheap prefilter before `mentionsCustomer`). */
export function searchTerms(keys: CustomerKeys): string[] {
  return [...keys.customerIds, ...keys.emails, ...keys.phones, ...keys.orderIds];
}

/**
 * True when a webhook body is about this customer: their customer id, email or phone anywhere, or one
 * of their orders (an order topic's own id, or `order_id` in fulfillments, refunds and order edits).
 */
export function mentionsCustomer(payload: unknown, topic: string, keys: CustomerKeys): boolean {
  const orderTopic = topic.startsWith("orders/");
  const id = (v: unknown) => (typeof v === "string" || typeof v === "number" ? legacyIdFromGid(v) : null);
  const visit = (v: unknown, key: string, parent: string, depth: number): boolean => {
    if (Array.isArray(v)) return v.some((x) => visit(x, key, parent, depth));
    if (isObject(v)) return Object.entries(v).some(([k, x]) => visit(x, k, key, depth + 1));
    if (typeof v === "string") {
      if (keys.emails.has(v.trim().toLowerCase()) || keys.phones.has(v.trim())) return true;
    }
    const legacy = id(v);
    if (legacy === null) return false;
    if (key === "customer_id" || (parent === "customer" && (key === "id" || key === "admin_graphql_api_id"))) return keys.customerIds.has(legacy);
    if (key === "order_id") return keys.orderIds.has(legacy);
    if (orderTopic && depth === 1 && (key === "id" || key === "admin_graphql_api_id")) return keys.orderIds.has(legacy);
    return false;
  };
  return visit(payload, "", "", 0);
}

/**
 * An error message fit to store and log: V8's JSON errors quote the input ("Unexpected token 'a',
 * "ana@exampl"... is not valid JSON"), which may be personal data; the excerpt goes.
 */
export function withoutInputExcerpts(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"(?:\.\.\.)? is not valid JSON/g, "(input) is not valid JSON");
}
