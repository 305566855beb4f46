import { describe, expect, it } from "vitest";
import { itemsOf } from "./batching";
import { type WarehouseLayout } from "./layout";
import { InvalidWaveInputError, nextCutoffMs, planWaves, planWavesAndBatches, validateWaveInput, type CarrierCutoffs, type WaveBatchOrder } from "./waves";

// Waves by carrier cut-off: the next cut-off after now (+ lead time) in warehouse local time, an order past
// today's cut-off moved to the next one, waves released by cut-off then priority, batches kept inside a wave.

const ups: CarrierCutoffs = { carrier: "UPS", cutoffs: ["17:00", "12:00"] };
const dhl: CarrierCutoffs = { carrier: "DHL", cutoffs: ["15:30"], weekdays: [1, 2, 3, 4, 5] };
// Friday 2026-12-04, 11:00 local (UTC+1).
const NOW = "2026-12-04T10:00:00Z";

describe("nextCutoffMs", () => {
  it("finds the first cut-off at or after the instant, in local time, skipping days the carrier does not collect", () => {
    expect(new Date(nextCutoffMs(ups, Date.parse(NOW), 60)!).toISOString()).toBe("2026-12-04T11:00:00.000Z"); // 12:00 local
    expect(new Date(nextCutoffMs(ups, Date.parse("2026-12-04T11:00:00Z"), 60)!).toISOString()).toBe("2026-12-04T11:00:00.000Z"); // exactly at the cut-off
    expect(new Date(nextCutoffMs(ups, Date.parse("2026-12-04T11:00:01Z"), 60)!).toISOString()).toBe("2026-12-04T16:00:00.000Z"); // 17:00 local
    expect(new Date(nextCutoffMs(ups, Date.parse("2026-12-04T16:30:00Z"), 60)!).toISOString()).toBe("2026-12-05T11:00:00.000Z"); // tomorrow noon
    // DHL does not collect on the weekend: Friday evening goes to Monday.
    expect(new Date(nextCutoffMs(dhl, Date.parse("2026-12-04T15:00:00Z"), 60)!).toISOString()).toBe("2026-12-07T14:30:00.000Z");
    // Local midnight crossing: 23:30 UTC on the 4th is 00:30 local on the 5th (Saturday) with UTC+1.
    expect(new Date(nextCutoffMs(ups, Date.parse("2026-12-04T23:30:00Z"), 60)!).toISOString()).toBe("2026-12-05T11:00:00.000Z");
  });
});

describe("planWaves", () => {
  it("orders waves by cut-off then priority, moves an order past its cut-off to the next one, and flags late promises", () => {
    const waves = planWaves({
      now: NOW,
      utcOffsetMinutes: 60,
      pickLeadMinutes: 90, // 11:00 + 1:30 = 12:30 local: UPS noon is gone, the 17:00 one is next
      carriers: [ups, dhl],
      orders: [
        { id: "u1", carrier: "UPS", priority: 0, promiseDate: "2026-12-05" },
        { id: "d1", carrier: "DHL", priority: 0, promiseDate: "2026-12-04" },
        { id: "none", priority: 9 },
        { id: "u2", carrier: "UPS", priority: 5, promiseDate: "2026-12-03" },
        { id: "d2", carrier: "DHL", priority: 1 },
        { id: "u3", carrier: "UPS", priority: 5, promiseDate: "2026-12-02" },
      ],
    });
    expect(waves.map((w) => [w.number, w.carrier, w.cutoffLocal, w.orderIds])).toEqual([
      [1, "DHL", "2026-12-04 15:30", ["d2", "d1"]],
      [2, "UPS", "2026-12-04 17:00", ["u3", "u2", "u1"]],
      [3, null, null, ["none"]],
    ]);
    expect(waves[1].cutoffAt).toBe("2026-12-04T16:00:00.000Z");
    expect(waves[1].lateOrderIds).toEqual(["u3", "u2"]);
    expect(waves[0].lateOrderIds).toEqual([]);
  });

  it("breaks a tie in cut-off by the wave's highest priority", () => {
    const waves = planWaves({
      now: NOW,
      carriers: [
        { carrier: "A", cutoffs: ["18:00"] },
        { carrier: "B", cutoffs: ["18:00"] },
      ],
      orders: [
        { id: "a", carrier: "A", priority: 1 },
        { id: "b", carrier: "B", priority: 3 },
      ],
    });
    expect(waves.map((w) => w.carrier)).toEqual(["B", "A"]);
  });

  it("lists every problem with the input and refuses it", () => {
    const input = {
      now: "yesterday",
      utcOffsetMinutes: 900,
      carriers: [{ carrier: "UPS", cutoffs: ["24:00"] }, { carrier: "UPS", cutoffs: [], weekdays: [7] }],
      orders: [{ id: "x", carrier: "FedEx", priority: 1.5, promiseDate: "2026-02-30" }, { id: "x" }],
    };
    expect(validateWaveInput(input)).toEqual([
      'now: must be an ISO date-time (got "yesterday")',
      "utcOffsetMinutes: must be a whole number from -840 to 840 (got 900)",
      'carriers[0].cutoffs[0]: must be HH:MM, 00:00 to 23:59 (got "24:00")',
      'carriers[1].carrier: duplicate carrier "UPS"',
      "carriers[1].cutoffs: at least one cut-off time",
      "carriers[1].weekdays: days 0 (Sunday) to 6 (Saturday), at least one",
      'orders[0].carrier: no cut-offs given for carrier "FedEx"',
      "orders[0].priority: must be a whole number (got 1.5)",
      'orders[0].promiseDate: must be a date YYYY-MM-DD (got "2026-02-30")',
      'orders[1].id: duplicate order id "x"',
    ]);
    expect(() => planWaves(input)).toThrow(InvalidWaveInputError);
  });
});

describe("planWavesAndBatches", () => {
  it("builds batches within each wave only, under capacity, with the FCFS figure beside them", () => {
    const layout: WarehouseLayout = { aisles: 4, aisleLengthM: 10, aisleSpacingM: 3, depot: { aisle: 0, yM: 0 } };
    const orders: WaveBatchOrder[] = Array.from({ length: 14 }, (_, i) => ({
      id: `o${i}`,
      carrier: i % 3 === 0 ? "DHL" : "UPS",
      priority: i % 4,
      picks: [{ aisle: i % 4, yM: (i * 7) % 10, quantity: 1 + (i % 3) }, { aisle: (i + 2) % 4, yM: (i * 3) % 10 }],
    }));
    const waves = planWavesAndBatches(layout, orders, { now: NOW, carriers: [ups, dhl] }, { capacityItems: 6, seed: 3 });
    expect(waves.map((w) => w.carrier)).toEqual(["UPS", "DHL"]); // UPS 12:00 before DHL 15:30
    const byId = new Map(orders.map((o) => [o.id, o]));
    for (const wave of waves) {
      const inBatches = wave.batching.batches.flatMap((b) => b.orderIds);
      expect([...inBatches].sort()).toEqual([...wave.orderIds].sort());
      for (const b of wave.batching.batches) expect(b.orderIds.reduce((s, id) => s + itemsOf(byId.get(id)!), 0)).toBeLessThanOrEqual(6);
      expect(wave.batching.totalLengthM).toBeLessThanOrEqual(wave.fcfsLengthM + 1e-9);
    }
    expect(() => planWavesAndBatches(layout, [{ ...orders[0], carrier: "Nobody" }], { now: NOW, carriers: [ups] }, { capacityItems: 6 })).toThrow(/no cut-offs given for carrier "Nobody"/);
  });
});
