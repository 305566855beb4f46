import { describe, expect, it } from "vitest";
import { daysInMonth } from "./calendar";

describe("daysInMonth", () => {
  it("agrees with Date for every month of 1900–2400 (leap years by 4, not 100, but 400)", () => {
    for (let y = 1900; y <= 2400; y++) {
      for (let mo = 1; mo <= 12; mo++) expect(daysInMonth(y, mo), `${y}-${mo}`).toBe(new Date(Date.UTC(y, mo, 0)).getUTCDate());
    }
  });
});
