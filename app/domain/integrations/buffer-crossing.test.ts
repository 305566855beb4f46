import { describe, expect, it } from "vitest";
import { bufferChange, isUnderBuffer } from "./buffer-crossing";

const fig = (available: number, buffer: number, incoming = 0) => ({ available, incoming, buffer: { units: buffer } });

describe("stock under a channel's buffer", () => {
  it("is at or under a buffer that holds something", () => {
    expect(isUnderBuffer(fig(3, 3))).toBe(true);
    expect(isUnderBuffer(fig(0, 3))).toBe(true);
    expect(isUnderBuffer(fig(4, 3))).toBe(false);
    expect(isUnderBuffer(fig(2, 3, 2))).toBe(false); // pre-orders count
    expect(isUnderBuffer(fig(0, 0))).toBe(false); // no buffer: nothing to be under
  });

  it("changes only on a crossing: down fires, back above re-arms, staying puts nothing", () => {
    expect(bufferChange(false, fig(2, 3))).toBe("crossed_down");
    expect(bufferChange(true, fig(1, 3))).toBeNull();
    expect(bufferChange(true, fig(5, 3))).toBe("back_above");
    expect(bufferChange(false, fig(5, 3))).toBeNull();
  });
});
