import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { apiActor, requireApiShop } from "~/.server/auth/api-shop";
import { database } from "~/.server/db/database";
import { orderShipments, type ShipmentRow } from "~/.server/db/shipments-sql";
import { getOrder } from "~/.server/db/pipeline-sql";
import { AppError, errorResponse } from "~/.server/errors";
import { shipOrder } from "~/.server/use-cases/ship-order";

const serialize = (s: ShipmentRow) => ({
  id: s.id,
  externalId: s.externalId,
  locationId: s.locationId,
  carrier: s.carrier,
  service: s.service,
  trackingNumber: s.trackingNumber,
  shippedAt: s.shippedAt,
  lines: s.lines,
  cartons: s.cartons,
  channel: { status: s.channelStatus, attempts: s.channelAttempts, error: s.channelError, confirmedAt: s.channelConfirmedAt },
});

// GET /api/v1/orders/:id/shipments — the shipments we recorded for the order, with how telling its channel went.
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    if (!(await getOrder(database(), shop.id, params.id!))) throw new AppError("not_found", "ORDER.NOT_FOUND", `No order ${params.id} in this shop`);
    return cors(Response.json({ shipments: (await orderShipments(database(), shop.id, params.id!)).map(serialize) }));
  } catch (error) {
    return errorResponse(error);
  }
}

// POST /api/v1/orders/:id/shipments — units of an Amazon (merchant-fulfilled), wholesale or manual order left a
// location (body: app/domain/fulfillment/shipment.ts). 201 with the shipment: its units are consumed, Shopify's on
// hand follows, and the channel is told (Amazon: confirmShipment with carrier and tracking). The same shipment
// again answers 200 (created: false); the same id with other contents 409; anything wrong 400 listing every
// problem, nothing recorded. Shopify orders are fulfilled in Shopify (403).
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const { shop, cors, caller } = await requireApiShop(request);
    const result = await shipOrder(shop.id, params.id!, await readJsonBody(request), { actor: apiActor(caller) });
    return cors(Response.json({ created: result.created, shipment: serialize(result.shipment) }, { status: result.created ? 201 : 200 }));
  } catch (error) {
    return errorResponse(error);
  }
}
