import { afterEach, describe, expect, it } from "vitest";
import type { AmazonSandbox } from "./server";
import { listingPath, quantityPatch, SELLER, spClient, startTestSandbox, type ManualClock, type SpClient } from "./test-support";

let sandbox: AmazonSandbox;
let clock: ManualClock;
let client: SpClient;
async function start(visibilityDelayMs = 0) {
  ({ sandbox, clock } = await startTestSandbox({ visibilityDelayMs }));
  client = await spClient(sandbox);
}
afterEach(() => sandbox.close());

interface Item { sku: string; fulfillmentAvailability?: { fulfillmentChannelCode: string; quantity?: number }[]; summaries?: { status: string[]; productType: string; asin: string }[] }
interface Submission { sku: string; status: string; submissionId: string; issues: { code: string; severity: string; message: string; attributeNames?: string[] }[] }

const FA = "includedData=summaries,fulfillmentAvailability,issues";
async function visibleViaApi(sku: string): Promise<number | undefined> {
  const res = await client.call<Item>("GET", listingPath(sku, `marketplaceIds=ATVPDKIKX0DER&${FA}`));
  expect(res.status).toBe(200);
  return res.body.fulfillmentAvailability?.[0]?.quantity;
}

describe("Listings Items API", () => {
  it("GET returns summaries by default, and the requested data sets", async () => {
    await start();
    const plain = await client.call<Item>("GET", listingPath("SKU-1"));
    expect(plain.status).toBe(200);
    expect(Object.keys(plain.body).sort()).toEqual(["sku", "summaries"]);
    expect(plain.body.summaries?.[0]).toMatchObject({ productType: "LUGGAGE", status: ["BUYABLE", "DISCOVERABLE"] });
    const full = await client.call<Item & { issues: unknown[] }>("GET", listingPath("SKU-1", `marketplaceIds=ATVPDKIKX0DER&${FA}`));
    expect(full.body.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: "DEFAULT", quantity: 5 }]);
    expect(full.body.issues).toEqual([]);
    expect(plain.headers.get("x-amzn-ratelimit-limit")).toBe("5");
    expect(plain.headers.get("x-amzn-requestid")).toBeTruthy();
  });

  it("PATCH fulfillment_availability is ACCEPTED and GET then shows the new quantity", async () => {
    await start();
    const res = await client.call<Submission>("PATCH", listingPath("SKU-1"), quantityPatch(17));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sku: "SKU-1", status: "ACCEPTED", issues: [] });
    expect(res.body.submissionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await visibleViaApi("SKU-1")).toBe(17);
    expect(sandbox.visibilityLog("SKU-1").at(-1)).toMatchObject({ quantity: 17, source: "listings-patch", ref: res.body.submissionId });
  });

  it("a pushed quantity becomes buyer-visible only visibilityDelayMs after it was accepted", async () => {
    await start(30_000);
    const acceptedAt = clock.t;
    expect((await client.call<Submission>("PATCH", listingPath("SKU-2"), quantityPatch(9))).body.status).toBe("ACCEPTED");
    expect(sandbox.acceptedQuantity("SKU-2")).toBe(9);
    expect(sandbox.visibleQuantity("SKU-2")).toBe(0);
    expect(await visibleViaApi("SKU-2")).toBe(0);
    clock.advance(29_999);
    expect(await visibleViaApi("SKU-2")).toBe(0);
    clock.advance(1);
    expect(await visibleViaApi("SKU-2")).toBe(9);
    const entry = sandbox.visibilityLog("SKU-2").at(-1)!;
    expect(entry).toMatchObject({ sku: "SKU-2", quantity: 9, acceptedAt, visibleAt: acceptedAt + 30_000 });
  });

  it("a later push overrides an earlier one that is still pending", async () => {
    await start(10_000);
    await client.call("PATCH", listingPath("SKU-1"), quantityPatch(3));
    clock.advance(4000);
    await client.call("PATCH", listingPath("SKU-1"), quantityPatch(8));
    clock.advance(6000);
    expect(sandbox.visibleQuantity("SKU-1")).toBe(3);
    clock.advance(4000);
    expect(sandbox.visibleQuantity("SKU-1")).toBe(8);
  });

  it("answers an invalid attribute value, an FBA channel and a wrong product type with INVALID and issues, changing nothing", async () => {
    await start();
    const negative = await client.call<Submission>("PATCH", listingPath("SKU-1"), quantityPatch(-1));
    expect(negative.body.status).toBe("INVALID");
    expect(negative.body.issues[0]).toMatchObject({ code: "90000900", severity: "ERROR", attributeNames: ["fulfillment_availability"] });
    const fba = await client.call<Submission>("PATCH", listingPath("SKU-1"), {
      productType: "LUGGAGE",
      patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "AMAZON_NA", quantity: 4 }] }],
    });
    expect(fba.body.status).toBe("INVALID");
    const wrongType = await client.call<Submission>("PATCH", listingPath("SKU-1"), quantityPatch(4, "SHOES"));
    expect(wrongType.body.status).toBe("INVALID");
    expect(wrongType.body.issues[0].message).toMatch(/product type/);
    const nested = await client.call<Submission>("PATCH", listingPath("SKU-1"), { productType: "LUGGAGE", patches: [{ op: "replace", path: "/attributes/fulfillment_availability/0/quantity", value: [{}] }] });
    expect(nested.body.status).toBe("INVALID");
    expect(await visibleViaApi("SKU-1")).toBe(5);
  });

  it("rejects a body that does not match ListingsItemPatchRequest with 400 and Amazon's error shape", async () => {
    await start();
    const res = await client.call<{ errors: { code: string; message: string; details: string }[] }>("PATCH", listingPath("SKU-1"), { patches: [{ op: "set", path: "/attributes/fulfillment_availability" }] });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe("InvalidInput");
    expect(res.body.errors[0].details).toMatch(/productType/);
    expect(res.body.errors[0].details).toMatch(/op/);
    expect((await client.call("PATCH", listingPath("SKU-1"), "{not json")).status).toBe(400);
    expect((await client.call("PATCH", listingPath("SKU-1"), JSON.stringify(quantityPatch(1)), { "Content-Type": "text/plain" })).status).toBe(415);
  });

  it("answers an unknown SKU with 404, and a missing marketplace or other seller with 400 / 403", async () => {
    await start();
    const missing = await client.call<{ errors: { code: string }[] }>("PATCH", listingPath("NOPE"), quantityPatch(1));
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].code).toBe("NOT_FOUND");
    expect((await client.call("GET", listingPath("NOPE"))).status).toBe(404);
    expect((await client.call("GET", listingPath("SKU-1", ""))).status).toBe(400);
    expect((await client.call("GET", listingPath("SKU-1", "marketplaceIds=A1F83G8C2ARO7P"))).status).toBe(400);
    expect((await client.call("GET", listingPath("SKU-1", "marketplaceIds=ATVPDKIKX0DER&includedData=everything"))).status).toBe(400);
    expect((await client.call("GET", `/listings/2021-08-01/items/OTHER${SELLER}/SKU-1?marketplaceIds=ATVPDKIKX0DER`)).status).toBe(403);
  });

  it("VALIDATION_PREVIEW validates without applying, and delete removes the availability", async () => {
    await start();
    const preview = await client.call<Submission>("PATCH", `${listingPath("SKU-1")}&mode=VALIDATION_PREVIEW`, quantityPatch(40));
    expect(preview.body.status).toBe("VALID");
    expect(await visibleViaApi("SKU-1")).toBe(5);
    const del = await client.call<Submission>("PATCH", listingPath("SKU-1"), { productType: "LUGGAGE", patches: [{ op: "delete", path: "/attributes/fulfillment_availability" }] });
    expect(del.body.status).toBe("ACCEPTED");
    const item = await client.call<Item>("GET", listingPath("SKU-1", `marketplaceIds=ATVPDKIKX0DER&${FA}`));
    expect(item.body.fulfillmentAvailability).toEqual([]);
    expect(item.body.summaries?.[0].status).toEqual(["DISCOVERABLE"]);
  });
});
