// Public surface of the routing engine.
export { route } from "./route";
export { RouteMemo } from "./route-memo";
export { closestWithStockPerLine, fewestSplitsThenClosest, myopicGreedyPerLine } from "./baselines";
export { applyDecision } from "./apply-decision";
export { decodeDecision, encodeDecision } from "./decision-codec";
export { stockShadowPrices, supplyDuals, type DemandForecast, type ShadowPriceInput, type ShadowPrices } from "./stock-shadow-prices";
export { haversineKm } from "./geo";
export { shipDay, deliveryDay, dayNumber, isoDate } from "./delivery-date";
export { locationTerms, priceShipment, chooseService, zoneFor, type LocationTerms } from "./costing";
export type * from "./types";
