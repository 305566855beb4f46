// Every Admin GraphQL call the process makes to a *.myshopify.com shop (the Shopify stand-in, through
// routeShopTrafficTo), as the app's Shopify client sends and receives it: when it went, when the answer came, what
// it asked (an inventoryMoveQuantities hold or something else), whether Shopify took it, refused it (userErrors) or
// throttled it, its actual cost and the bucket after it, and for an accepted hold the safety_stock each level holds
// after it (from the answer's adjustment group: the stand-in's own figure).
//
// The Shopify library keeps the `fetch` it finds when first imported (../shared/STACK.md), so
// `recordShopifyCalls` must run before anything imports app/shopify.server: this module imports nothing of the app.

export interface SafetyAfter {
  /** gid://shopify/InventoryItem/… */
  item: string;
  /** gid://shopify/Location/… */
  location: string;
  after: number;
}

export interface ShopifyCall {
  shop: string;
  sentAtMs: number;
  answeredAtMs: number;
  /** An inventoryMoveQuantities call (the Shopify hold of ADR 0010, or the bench's naive pusher). */
  hold: boolean;
  changes: number;
  throttled: boolean;
  accepted: boolean;
  userErrors: string[];
  actualCost: number;
  bucketAfter: number | null;
  safetyAfter: SafetyAfter[];
}

interface GraphqlAnswer {
  data?: { inventoryMoveQuantities?: { inventoryAdjustmentGroup?: { changes?: { name: string; quantityAfterChange: number | null; item?: { id: string } | null; location?: { id: string } | null }[] } | null; userErrors?: { code: string | null; message: string }[] } | null } | null;
  errors?: { extensions?: { code?: string } }[];
  extensions?: { cost?: { actualQueryCost?: number | null; throttleStatus?: { currentlyAvailable?: number } } };
}

let installed: ShopifyCall[] | undefined;

/** Starts recording (once per process); returns the live list of calls. */
export function recordShopifyCalls(): ShopifyCall[] {
  if (installed) return installed;
  const calls: ShopifyCall[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (!url.hostname.endsWith(".myshopify.com") || !url.pathname.endsWith("/graphql.json")) return original(input, init);
    let query = "";
    let changes = 0;
    if (typeof init?.body === "string") {
      try {
        const sent = JSON.parse(init.body) as { query?: string; variables?: { input?: { changes?: unknown[] } } };
        query = sent.query ?? "";
        changes = sent.variables?.input?.changes?.length ?? 0;
      } catch {
        // not JSON: recorded as a call that is no hold
      }
    }
    const sentAtMs = Date.now();
    const response = await original(input, init);
    const answeredAtMs = Date.now();
    const call: ShopifyCall = { shop: url.hostname, sentAtMs, answeredAtMs, hold: query.includes("inventoryMoveQuantities"), changes, throttled: false, accepted: false, userErrors: [], actualCost: 0, bucketAfter: null, safetyAfter: [] };
    calls.push(call);
    try {
      const body = (await response.clone().json()) as GraphqlAnswer;
      call.throttled = (body.errors ?? []).some((e) => e.extensions?.code === "THROTTLED");
      call.actualCost = body.extensions?.cost?.actualQueryCost ?? 0;
      call.bucketAfter = body.extensions?.cost?.throttleStatus?.currentlyAvailable ?? null;
      const move = body.data?.inventoryMoveQuantities;
      call.userErrors = (move?.userErrors ?? []).map((e) => `${e.code ?? "ERROR"}: ${e.message}`);
      call.accepted = !body.errors?.length && (call.hold ? Boolean(move?.inventoryAdjustmentGroup) && call.userErrors.length === 0 : Boolean(body.data));
      for (const c of move?.inventoryAdjustmentGroup?.changes ?? []) {
        if (c.name === "safety_stock" && c.item && c.location && c.quantityAfterChange !== null) call.safetyAfter.push({ item: c.item.id, location: c.location.id, after: c.quantityAfterChange });
      }
    } catch {
      // not a JSON answer (an HTTP error): a call that was not accepted
    }
    return response;
  };
  installed = calls;
  return calls;
}
