import path from "node:path";
import type { Page } from "playwright-core";
import type { Scenario } from "../scenario";
import { eventually } from "../scenario";

// Issue 14, the customer's return end to end (ADR 0036): a customer opens the portal on the storefront (the stand-in's
// app proxy signs and forwards to the app), finds the demo's shipped order by number + email, starts a return and
// gets an RMA with a prepaid label (PDF through the proxy); the merchant approves it on the embedded Returns page; the
// warehouse receives and restocks it, and the later order waiting for that SKU gets the unit; the mail sink lists the
// customer's return e-mails.

/** "N items are on backorder" of an order's portal page (0 when nothing waits). */
async function backorderedInPortal(page: Page, portal: string, number: string, email: string): Promise<number> {
  await page.goto(portal);
  await page.getByLabel("Order number").fill(number);
  await page.getByLabel("Email used for the order").fill(email);
  await page.getByRole("button", { name: "Show my order" }).click();
  await page.getByRole("heading", { name: `Order ${number}` }).waitFor({ timeout: 30_000 });
  const text = (await page.locator("body").textContent()) ?? "";
  return Number(/(\d+) items? (?:is|are) on backorder/.exec(text)?.[1] ?? 0);
}

export const scenario: Scenario = {
  name: "returns: portal, approve, receive, backorder, e-mails",
  async run({ browser, page, appFrame, sandboxUrl, shop, artifacts, demoOutput, check, userAgent }) {
    // The demo seeds the story once the app is up (it may still be at it when /healthz first answers).
    const story = await eventually("the demo prints its returns story", 90_000, async () => /returns\s+order (\S+) \((\S+)\) shipped 1 × (\S+); order (\S+) waits for (\d+) × \S+/.exec(demoOutput()));
    check(true, "the demo seeded a shipped order to return and an order waiting for the same SKU");
    const [, shippedName, email, sku, waitingName, waitingUnits] = story;
    const mailUrl = /mail sink\s+(http\S+)/.exec(demoOutput())?.[1];
    const portal = `${sandboxUrl}/apps/orders?shop=${shop}`;
    const customer = await browser.newPage({ viewport: { width: 1000, height: 900 }, userAgent });
    try {
      const waitingBefore = await backorderedInPortal(customer, portal, waitingName, "walter.waiting@example.com");
      check(waitingBefore >= 1, `order ${waitingName} waits for ${waitingBefore} unit(s) of ${sku} (demo said ${waitingUnits})`);

      // The customer finds their order and starts a return through the storefront's app proxy.
      await customer.goto(portal);
      await customer.getByLabel("Order number").fill(shippedName);
      await customer.getByLabel("Email used for the order").fill(email);
      await customer.getByRole("button", { name: "Show my order" }).click();
      await customer.getByRole("heading", { name: "Returns" }).waitFor({ timeout: 30_000 });
      check(true, `the portal shows order ${shippedName} with a "Start a return" form`);
      await customer.locator('select[name^="qty_"]').first().selectOption("1");
      await customer.locator('select[name^="reason_"]').first().selectOption("wrong_size");
      await customer.getByRole("button", { name: "Start a return" }).click();
      const heading = customer.getByRole("heading", { name: /^Return R\d+$/ });
      await heading.waitFor({ timeout: 30_000 });
      const rma = ((await heading.textContent()) ?? "").replace("Return ", "").trim();
      check(/^R\d+$/.test(rma), `the customer got RMA ${rma}`);
      check((await customer.locator('[data-status="requested"]').count()) === 1, "its status is requested");
      const labelLink = customer.getByRole("link", { name: "Download your prepaid return label (PDF)" });
      const href = await labelLink.getAttribute("href");
      check(Boolean(href && /^\/apps\/orders\?label=R\d+&t=[A-Za-z0-9_-]{32}$/.test(href)), `the label link is tokenised under the proxy path (${href})`);
      const pdf = await customer.request.get(new URL(href!, sandboxUrl).href);
      const bytes = await pdf.body();
      check(pdf.status() === 200 && pdf.headers()["content-type"] === "application/pdf" && bytes.subarray(0, 5).toString() === "%PDF-", "the label opens as a PDF through the app proxy");
      const guessed = await customer.request.get(`${sandboxUrl}/apps/orders?label=${rma}&t=${"A".repeat(32)}`);
      check(guessed.status() === 404, "a guessed label link opens nothing");
      await customer.screenshot({ path: path.join(artifacts, "portal-return.png"), fullPage: true });

      // The merchant approves on the embedded Returns page, then the warehouse receives and restocks.
      await page.goto(`${sandboxUrl}/admin/apps?shop=${shop}&path=/app/returns/${rma}`);
      const frame = await appFrame();
      await frame.getByRole("heading", { name: `Return ${rma}` }).waitFor({ timeout: 60_000 });
      await frame.getByRole("button", { name: "Approve", exact: true }).click();
      await frame.getByRole("button", { name: "Receive", exact: true }).waitFor({ timeout: 30_000 });
      check(true, `the merchant approved ${rma} in the admin`);
      await page.screenshot({ path: path.join(artifacts, "rma-approved.png") });
      const disposition = frame.getByLabel(/^Disposition of /).first();
      check((await disposition.inputValue()) === "restock", "receiving offers the disposition Restock");
      await frame.getByRole("button", { name: "Receive", exact: true }).click();
      await frame.getByRole("button", { name: "Refund", exact: true }).waitFor({ timeout: 30_000 });
      check(true, "the warehouse received the return and restocked the unit");

      // The restocked unit goes to the order that waited for that SKU.
      const waitingAfter = await eventually(`order ${waitingName} gets the returned unit`, 30_000, async () => {
        const n = await backorderedInPortal(customer, portal, waitingName, "walter.waiting@example.com");
        return n < waitingBefore ? { n } : null;
      });
      check(waitingAfter.n === waitingBefore - 1, `the waiting backorder of ${waitingName} was allocated the returned unit (${waitingBefore} → ${waitingAfter.n} waiting)`);

      // The customer's e-mails reach the mail sink (the notify job runs every 30 s).
      check(Boolean(mailUrl), "the demo printed the mail sink's URL");
      await eventually("the mail sink lists the return e-mails", 150_000, async () => {
        await customer.goto(mailUrl!);
        const text = (await customer.locator("body").textContent()) ?? "";
        return text.includes(`Return ${rma} for order ${shippedName} is requested`) && text.includes(`Return ${rma} for order ${shippedName} is approved`) && text.includes(`We received your return ${rma}`);
      });
      check(true, `the mail sink lists ${email}'s return e-mails: requested (with the label link), approved, received`);
      await customer.screenshot({ path: path.join(artifacts, "mail-sink.png"), fullPage: true });
    } finally {
      await customer.close();
    }
  },
};
