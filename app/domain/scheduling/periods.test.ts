import { describe, expect, it } from "vitest";
import { periodOf, tickEvery } from "./periods";

describe("periods", () => {
  it("names a window by its start, the same for every instant in it", () => {
    const every = 5 * 60_000;
    expect(periodOf(new Date("2026-12-03T18:04:59.999Z"), every)).toBe("2026-12-03T18:00:00.000Z");
    expect(periodOf(new Date("2026-12-03T18:05:00.000Z"), every)).toBe("2026-12-03T18:05:00.000Z");
    expect(periodOf(new Date("2026-12-03T23:59:00Z"), 86_400_000)).toBe("2026-12-03T00:00:00.000Z");
    expect(() => periodOf(new Date(), 0)).toThrow(RangeError);
  });

  it("ticks several times per window, never more than once a second nor less than once a minute", () => {
    expect(tickEvery(300_000)).toBe(60_000);
    expect(tickEvery(60_000)).toBe(15_000);
    expect(tickEvery(2_000)).toBe(1_000);
  });
});
