import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sqlTime, sqlTimeOfText } from "./ids";

// A time given as text is stored exactly as sqlTime formats it: taken as it is when it already has that form.

describe("sqlTimeOfText", () => {
  it("property: the same text sqlTime(new Date(text)) gives, for stored-form times and offsets alike", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1970-01-01"), max: new Date("2199-12-31"), noInvalidDate: true }), fc.constantFrom("iso", "offset", "seconds"), (d, form) => {
        const iso = d.toISOString();
        const text = form === "iso" ? iso : form === "seconds" ? iso.replace(/\.\d{3}Z$/, "Z") : `${iso.slice(0, 19)}+02:00`;
        expect(sqlTimeOfText(text)).toBe(sqlTime(new Date(text)));
      }),
      { numRuns: 3_000 },
    );
  });

  it("a stored-form text that is no real time goes the way Date takes it (refused, or rolled over), as before", () => {
    const dateWay = (text: string) => {
      try {
        return sqlTime(new Date(text));
      } catch (error) {
        return error instanceof RangeError ? "refused" : "other";
      }
    };
    const ours = (text: string) => {
      try {
        return sqlTimeOfText(text);
      } catch (error) {
        return error instanceof RangeError ? "refused" : "other";
      }
    };
    for (const odd of ["2026-13-01T00:00:00.000Z", "2026-02-29T00:00:00.000Z", "2026-04-31T10:00:00.000Z", "2026-01-01T24:00:00.000Z", "2026-01-01T10:60:00.000Z", "2026-01-00T10:00:00.000Z"]) {
      expect(ours(odd), odd).toBe(dateWay(odd));
      expect(ours(odd), odd).not.toBe(odd); // never stored as given
    }
    expect(sqlTimeOfText("2024-02-29T23:59:59.999Z")).toBe("2024-02-29T23:59:59.999Z");
  });
});
