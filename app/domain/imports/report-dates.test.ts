import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseReportDate } from "./report-dates";

describe("parseReportDate", () => {
  const same = "2024-01-15T18:20:30.000Z";
  it.each([
    ["2024-01-15T18:20:30+00:00", same],
    ["2024-01-15T10:20:30-08:00", same],
    ["2024-01-15T19:20:30+0100", same],
    ["2024-01-15T18:20:30Z", same],
    ["2024-01-15T18:20:30.000Z", same],
    ["2024-01-15 18:20:30 UTC", same],
    ["2024-01-15 10:20:30 PST", same],
    ["2024-01-15 19:20:30 CET", same],
    ["15.01.2024 19:20:30 MEZ".replace("MEZ", "CET"), same],
    ["2024/01/16 03:20:30 JST", same],
    ["01/15/2024 10:20:30 AM PST", same],
    ["15/01/2024 18:20:30", same],
    ["Jan 15, 2024 10:20:30 AM PST", same],
    ["15 Jan 2024 18:20:30 GMT", same],
    ["2024-01-15", "2024-01-15T00:00:00.000Z"],
  ])("%s", (input, iso) => {
    expect(parseReportDate(input)).toEqual({ ok: true, iso });
  });

  it.each([
    ["", "is empty"],
    ["03/04/2024", "day and month could be either way round"],
    ["2024-02-30T00:00:00Z", "is not a real date"],
    ["2024-01-15T25:00:00Z", "is not a real date and time"],
    ["2024-01-15 10:00:00 XYZ", "time zone \"XYZ\" is not one we know"],
    ["yesterday", "is not a date we can read"],
  ])("refuses %j", (input, why) => {
    const reading = parseReportDate(input);
    expect(reading.ok).toBe(false);
    expect((reading as { error: string }).error).toContain(why);
  });

  it("property: an ISO date with an offset reads as Date does (day of month, leap years, offsets past ±14 h refused), the same twice in a row", () => {
    const two = (n: number) => String(n).padStart(2, "0");
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }),
        fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 16 }), fc.constantFrom(0, 30, 45, 60),
        (y, mo, d, h, mi, sign, oh, om) => {
          const text = `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:07${sign}${two(oh)}:${two(om)}`;
          const local = Date.UTC(y, mo - 1, d, h, mi, 7);
          const offset = (sign === "-" ? -1 : 1) * (oh * 60 + om);
          const expected = oh > 14 || om > 59 ? "zone" : new Date(local).getUTCDate() !== d ? "day" : new Date(local - offset * 60_000).toISOString();
          for (let twice = 0; twice < 2; twice++) {
            const reading = parseReportDate(text);
            if (expected === "zone") expect(reading).toMatchObject({ ok: false, error: expect.stringContaining("time zone") });
            else if (expected === "day") expect(reading).toMatchObject({ ok: false, error: expect.stringContaining("is not a real date (day") });
            else expect(reading).toEqual({ ok: true, iso: expected });
          }
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it("reads back what toISOString writes, and never throws on any text", () => {
    fc.assert(fc.property(fc.date({ min: new Date("1995-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }), (d) => {
      expect(parseReportDate(d.toISOString())).toEqual({ ok: true, iso: d.toISOString() });
    }));
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      const r = parseReportDate(s);
      expect(typeof r.ok).toBe("boolean");
    }), { numRuns: 2_000 });
  });
});
