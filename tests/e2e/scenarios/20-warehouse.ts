import path from "node:path";
import type { Frame } from "playwright-core";
import type { Scenario } from "../scenario";
import { eventually } from "../scenario";

// The warehouse walk on the handheld screens (issue 13, ADR 0029/0030/0033): receive PO-DEMO-1 by scanning, put the
// units away at the bins suggested, release a wave and pick it stop by stop in the order of the drawn route (bin
// scan, then SKU scan), pack the order by scanning its items and close the package with a tracking number; the ship
// job creates the fulfillment in the stand-in Shopify, and the order shows shipped.

const text = async (frame: Frame, selector: string) => ((await frame.locator(selector).first().textContent()) ?? "").trim();
/** A form's Enter submits only while its submit button is enabled (disabled while the last submission reloads). */
const ready = (frame: Frame, button: string) => frame.locator("button:not([disabled])", { hasText: button }).first().waitFor({ timeout: 30_000 });

export const scenario: Scenario = {
  name: "warehouse: receive, put away, pick along the route, pack and ship",
  async run({ page, appFrame, check, artifacts, sandboxUrl, shop }) {
    // Opened through the admin's app URL (a fresh session token), as a bookmarked handheld screen would be.
    const open = async (appPath: string) => {
      await page.goto(`${sandboxUrl}/admin/apps?shop=${shop}&path=${encodeURIComponent(appPath)}`);
      return appFrame();
    };
    let frame = await open("/app/warehouse");
    await frame.getByRole("link", { name: "Receiving (handheld)" }).waitFor({ timeout: 60_000 });
    check(true, "the Warehouse page shows the managed location with its handheld screens");

    // Receive PO-DEMO-1: every line scanned with its ordered quantity.
    await frame.getByRole("link", { name: "Receiving (handheld)" }).click();
    await frame.getByRole("link", { name: /PO-DEMO-1/ }).click();
    await frame.getByRole("heading", { name: /PO PO-DEMO-1/ }).waitFor({ timeout: 30_000 });
    const lines = await frame.locator("tbody tr").evaluateAll((rows) => rows.map((r) => ({ sku: r.children[0].textContent!.trim(), ordered: Number(r.children[1].textContent) })));
    check(lines.length > 0, `PO-DEMO-1 lists ${lines.length} line(s) to receive`);
    for (const l of lines) {
      await ready(frame, "Record");
      await frame.getByLabel("Qty").fill(String(l.ordered));
      const scan = frame.getByLabel("Scan or type SKU / barcode, then Enter");
      await scan.fill(l.sku);
      await scan.press("Enter");
      await frame.getByRole("status").filter({ hasText: l.sku }).waitFor({ timeout: 30_000 });
    }
    await frame.getByText(/Accuracy: lines 100\.0 %/).waitFor({ timeout: 30_000 });
    check(true, "every PO line received as expected (accuracy 100 %)");

    // Put away: each putaway confirmed by scanning the bin it suggests.
    await frame.getByRole("link", { name: "Putaway" }).click();
    await frame.getByRole("heading", { name: /Putaway at/ }).waitFor({ timeout: 30_000 });
    let putAway = 0;
    const nothingWaiting = frame.getByText("Nothing waiting in the receiving bin.");
    for (let i = 0; i < 10; i++) {
      await frame.locator("button:not([disabled])", { hasText: "Confirm" }).first().or(nothingWaiting).waitFor({ timeout: 30_000 });
      if (await nothingWaiting.isVisible()) break;
      const target = (await text(frame, "text=/^→ /")).replace("→", "").trim();
      const scan = frame.getByLabel("Scan the bin, then Enter");
      await scan.fill(target);
      await scan.press("Enter");
      await frame.getByRole("status").filter({ hasText: `put away in ${target}` }).waitFor({ timeout: 30_000 });
      putAway += 1;
    }
    check(putAway >= lines.length && (await frame.getByText("Nothing waiting in the receiving bin.").isVisible()), `${putAway} putaway(s) confirmed at the suggested bins`);

    // Pick: release a wave of one order, then follow the stops in route order.
    frame = await open("/app/warehouse/pick");
    await frame.getByRole("heading", { name: /Pick at/ }).waitFor({ timeout: 60_000 });
    await eventually("a routed order at the managed warehouse to release", 120_000, async () => {
      if (await frame.locator("[data-testid=pick-task]").isVisible()) return true;
      await frame.getByLabel("Orders at most").fill("1");
      await frame.getByRole("button", { name: "Release next wave" }).click();
      await frame.locator("[data-testid=pick-task], [role=alert]").first().waitFor({ timeout: 30_000 });
      if (await frame.locator("[data-testid=pick-task]").isVisible()) return true;
      await page.waitForTimeout(3_000);
      return false;
    });
    const planned = await frame.locator("[data-testid=pick-list] li").allTextContents();
    const svg = await frame.locator("[data-testid=route-map] svg").innerHTML();
    check(planned.length > 0 && svg.includes("<path"), `a pick task of ${planned.length} line(s) with its route drawn on the map`);
    await frame.locator("[data-testid=route-map]").screenshot({ path: path.join(artifacts, "route-map.png") });
    await frame.locator("body").screenshot({ path: path.join(artifacts, "handheld-pick.png") });
    const walked: string[] = [];
    for (let i = 0; i < 50 && (await frame.locator("[data-testid=next-pick]").isVisible()); i++) {
      const stop = await text(frame, "[data-testid=next-pick]");
      const bin = await text(frame, "[data-testid=pick-bin]");
      const sku = await text(frame, "[data-testid=pick-sku]");
      walked.push(bin);
      const binScan = frame.getByLabel("1. Scan the bin, then Enter");
      await binScan.fill(bin);
      await binScan.press("Enter");
      await ready(frame, "Confirm pick");
      const skuScan = frame.getByLabel("2. Scan the SKU, then Enter");
      await skuScan.fill(sku);
      await skuScan.press("Enter");
      await frame.getByRole("status").filter({ hasText: `× ${sku} from ${bin}` }).waitFor({ timeout: 30_000 });
      await eventually("the next stop after the pick", 30_000, async () => {
        const shown = await frame.locator("[data-testid=next-pick]").allTextContents(); // no waiting: the last stop disappears
        return shown.length === 0 || shown[0].trim() !== stop;
      });
    }
    check(walked.length === planned.length && walked.every((bin, i) => planned[i].startsWith(`${bin} `)), `every stop picked in the order of the drawn route (${walked.join(" → ")})`);
    await frame.getByText(/Task done/).waitFor({ timeout: 30_000 });

    // Pack: scan every picked item, close the package with a tracking number; the job ships it.
    await frame.getByRole("link", { name: "Packing" }).click();
    await frame.getByRole("heading", { name: /Pack at/ }).waitFor({ timeout: 30_000 });
    await frame.locator("a", { hasText: /· picking/ }).first().click();
    await frame.locator("[data-testid=pack-items]").waitFor({ timeout: 30_000 });
    const items = await frame.locator("[data-testid=pack-items] tbody tr").evaluateAll((rows) => rows.map((r) => ({ sku: r.children[0].textContent!.trim(), picked: Number(r.children[1].textContent) })));
    for (const item of items) {
      for (let n = 0; n < item.picked; n++) {
        await ready(frame, "Verify");
        const before = await text(frame, "[data-testid=pack-items]");
        const scan = frame.getByLabel("Scan each item, then Enter");
        await scan.fill(item.sku);
        await scan.press("Enter");
        await eventually(`${item.sku} counted as verified`, 30_000, async () => ((await frame.locator("[data-testid=pack-items]").allTextContents())[0] ?? "").trim() !== before);
      }
    }
    const tracking = `1ZE2E${Date.now().toString().slice(-8)}`;
    await frame.getByLabel("Weight (g)").fill("850");
    await frame.getByLabel("Tracking number").fill(tracking);
    await frame.locator("body").screenshot({ path: path.join(artifacts, "handheld-pack.png") });
    await frame.getByRole("button", { name: "Close package and ship" }).click();
    await frame.getByRole("status").filter({ hasText: "Package closed" }).waitFor({ timeout: 30_000 });
    const status = frame.locator("[data-testid=pack-status]");
    await eventually("the ship job to create the fulfillment", 90_000, async () => {
      if ((await status.textContent())?.includes("Order shipped")) return true;
      await frame.getByRole("link", { name: "Refresh" }).click();
      await page.waitForTimeout(1_000);
      return false;
    });
    check(true, "the order shows shipped on the pack screen");
    await frame.locator("body").screenshot({ path: path.join(artifacts, "handheld-packed.png") });

    // In the stand-in store: the fulfillment with our tracking number, the order fulfilled.
    const orderId = await status.getAttribute("data-order-external-id");
    const token = ((await (await fetch(`${sandboxUrl}/_sandbox/tokens`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ shop }) })).json()) as { access_token: string }).access_token;
    const answer = await fetch(`${sandboxUrl}/admin/api/2026-01/graphql.json`, {
      method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token, "X-Shopify-Shop-Domain": shop },
      body: JSON.stringify({ query: `query($id: ID!) { order(id: $id) { displayFulfillmentStatus fulfillments(first: 10) { id status trackingInfo(first: 5) { company number } } } }`, variables: { id: `gid://shopify/Order/${orderId}` } }),
    });
    const order = ((await answer.json()) as { data?: { order: { displayFulfillmentStatus: string; fulfillments: { status: string; trackingInfo: { company: string; number: string }[] }[] } } }).data?.order;
    const made = order?.fulfillments.find((f) => f.trackingInfo.some((t) => t.number === tracking));
    check(Boolean(made) && made!.status === "SUCCESS" && made!.trackingInfo[0].company === "UPS", `the fulfillment exists in the stand-in store with tracking ${tracking}`);
    check(order?.displayFulfillmentStatus === "FULFILLED", `the stand-in order is ${order?.displayFulfillmentStatus}`);
  },
};
