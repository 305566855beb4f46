import { describe, expect, it } from "vitest";
import { buildContext } from "./routing-context";
import { chooseService, locationTerms, priceShipment, unitLandedMinor, zoneFor } from "./costing";
import { dayNumber, deliveryDay, isoDate, shipDay } from "./delivery-date";
import { haversineKm } from "./geo";
import { route } from "./route";
import { makeInput, makeLocation, places, randomSmallInstance, smallRateTable } from "./test-instances";

describe("haversineKm", () => {
  it("measures New York to Los Angeles at about 3,940 km, and a point to itself at 0", () => {
    expect(haversineKm(places.newYork, places.losAngeles)).toBeGreaterThan(3900);
    expect(haversineKm(places.newYork, places.losAngeles)).toBeLessThan(3960);
    expect(haversineKm(places.chicago, places.chicago)).toBe(0);
  });
});

describe("delivery dates", () => {
  const wednesday = "2025-03-05";
  it("ships today before the cut-off and tomorrow after it", () => {
    expect(isoDate(shipDay(`${wednesday}T16:59:00Z`, 17, true))).toBe("2025-03-05");
    expect(isoDate(shipDay(`${wednesday}T17:00:00Z`, 17, true))).toBe("2025-03-06");
    expect(isoDate(shipDay(`${wednesday}T17:20:00Z`, 17.5, true))).toBe("2025-03-05"); // fractional cut-off
  });
  it("skips weekends for pickup and transit unless told not to", () => {
    const fridayLate = "2025-03-07T23:00:00Z";
    expect(isoDate(shipDay(fridayLate, 17, true))).toBe("2025-03-10"); // Monday
    expect(isoDate(shipDay(fridayLate, 17, false))).toBe("2025-03-08"); // Saturday
    const friday = dayNumber("2025-03-07");
    expect(isoDate(deliveryDay(friday, 2, true))).toBe("2025-03-11"); // Mon, Tue
    expect(isoDate(deliveryDay(friday, 2, false))).toBe("2025-03-09");
  });
});

describe("carrier service choice", () => {
  const zone = zoneFor(smallRateTable, 1000)!;
  const ship = dayNumber("2025-03-05"); // Wednesday; zone 2: ground 3 days (Mon), express 2 days (Fri)
  it("takes the cheapest service without a promise", () => {
    expect(chooseService(smallRateTable, zone, ship, null, true)?.service.code).toBe("ground");
  });
  it("takes the cheapest service that meets the promise, else the fastest", () => {
    expect(chooseService(smallRateTable, zone, ship, dayNumber("2025-03-10"), true)?.service.code).toBe("ground");
    expect(chooseService(smallRateTable, zone, ship, dayNumber("2025-03-07"), true)?.service.code).toBe("express");
    const late = chooseService(smallRateTable, zone, ship, dayNumber("2025-03-05"), true);
    expect(late?.service.code).toBe("express");
  });
  it("leaves destinations beyond the last zone unserved", () => {
    expect(zoneFor(smallRateTable, 7000)).toBeNull();
  });
});

describe("shipment pricing", () => {
  it("itemises handling, package, unit and distance charges that add up to the total", () => {
    const input = makeInput([["A", 2]], [makeLocation("chi", places.chicago, { A: 5 }, { handlingPerUnitMinor: 25 })]);
    const terms = locationTerms(input.locations[0], input.order, smallRateTable, true)!;
    const cost = priceShipment(terms, [{ line: input.order.lines[0], quantity: 2 }]);
    expect(cost.zone).toBe(2);
    expect(cost.handlingMinor).toBe(200 + 2 * 25);
    expect(cost.perPackageMinor).toBe(800);
    expect(cost.perUnitMinor).toBe(2 * 60);
    expect(cost.distanceMinor).toBe(2 * Math.round((2.5 * 0.5 * terms.distanceKm) / 100));
    expect(cost.totalMinor).toBe(cost.handlingMinor + cost.perPackageMinor + cost.perUnitMinor + cost.weightMinor + cost.distanceMinor);
  });

  it("is exactly fixed + Σ units × unit price, so the search's split model is the real price", () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const input = randomSmallInstance(seed);
      const ctx = buildContext(input);
      for (const terms of ctx.locs) {
        const items = ctx.lines.map((line, i) => ({ line, quantity: ((seed + i) % 3) + 1 }));
        const split = terms.fixedMinor + items.reduce((s, it) => s + it.quantity * unitLandedMinor(terms, it.line.weightGrams), 0);
        expect(priceShipment(terms, items).totalMinor).toBe(split);
      }
    }
  });

  it("reports decision totals equal to the sum of priced shipments and to the winning candidate's cost", () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const d = route(randomSmallInstance(seed));
      expect(d.totals.totalMinor).toBe(d.shipments.reduce((s, x) => s + x.totalMinor, 0));
      if (d.explanation.candidates.length > 0) expect(d.explanation.candidates[0].totalMinor).toBe(d.totals.totalMinor);
    }
  });
});
