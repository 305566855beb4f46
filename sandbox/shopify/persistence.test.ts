import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cancelOrder } from "./order-factory";
import { fulfillOrder } from "./order-events";
import { durableIdCounter, ORDER_NUMBER_GAP_AFTER_CRASH } from "./persistence";
import { startTestSandbox, TEST_SHOP } from "./test-support";

// A restarted demo keeps the stand-in's data (ids, orders, tokens) beside its database: no id is handed
// out twice, even after a kill, and what Shopify held before the restart is still there.

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => (dir = mkdtempSync(path.join(tmpdir(), "sandbox-data-")));

const idsOf = (order: { id: bigint; line_items: { id: bigint }[] }) => [order.id, ...order.line_items.map((l) => l.id)];

describe("stand-in persistence (dataDir)", () => {
  it("after a clean restart: new orders get new ids and numbers; old orders, their fulfillments and tokens are still there", async () => {
    fresh();
    const first = await startTestSandbox({ dataDir: dir });
    const before = first.orders(TEST_SHOP, "demo-stream").createMany(3);
    fulfillOrder(first.store, TEST_SHOP, before[0].id);
    cancelOrder(first.store, TEST_SHOP, before[1].id);
    const token = first.token;
    await first.close();

    const second = await startTestSandbox({ dataDir: dir });
    try {
      const after = second.orders(TEST_SHOP, "demo-stream").createMany(3); // the same seed: same content, as the demo's stream
      const oldIds = before.flatMap(idsOf);
      const newIds = after.flatMap(idsOf);
      expect(newIds.filter((id) => oldIds.includes(id))).toEqual([]);
      expect(Math.min(...newIds.map(Number))).toBeGreaterThan(Math.max(...oldIds.map(Number)));
      expect(after.map((o) => o.order_number)).toEqual([before[2].order_number + 1, before[2].order_number + 2, before[2].order_number + 3]);

      const shop = second.store.shop(TEST_SHOP);
      expect(shop.orders.get(before[1].id)!.payload.cancelled_at).not.toBeNull();
      expect([...shop.fulfillments.values()].map((f) => f.orderId)).toEqual([before[0].id]);
      expect(second.store.validToken(TEST_SHOP, token)).toBeDefined(); // the app's offline token still works
      const orderQuery = await second.gql(`{ order(id: "gid://shopify/Order/${before[1].id}") { id cancelledAt } }`, {}, { token });
      expect(orderQuery.body.data?.order).toEqual({ id: `gid://shopify/Order/${before[1].id}`, cancelledAt: expect.any(String) });
    } finally {
      await second.close();
    }
  });

  it("after a kill (no clean close): ids are still never reused, and order numbers skip ahead", async () => {
    fresh();
    const killed = await startTestSandbox({ dataDir: dir });
    const before = killed.orders(TEST_SHOP).createMany(2);
    // The process dies here: its last snapshot may predate these orders; nothing else is written.
    const revived = await startTestSandbox({ dataDir: dir });
    try {
      const after = revived.orders(TEST_SHOP).createMany(2);
      expect(Math.min(...after.flatMap(idsOf).map(Number))).toBeGreaterThan(Math.max(...before.flatMap(idsOf).map(Number)));
      expect(after[0].order_number).toBeGreaterThanOrEqual(1001 + ORDER_NUMBER_GAP_AFTER_CRASH);
    } finally {
      await revived.close();
      await killed.close();
    }
  });

  it("durableIdCounter: a new counter on the same file starts after every block reserved before", () => {
    fresh();
    const file = path.join(dir, "ids.json");
    const a = durableIdCounter(file, 100n, 10n);
    const handed = Array.from({ length: 25 }, () => a());
    const b = durableIdCounter(file, 100n, 10n);
    expect(b()).toBeGreaterThan(handed[handed.length - 1]);
  });
});
