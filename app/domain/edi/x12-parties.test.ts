import { describe, expect, it } from "vitest";
import type { X12SegmentData } from "./x12-model";
import { partySegments, readParty } from "./x12-parties";
import { X12Values } from "./x12-write";

const seg = (number: number, tag: string, ...elements: string[]): X12SegmentData => ({ tag, elements, number, position: number });

describe("N1 loops", () => {
  it("reads a party with its names, address lines, place and contacts, up to the next loop", () => {
    const segments = [seg(1, "N1", "ST", "XYZ RETAIL", "92", "0004"), seg(2, "N2", "RECEIVING"), seg(3, "N3", "31875 SOLON RD", "DOCK 7"), seg(4, "N3", "BUILDING B"), seg(5, "N4", "SOLON", "OH", "44139", "US"), seg(6, "PER", "OC", "SAM", "EM", "sam@example.com", "TE", "555"), seg(7, "N1", "BT", "HQ")];
    const { party, next } = readParty(segments, 0);
    expect(next).toBe(6);
    expect(party).toEqual({ role: "ST", name: "XYZ RETAIL", idQualifier: "92", id: "0004", additionalNames: ["RECEIVING"], addressLines: ["31875 SOLON RD", "DOCK 7", "BUILDING B"], city: "SOLON", state: "OH", postalCode: "44139", country: "US", contacts: [{ role: "OC", name: "SAM", phone: "555", email: "sam@example.com", fax: null }], segmentNumber: 1 });
  });

  it("writes N1, N3 and N4, cleaning text and refusing an id with a delimiter", () => {
    const values = new X12Values({ element: "*", component: ">", segment: "~", repetition: null });
    expect(partySegments("ST", { name: "A~B", id: "7", addressLines: ["1 MAIN", "SUITE 2", "BACK"], city: "AKRON", country: "US" }, values, "shipTo")).toEqual([
      ["N1", "ST", "A B", "92", "7"],
      ["N3", "1 MAIN", "SUITE 2"],
      ["N3", "BACK", null],
      ["N4", "AKRON", null, null, "US"],
    ]);
    expect(partySegments("SF", { name: "WH" }, values, "shipFrom")).toEqual([["N1", "SF", "WH", null, null]]);
    expect(() => partySegments("ST", { name: "X", id: "A*1" }, values, "shipTo")).toThrow('shipTo.id "A*1" contains "*"');
  });
});
