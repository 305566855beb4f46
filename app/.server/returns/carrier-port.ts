import { AppError } from "../errors";

// The carrier port for return labels (issue 14): a prepaid label for an RMA — tracking number, carrier, PDF.
// Real carriers plug in behind this interface; the sandbox carrier (sandbox/returns/sandbox-carrier.ts) draws
// a real PDF locally and is what the demo and the tests register. The registration lives on globalThis, so the
// built server and a script that started it in the same process (npm run demo) share it.

export interface LabelAddress {
  name: string;
  address1: string | null;
  city: string | null;
  province: string | null;
  zip: string | null;
  countryCode: string | null;
}

export interface ReturnLabelRequest {
  shopId: string;
  rma: string;
  orderName: string;
  from: LabelAddress;
  to: LabelAddress;
  weightGrams: number;
}

export interface ReturnLabel {
  carrier: string;
  trackingNumber: string;
  pdf: Uint8Array;
}

export interface CarrierPort {
  readonly name: string;
  issueReturnLabel(request: ReturnLabelRequest): Promise<ReturnLabel>;
}

const KEY = Symbol.for("open-oms.returns.carrier-port");
type Registry = { [KEY]?: CarrierPort | null };

export function setCarrierPort(port: CarrierPort | null): void {
  (globalThis as Registry)[KEY] = port;
}

export function carrierPort(): CarrierPort {
  const port = (globalThis as Registry)[KEY];
  if (!port) throw new AppError("unexpected_state", "RETURN.NO_CARRIER", "No carrier is configured for return labels; the RMA stands and its label can be issued once one is.");
  return port;
}

export function hasCarrierPort(): boolean {
  return Boolean((globalThis as Registry)[KEY]);
}
