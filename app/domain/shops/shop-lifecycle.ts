// A shop's lifecycle as the app sees it, and what each intake path may do in each state. One rule for
// every path: webhook acceptance and processing, the reconciliation poll, order ingestion, the API.
//
//   installed    after a real install (token exchange → onShopAuthenticated); the only state that takes data in
//   uninstalled  after app/uninstalled: data stays until shop/redact (the merchant may reinstall)
//   redacted     after shop/redact: a tombstone of the domain with no personal data; nothing is stored again
//   unknown      no Shop row: never installed, or installed in Shopify but the merchant has not opened the app yet

export type ShopLifecycle = "installed" | "uninstalled" | "redacted";
export type ShopStanding = ShopLifecycle | "unknown";

export const SHOP_LIFECYCLES: readonly ShopLifecycle[] = ["installed", "uninstalled", "redacted"];

/** Topics Shopify sends whatever the app's state, and that must be answered (and acted on) in every state. */
export const COMPLIANCE_TOPICS: ReadonlySet<string> = new Set(["customers/data_request", "customers/redact", "shop/redact", "app/uninstalled"]);

/**
 * What happens to a webhook (at acceptance and again when its job runs):
 * - process: run its handler;
 * - hold: keep it unprocessed until the shop installs (the install race), deleted at retention if it never does;
 * - ignore: answer 200 but take nothing in (the row stays, without its payload, for idempotency);
 * - drop: answer 200 and store nothing at all.
 */
export type WebhookIntake = "process" | "hold" | "ignore" | "drop";

export function webhookIntake(standing: ShopStanding, topic: string): WebhookIntake {
  if (standing === "redacted") return "drop"; // everything of the shop is gone; nothing of it is stored again
  if (COMPLIANCE_TOPICS.has(topic)) return "process";
  if (standing === "installed") return "process";
  return standing === "unknown" ? "hold" : "ignore";
}

/** The stored status column → a standing (no row: unknown). */
export function standingOf(status: string | null | undefined): ShopStanding {
  return status === "installed" || status === "uninstalled" || status === "redacted" ? status : "unknown";
}

/** Only an installed shop takes orders, stock or API writes in. */
export function takesDataIn(standing: ShopStanding): boolean {
  return standing === "installed";
}
