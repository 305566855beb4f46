import { describe, expect, it } from "vitest";
import { exactSearch } from "./exact-search";
import { buildContext } from "./routing-context";
import { Scratch } from "./scratch";
import { randomSmallInstance } from "./test-instances";

describe("Scratch", () => {
  it("hands out disjoint, filled views; growing keeps the earlier views intact", () => {
    const s = new Scratch();
    const a = s.float64(3000, Infinity);
    const b = s.float64(3000, 0); // does not fit the first buffer: a new one
    a[0] = 1;
    b[0] = 2;
    expect([a[0], a[2999], b[0], b[2999]]).toEqual([1, Infinity, 2, 0]);
    const i = s.int32(5);
    const u = s.uint8(5);
    i.fill(7);
    u.fill(9);
    expect([...s.int32(3)]).toEqual([0, 0, 0]);
    expect([...s.uint8(3)]).toEqual([0, 0, 0]);
    s.reset();
    expect([...s.float64(2, 5)]).toEqual([5, 5]); // handed out again, refilled
  });

  it("a search gives the same result however large the searches before it were", () => {
    const instances = Array.from({ length: 60 }, (_, k) => randomSmallInstance(1000 + k, 8, 5, 4));
    const plans = (k: number) => exactSearch(buildContext(instances[k])).ranked.best.map((p) => ({ key: p.key, score: p.score, alloc: p.alloc }));
    const alone = instances.map((_, k) => plans(k)); // each right after the previous one
    for (let k = instances.length - 1; k >= 0; k -= 1) expect(plans(k)).toEqual(alone[k]); // in reverse order
  });
});
