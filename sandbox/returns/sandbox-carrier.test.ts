import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { sandboxCarrier, sandboxTrackingNumber } from "./sandbox-carrier";

const address = { name: "Ada Lovelace", address1: "1 Main St", city: "Chicago", province: "IL", zip: "60601", countryCode: "US" };

describe("sandbox carrier", () => {
  it("derives the tracking number from shop and RMA: the same RMA always gets the same number, another RMA another", () => {
    expect(sandboxTrackingNumber("shop-1", "R1001")).toBe(sandboxTrackingNumber("shop-1", "R1001"));
    expect(sandboxTrackingNumber("shop-1", "R1001")).toMatch(/^SBX\d{16}$/);
    expect(sandboxTrackingNumber("shop-1", "R1002")).not.toBe(sandboxTrackingNumber("shop-1", "R1001"));
    expect(sandboxTrackingNumber("shop-2", "R1001")).not.toBe(sandboxTrackingNumber("shop-1", "R1001"));
  });

  it("issues a real one-page PDF naming the RMA and its tracking number", async () => {
    const label = await sandboxCarrier().issueReturnLabel({ shopId: "shop-1", rma: "R1001", orderName: "#1001", from: address, to: { ...address, name: "Shop - Newark" }, weightGrams: 800 });
    expect(label.carrier).toBe("Sandbox Parcel");
    const doc = await PDFDocument.load(label.pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe("Return label R1001");
    expect(doc.getSubject()).toBe(`RMA R1001 for order #1001; tracking ${label.trackingNumber}`);
  });
});
