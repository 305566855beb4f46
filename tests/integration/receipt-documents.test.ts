import { beforeAll, describe, expect, it, vi } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { recordReceipt } from "~/.server/use-cases/record-receipt";
import { action } from "~/routes/api.v1.inventory.receipts";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryRow, queryRows } from "../support/db-query";
import { addSession } from "../support/sessions";

// Receipts are documents: each line is its own ledger entry (shop + reference + line number), the whole
// receipt is applied in one transaction, and a reference seen again is a replay (same lines) or a 409
// conflict (other lines) that applies nothing.

// A crash in the middle of a receipt: the on-hand write of one chosen line (reference + variant) fails, every
// time it is tried, as a killed process would stop there. Every other call goes through to the real statement.
const crash = vi.hoisted(() => ({ reference: null as string | null, variantId: "" }));
vi.mock("~/.server/db/pipeline-sql", async (importOriginal) => {
  const actual = await importOriginal<typeof import("~/.server/db/pipeline-sql")>();
  return {
    ...actual,
    addOnHand: (...args: Parameters<typeof actual.addOnHand>) => {
      if (args[7]?.id === crash.reference && args[2] === crash.variantId) throw new Error("process killed mid-receipt");
      return actual.addOnHand(...args);
    },
  };
});

const SHOP = "receipt-docs.myshopify.com";
setQueue(new InProcessQueue());
const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
const post = (body: unknown) =>
  action({ request: new Request("http://127.0.0.1:3999/api/v1/inventory/receipts", { method: "POST", headers: { Authorization: `Bearer ${token()}`, "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" }, body: JSON.stringify(body) }), params: {}, context: {} });

let shopId: string;
const onHand = async (sku: string) =>
  (await queryRow<{ n: number }>(`SELECT COALESCE(SUM(l."onHand"), 0) AS "n" FROM "InventoryLevel" l JOIN "Variant" v ON v."id" = l."variantId" WHERE l."shopId" = ? AND v."sku" = ?`, shopId, sku))!.n;
const ledgerRows = (reference: string) => queryRows<{ idempotencyKey: string; delta: number }>(`SELECT "idempotencyKey", "delta" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "refType" = 'receipt' AND "refId" = ? ORDER BY "id"`, shopId, reference);

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  await addLocation(shopId, "77", "dallas");
  await addLocation(shopId, "78", "reno");
  for (const sku of ["DUP", "SAME", "DIFF", "CRASH-A", "RACE"]) await addSku(shopId, sku, {});
  crash.variantId = (await addSku(shopId, "CRASH-B", {})).id;
});

describe("receipts as documents", () => {
  it("applies two lines for the same SKU and location, both, each its own ledger entry", async () => {
    const response = await post({ reference: "PO-DUP", lines: [{ sku: "DUP", location: "77", quantity: 2 }, { sku: "DUP", location: "77", quantity: 3 }] });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ linesApplied: 2, linesAlreadyApplied: 0 });
    expect(await onHand("DUP")).toBe(5);
    expect(await ledgerRows("PO-DUP")).toEqual([{ idempotencyKey: "receipt:PO-DUP:1", delta: 2 }, { idempotencyKey: "receipt:PO-DUP:2", delta: 3 }]);
  });

  it("the same reference with the same lines again is an idempotent replay: 200, lines reported as already applied", async () => {
    const receipt = { reference: "PO-SAME", lines: [{ sku: "SAME", location: "77", quantity: 4 }, { sku: "SAME", location: "78", quantity: 1 }] };
    expect((await post(receipt)).status).toBe(200);
    // The location may be named by its Shopify id or by ours: the same receipt either way.
    const ours = (await queryRow<{ id: string }>(`SELECT "id" FROM "Location" WHERE "shopId" = ? AND "externalId" = ?`, shopId, "78"))!.id;
    for (const again of [receipt, { ...receipt, lines: [receipt.lines[0], { ...receipt.lines[1], location: ours }] }]) {
      const response = await post(again);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ reference: "PO-SAME", linesApplied: 0, linesAlreadyApplied: 2, backordersFilled: [] });
    }
    expect(await onHand("SAME")).toBe(5);
    expect(await ledgerRows("PO-SAME")).toHaveLength(2);
  });

  it("the same reference with different lines is a 409 conflict and applies nothing", async () => {
    expect((await post({ reference: "PO-DIFF", lines: [{ sku: "DIFF", location: "77", quantity: 2 }] })).status).toBe(200);
    for (const lines of [
      [{ sku: "DIFF", location: "77", quantity: 3 }], // another quantity
      [{ sku: "DIFF", location: "77", quantity: 2 }, { sku: "DUP", location: "77", quantity: 7 }], // a line more
      [{ sku: "DIFF", location: "78", quantity: 2 }], // another location
    ]) {
      const response = await post({ reference: "PO-DIFF", lines });
      expect(response.status).toBe(409);
      expect((await response.json()).error).toMatchObject({ type: "conflict", code: "RECEIPT.REFERENCE_REUSED", message: expect.stringContaining("nothing was applied") });
    }
    expect(await onHand("DIFF")).toBe(2);
    expect(await onHand("DUP")).toBe(5);
    expect(await ledgerRows("PO-DIFF")).toEqual([{ idempotencyKey: "receipt:PO-DIFF:1", delta: 2 }]);
  });

  it("a receipt is applied whole or not at all: a crash at its second line leaves nothing, and it can be sent again", async () => {
    const older = await ingestOn(SHOP, "manual", channelOrder([{ sku: "CRASH-A", quantity: 1 }], { externalId: "crash-backorder" }));
    const lines = [{ sku: "CRASH-A", location: "77", quantity: 3 }, { sku: "CRASH-B", location: "77", quantity: 4 }];
    crash.reference = "PO-CRASH";
    try {
      await expect(recordReceipt(shopId, "PO-CRASH", lines)).rejects.toThrow(/killed mid-receipt/);
    } finally {
      crash.reference = null;
    }
    expect(await onHand("CRASH-A")).toBe(0);
    expect(await ledgerRows("PO-CRASH")).toEqual([]);
    expect((await queryRow<{ status: string }>(`SELECT "status" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, shopId, older.orderId))!.status).toBe("backordered");
    expect(await queryRow(`SELECT "reference" FROM "InventoryReceipt" WHERE "shopId" = ? AND "reference" = ?`, shopId, "PO-CRASH")).toBeUndefined();

    const retried = await post({ reference: "PO-CRASH", lines });
    expect(await retried.json()).toMatchObject({ linesApplied: 2, backordersFilled: [older.orderId] });
    expect([await onHand("CRASH-A"), await onHand("CRASH-B")]).toEqual([3, 4]);
  });

  it("two deliveries of one new receipt at once apply it once", async () => {
    const receipt = { reference: "PO-RACE", lines: [{ sku: "RACE", location: "77", quantity: 6 }] };
    const bodies = await Promise.all([post(receipt), post(receipt)].map(async (r) => (await r).json()));
    expect(bodies.map((b) => b.linesApplied).sort()).toEqual([0, 1]);
    expect(await onHand("RACE")).toBe(6);
  });
});
