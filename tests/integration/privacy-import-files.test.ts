import { beforeAll, describe, expect, it } from "vitest";
import { redactCustomerData } from "~/.server/db/privacy";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { importFileBytes } from "~/.server/use-cases/create-import";
import { createTradingPartner } from "~/.server/use-cases/manage-trading-partners";
import { action as importsAction } from "~/routes/api.v1.imports";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku } from "../support/catalog";
import { queryRows } from "../support/db-query";
import { findStoredValues } from "../support/find-values";
import { BROWSER_UA } from "../support/requests";
import { addOfflineSession } from "../support/sessions";

// customers/redact reaches the raw files the app keeps (ADR 0016): an imported file that brought in a forgotten
// customer's order holds their name and address as sent, so it is erased (its line results stay, it can no
// longer be read or re-imported); a file about other people is untouched.

const SHOP = "privacy-imports.myshopify.com";
setQueue(new InProcessQueue());
let shopId: string;

const HEADER = "PO Number,Currency,Buyer Name,Email,Ship To Name,Ship To Address1,Ship To City,Ship To Country,SKU,Qty,Unit Price";
const po = (number: string, name: string, email: string) => `${HEADER}\r\n${number},USD,${name},${email},${name},1 Private Lane,Reno,US,PI-A,1,5.00\r\n`;

async function importCsv(body: string) {
  const request = new Request(`http://127.0.0.1:3999/api/v1/imports?format=csv-po`, { method: "POST", headers: { Authorization: `Bearer ${mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP)}`, "User-Agent": BROWSER_UA, "Content-Type": "text/csv; charset=utf-8" }, body });
  const response = await importsAction({ request, params: {}, context: {} });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as { id: string; status: string };
}

const fileOf = async (importId: string) => (await queryRows<{ fileId: string; encoding: string }>(`SELECT i."fileId", f."encoding" FROM "Import" i JOIN "ImportFile" f ON f."id" = i."fileId" WHERE i."shopId" = ? AND i."id" = ?`, shopId, importId))[0]!;

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addOfflineSession(SHOP);
  const reno = (await addLocation(shopId, "PI1", "reno")).id;
  await addSku(shopId, "PI-A", { [reno]: 100 });
  await createTradingPartner(shopId, { code: "PRIV", name: "Private Buyers", currency: "USD" });
});

describe("customers/redact and kept import files", () => {
  it("erases the file that brought the customer's order in, keeps the others", async () => {
    const forgotten = await importCsv(po("PI-100", "Ana Forgotten", "ana.forgotten@example.com"));
    const other = await importCsv(po("PI-200", "Bo Kept", "bo.kept@example.com"));
    expect(forgotten.status).toBe("done");
    expect((await importFileBytes(shopId, (await fileOf(forgotten.id)).fileId)).toString()).toContain("Ana Forgotten");

    const result = await redactCustomerData(SHOP, { customerExternalId: null, email: "ana.forgotten@example.com", orderExternalIds: [] });
    expect(result).toMatchObject({ ordersRedacted: 1, filesErased: 1 });
    expect((await fileOf(forgotten.id)).encoding).toBe("erased");
    await expect(importFileBytes(shopId, (await fileOf(forgotten.id)).fileId)).rejects.toMatchObject({ code: "IMPORT.FILE_ERASED" });
    expect(await findStoredValues(["Ana Forgotten", "ana.forgotten@example.com", "1 Private Lane"].slice(0, 2))).toEqual([]);
    // The other buyer's file is whole, and the forgotten one's import still lists its line results.
    expect((await importFileBytes(shopId, (await fileOf(other.id)).fileId)).toString()).toContain("Bo Kept");
    expect((await queryRows(`SELECT "ok" FROM "ImportLine" WHERE "shopId" = ? AND "importId" = ?`, shopId, forgotten.id)).length).toBe(1);
  });
});
