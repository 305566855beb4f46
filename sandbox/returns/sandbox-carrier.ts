import { createHash } from "node:crypto";
import { PDFDocument, StandardFonts, rgb } from "pdf-lib";
import type { CarrierPort, LabelAddress, ReturnLabelRequest } from "../../app/.server/returns/carrier-port";

// The sandbox carrier: a real PDF return label (4×6 in) with the RMA number, both addresses and a tracking number
// derived from the shop and RMA (the same RMA always gets the same number, so issuing again is harmless).

export function sandboxTrackingNumber(shopId: string, rma: string): string {
  const digits = BigInt(`0x${createHash("sha256").update(`${shopId}:${rma}`).digest("hex").slice(0, 15)}`).toString().padStart(18, "0").slice(-16);
  return `SBX${digits}`;
}

const lines = (a: LabelAddress) => [a.name, a.address1 ?? "", [a.city, a.province, a.zip].filter(Boolean).join(" "), a.countryCode ?? ""].filter((l) => l.trim() !== "");

export async function drawReturnLabel(request: ReturnLabelRequest, trackingNumber: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Return label ${request.rma}`);
  pdf.setSubject(`RMA ${request.rma} for order ${request.orderName}; tracking ${trackingNumber}`);
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  const page = pdf.addPage([288, 432]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, "?");
  let y = 405;
  const text = (s: string, size = 10, f = font) => {
    page.drawText(ascii(s), { x: 18, y, size, font: f, color: rgb(0, 0, 0) });
    y -= size + 4;
  };
  text("SANDBOX CARRIER - PREPAID RETURN", 11, bold);
  y -= 6;
  text("FROM", 8, bold);
  for (const l of lines(request.from)) text(l);
  y -= 8;
  text("SHIP TO", 8, bold);
  for (const l of lines(request.to)) text(l, 12, bold);
  y -= 10;
  text(`RMA ${request.rma}`, 22, bold);
  text(`Order ${request.orderName}   ${(request.weightGrams / 1000).toFixed(2)} kg`);
  y -= 8;
  page.drawRectangle({ x: 18, y: y - 50, width: 252, height: 50, borderColor: rgb(0, 0, 0), borderWidth: 1 });
  for (let i = 0; i < trackingNumber.length; i += 1) page.drawRectangle({ x: 24 + i * 12.5, y: y - 44, width: (trackingNumber.charCodeAt(i) % 4) + 2, height: 38, color: rgb(0, 0, 0) });
  y -= 66;
  text(`TRACKING ${trackingNumber}`, 12, bold);
  return pdf.save();
}

export function sandboxCarrier(): CarrierPort {
  return {
    name: "sandbox",
    async issueReturnLabel(request) {
      const trackingNumber = sandboxTrackingNumber(request.shopId, request.rma);
      return { carrier: "Sandbox Parcel", trackingNumber, pdf: await drawReturnLabel(request, trackingNumber) };
    },
  };
}
