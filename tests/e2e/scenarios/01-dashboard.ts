import path from "node:path";
import type { Scenario } from "../scenario";
import { deadline } from "../scenario";

// The embedded app authenticated the real way renders its dashboard with live data; the admin's nav moves between pages.
export const scenario: Scenario = {
  name: "dashboard and orders",
  async run({ page, appFrame, check, artifacts }) {
    const frame = await appFrame();
    await frame.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
    check(true, "the embedded app's dashboard rendered inside the stand-in admin");

    // Live data: the order stream keeps webhooks arriving; the dashboard polls every 5 s.
    const ordersToday = frame.locator("text=Orders today").first().locator("xpath=../..").locator("p").first();
    let count = 0;
    for (const until = deadline(60_000); Date.now() < until && count < 3; await page.waitForTimeout(1_000)) {
      count = Number((await ordersToday.textContent())?.replace(/\D/g, "") || 0);
    }
    check(count >= 3, `orders arrived by signed webhooks and show on the dashboard (${count} today)`);
    check(await frame.getByText("Latest orders").isVisible(), "latest orders are listed");
    await page.screenshot({ path: path.join(artifacts, "dashboard.png") });

    // Client-side navigation through the admin's nav (App Bridge stand-in → shopify:navigate).
    await page.locator("#app-nav a", { hasText: /^Orders$/ }).click();
    await frame.getByRole("heading", { name: "Orders", exact: true }).waitFor({ timeout: 30_000 });
    check((await frame.locator("tbody tr").count()) > 0, "the Orders page lists stored orders");
    await page.screenshot({ path: path.join(artifacts, "orders.png") });
  },
};
