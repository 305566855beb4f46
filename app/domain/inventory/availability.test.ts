import { describe, expect, it } from "vitest";
import { available } from "./availability";

describe("available", () => {
  it("is on hand less reserved less safety, and may be negative when stock was taken below what is held", () => {
    expect(available({ onHand: 10, reserved: 3, safety: 2 })).toBe(5);
    expect(available({ onHand: 2, reserved: 3, safety: 0 })).toBe(-1);
  });
});
