import path from "node:path";
import type { Scenario } from "../scenario";
import { eventually } from "../scenario";

// A blind cycle count on the handheld and its approval on the Warehouse dashboard (issue 13 items 7–8, ADR 0034):
// a bin holding stock is opened for counting from the dashboard, counted one unit short on the count screen (which
// never shows the expected quantity), and approved; the bin then holds one unit less. The dashboard's labour charts
// and the handheld count screen are saved as screenshots.

export const scenario: Scenario = {
  name: "warehouse: blind cycle count, approval, labour dashboard",
  async run({ page, appFrame, check, artifacts }) {
    const frame = await appFrame();
    await frame.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 }); // the app authenticated first
    await page.locator("#app-nav a", { hasText: /^Warehouse$/ }).click();
    await frame.getByRole("link", { name: "Dashboard: labour and counts" }).waitFor({ timeout: 60_000 });
    // A storage bin holding one SKU, read from the bins table (Bin, Zone, Position, Capacity, Units, Stock).
    const rows = await frame.locator("tbody tr").evaluateAll((trs) => trs.map((r) => Array.from(r.children).map((c) => (c.textContent ?? "").trim())));
    const target = rows.map((r) => ({ code: r[0]!, units: Number(r[4]), stock: r[5]! })).find((r) => r.code !== "RECEIVING" && /^[^;]+: \d+$/.test(r.stock) && r.units > 1);
    check(Boolean(target), `a stocked bin to count (${target?.code}: ${target?.stock})`);
    const [sku, held] = [target!.stock.replace(/(?: · [^:]*)?: \d+$/, ""), target!.units];

    await frame.getByRole("link", { name: "Dashboard: labour and counts" }).click();
    await frame.getByRole("heading", { name: "Cycle counts" }).waitFor({ timeout: 30_000 });
    await frame.getByLabel("Count a bin").fill(target!.code);
    await frame.getByRole("button", { name: "Open count" }).click();
    // The daily schedule may have opened it already when the demo started (the worker's first tick): then it is joined.
    await frame.getByText(/1 count\(s\) opened\.|Those bins have an open count already\./).waitFor({ timeout: 30_000 });
    check(await frame.locator("table").getByText(target!.code, { exact: true }).first().isVisible(), `a count of ${target!.code} is open on the dashboard`);

    await frame.getByRole("link", { name: "Count (handheld)" }).click();
    await frame.getByRole("heading", { name: /Cycle count at/ }).waitFor({ timeout: 30_000 });
    await frame.getByLabel("Worker").fill("e2e-counter");
    const binScan = frame.getByLabel("Scan the bin to count, then Enter");
    await binScan.fill(target!.code);
    await binScan.press("Enter");
    await frame.getByText(`Bin ${target!.code}`, { exact: true }).waitFor({ timeout: 30_000 });
    const screenText = await frame.locator("body").innerText();
    check(!/expected|on hand|holds/i.test(screenText), "the count screen does not show what the bin holds");
    const skuScan = frame.getByLabel("SKU");
    await skuScan.fill(sku);
    await skuScan.press("Enter");
    const units = frame.getByLabel("Units counted");
    await units.fill(String(held - 1));
    await units.press("Enter");
    await frame.getByText(`${held - 1} × ${sku}`).waitFor({ timeout: 10_000 });
    await frame.locator("body").screenshot({ path: path.join(artifacts, "handheld-count.png") });
    await frame.getByRole("button", { name: "Send count for approval" }).click();
    await frame.getByRole("status").filter({ hasText: "sent for approval" }).waitFor({ timeout: 30_000 });
    check(true, `${target!.code} counted blind (${held - 1} × ${sku}) and sent for approval`);

    await frame.getByRole("link", { name: "Dashboard", exact: true }).click();
    await frame.getByRole("heading", { name: /Awaiting approval \(1\)/ }).waitFor({ timeout: 30_000 });
    check(await frame.getByText(`${sku}: ${held - 1} counted, ${held} expected (-1)`).isVisible(), "the dashboard shows the variance counted − expected");
    await frame.getByRole("button", { name: "Approve" }).click();
    await frame.getByText(`Count of ${target!.code} approved: 0 units over and 1 short posted to the bin and on hand.`).waitFor({ timeout: 30_000 });
    check(true, "the count approved: the shortfall posted to the bin and on hand");
    await eventually("the labour charts to draw", 30_000, async () => (await frame.locator("svg").count()) >= 6);
    check(true, "the labour charts are drawn (polaris-viz)");
    await frame.locator("body").screenshot({ path: path.join(artifacts, "warehouse-dashboard.png") });
    const labourCard = frame.getByRole("heading", { name: /^Labour, / }).locator("xpath=ancestor::div[contains(@class,'Polaris-ShadowBevel')][1]");
    await labourCard.screenshot({ path: path.join(artifacts, "warehouse-labour-charts.png") });

    await page.locator("#app-nav a", { hasText: /^Warehouse$/ }).click();
    await frame.getByRole("link", { name: "Dashboard: labour and counts" }).waitFor({ timeout: 30_000 });
    const after = await eventually("the bins table again", 30_000, async () => {
      const list = await frame.locator("tbody tr").evaluateAll((trs) => trs.map((r) => Array.from(r.children).map((c) => (c.textContent ?? "").trim())));
      return list.find((r) => r[0] === target!.code);
    });
    check(Number(after[4]) === held - 1, `bin ${target!.code} holds ${held - 1} after approval (was ${held})`);
  },
};
