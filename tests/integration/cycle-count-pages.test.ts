import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { confirmPutaway, readPutaways } from "~/.server/use-cases/confirm-putaway";
import { storeLayout } from "~/.server/use-cases/manage-warehouse";
import { action as countAction, loader as countLoader } from "~/routes/app.warehouse_.count";
import { action as dashboardAction, loader as dashboardLoader } from "~/routes/app.warehouse_.dashboard";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku } from "../support/catalog";
import { queryNumber } from "../support/db-query";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { addSession } from "../support/sessions";

// The handheld count screen and the Warehouse dashboard (ADR 0034): the screen never carries an expected quantity,
// refuses a negative count, sends the count for approval; the dashboard lists it with its variance, approves it (on
// hand follows) and reports the labour of the putaway and the count.

const SHOP = "cycle-count-pages.myshopify.com";
setQueue(new InProcessQueue());
const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
type Action = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
const post = async (fn: Action, path: string, fields: Record<string, string>) =>
  fn({ request: new Request(`http://127.0.0.1:3999${path}`, { method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() }), params: {}, context: {} });

let shopId: string;
let reno: string;
let sockId: string;
let bin: string;
beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  reno = (await addLocation(shopId, "61", "reno")).id;
  sockId = (await addSku(shopId, "CP-SOCK", { [reno]: 9 })).id;
  await storeLayout(shopId, "61", { generate: { aisles: 2, baysPerAisle: 2, levels: 1, bayWidthM: 1, aisleSpacingM: 3, capacityPerBin: 20 } });
  const [p] = (await readPutaways(shopId, "61")).open;
  await confirmPutaway(shopId, "61", p!.id, { bin: p!.suggestedBin!, worker: "ann" });
  bin = p!.suggestedBin!;
});

describe("count screen and dashboard", () => {
  it("open a count from the dashboard, count blind on the handheld, approve with the variance shown", async () => {
    expect(await post(dashboardAction as Action, "/app/warehouse/dashboard", { intent: "open", location: reno, bin: bin.toLowerCase(), sku: "" })).toEqual({ ok: true, message: "1 count(s) opened." });
    const list = (await countLoader(bearerArgs(`/app/warehouse/count?location=${reno}&worker=cat`, token()))) as Awaited<ReturnType<typeof countLoader>>;
    expect(list.open.map((c) => c.bin)).toEqual([bin]);
    expect(list.current).toBeNull();
    const unknown = (await countLoader(bearerArgs(`/app/warehouse/count?location=${reno}&worker=cat&bin=A02-02-1-R`, token()))) as Awaited<ReturnType<typeof countLoader>>;
    expect(unknown).toMatchObject({ current: null, scanned: "A02-02-1-R" });
    const screen = (await countLoader(bearerArgs(`/app/warehouse/count?location=${reno}&worker=cat&bin=${bin.toLowerCase()}`, token()))) as Awaited<ReturnType<typeof countLoader>>;
    expect(screen.current).toMatchObject({ bin, status: "open" });
    // Blind: nothing the screen receives says what the bin holds.
    expect(JSON.stringify(screen)).not.toMatch(/expected|quantity|onHand|used|"9"|:9\b/);

    const id = screen.current!.id;
    const negative = await post(countAction as Action, "/app/warehouse/count", { location: reno, id, bin, worker: "cat", submissionId: "p-1", lines: JSON.stringify([{ sku: "CP-SOCK", quantity: -1 }]) });
    expect(negative).toMatchObject({ ok: false, error: expect.stringContaining("whole number ≥ 0") });
    const sent = await post(countAction as Action, "/app/warehouse/count", { location: reno, id, bin, worker: "cat", submissionId: "p-1", lines: JSON.stringify([{ sku: "CP-SOCK", quantity: 7 }]) });
    expect(sent).toEqual({ ok: true, message: `Bin ${bin} counted (1 line): sent for approval.` });
    expect(await queryNumber(`SELECT "onHand" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ?`, shopId, sockId)).toBe(9);

    const dash = (await dashboardLoader(bearerArgs(`/app/warehouse/dashboard?location=${reno}`, token()))) as Awaited<ReturnType<typeof dashboardLoader>>;
    expect(dash.counts!.awaiting).toHaveLength(1);
    expect(dash.counts!.awaiting[0]!.lines[0]).toMatchObject({ sku: "CP-SOCK", expected: 9, counted: 7, variance: -2 });
    expect(dash.labour!.workers.map((w) => [w.worker, w.putaways, w.counts])).toEqual([["ann", 1, 0], ["cat", 0, 1]]);
    expect(dash.panels.map((p) => p.title)).toEqual(["Picks per hour (units)", "Lines per hour (pick lines)", "Receiving (units per hour)", "Mean pack time (minutes)", "Scans (all work)", "Units received"]);
    expect(dash.panels[4]!.series.map((x) => x.data.reduce((n, d) => n + (d.value ?? 0), 0))).toEqual([1, 1]); // ann's putaway, cat's count
    expect(dash.panels[0]!.series.map((s) => s.name)).toEqual(["ann", "cat"]);
    expect(dash.panels[0]!.series[0]!.data).toHaveLength(7);

    const approved = await post(dashboardAction as Action, "/app/warehouse/dashboard", { intent: "approve", location: reno, id });
    expect(approved).toEqual({ ok: true, message: `Count of ${bin} approved: 0 units over and 2 short posted to the bin and on hand.` });
    expect(await queryNumber(`SELECT "onHand" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ?`, shopId, sockId)).toBe(7);
    const scheduled = await post(dashboardAction as Action, "/app/warehouse/dashboard", { intent: "schedule", location: reno });
    expect(scheduled).toMatchObject({ ok: true, message: expect.stringMatching(/^Today's schedule: 0 bin\(s\) due under a cap of 1 a day; 0 count\(s\) opened\.$/) });
    const badPeriod = (await dashboardLoader(bearerArgs(`/app/warehouse/dashboard?location=${reno}&from=2026-02-30`, token()))) as Awaited<ReturnType<typeof dashboardLoader>>;
    expect(badPeriod.periodError).toContain("from must be a day");
  });
});
