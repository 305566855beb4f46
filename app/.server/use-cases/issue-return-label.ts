import { audit } from "../db/audit";
import { database } from "../db/database";
import { sqlTime } from "../db/ids";
import { labelPdf, returnByNumber, returnLines, returnOrder, storeLabel } from "../db/returns-sql";
import { AppError } from "../errors";
import { carrierPort, type LabelAddress } from "../returns/carrier-port";

// The RMA's prepaid label from the carrier port: from the customer's address to the receiving location. Issued
// once (after the RMA is committed: a carrier is I/O); asked again, the stored label is answered.

export async function issueReturnLabel(shopId: string, number: string, opts: { now?: Date } = {}): Promise<{ carrier: string; trackingNumber: string; pdf: Buffer }> {
  const db = database();
  const rma = await returnByNumber(db, shopId, number);
  if (!rma) throw new AppError("not_found", "RETURN.NOT_FOUND", `No return ${JSON.stringify(number)} in this shop.`);
  const stored = await labelPdf(db, shopId, number);
  if (stored && rma.labelTracking) return { carrier: rma.labelCarrier ?? "", trackingNumber: rma.labelTracking, pdf: Buffer.from(stored, "base64") };
  if (rma.status === "declined" || rma.status === "closed") throw new AppError("conflict", "RETURN.NO_LABEL", `Return ${number} is ${rma.status}; no label is issued for it.`);
  const order = (await returnOrder(db, shopId, rma.orderId))!;
  const location = rma.locationId ? await db.get<{ name: string; address1: string | null; city: string | null; province: string | null; zip: string | null; countryCode: string | null }>(`SELECT "name","address1","city","province","zip","countryCode" FROM "Location" WHERE "shopId" = ? AND "id" = ?`, shopId, rma.locationId) : undefined;
  if (!location) throw new AppError("conflict", "RETURN.NO_LOCATION", `Return ${number} has no receiving location; no label can be issued.`);
  const shop = await db.get<{ name: string }>(`SELECT "name" FROM "Shop" WHERE "id" = ?`, shopId);
  const from: LabelAddress = { name: order.customerName ?? "Customer", address1: order.shipAddress1, city: order.shipCity, province: order.shipProvince, zip: order.shipZip, countryCode: order.shipCountryCode };
  const to: LabelAddress = { name: `${shop?.name ?? "Returns"} - ${location.name}`, address1: location.address1, city: location.city, province: location.province, zip: location.zip, countryCode: location.countryCode };
  const lines = await returnLines(db, shopId, rma.id);
  const weights = await Promise.all(lines.map(async (l) => (l.variantId ? Number((await db.get<{ w: number }>(`SELECT "weightGrams" AS "w" FROM "Variant" WHERE "shopId" = ? AND "id" = ?`, shopId, l.variantId))?.w ?? 0) : 0) * l.quantity));
  const label = await carrierPort().issueReturnLabel({ shopId, rma: number, orderName: order.name, from, to, weightGrams: weights.reduce((s, w) => s + w, 0) });
  const pdf = Buffer.from(label.pdf);
  await database().transaction(async (tx) => {
    await storeLabel(tx, shopId, rma.id, { carrier: label.carrier, trackingNumber: label.trackingNumber, pdfBase64: pdf.toString("base64") }, sqlTime(opts.now));
    await audit(tx, shopId, "carrier", "return.label_issued", { type: "return", id: rma.id }, { number, carrier: label.carrier, trackingNumber: label.trackingNumber });
  });
  return { carrier: label.carrier, trackingNumber: label.trackingNumber, pdf };
}
