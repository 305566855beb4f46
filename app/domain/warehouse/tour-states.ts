// The equivalence classes of Ratliff & Rosenthal (1983), generated rather than listed by hand, so one block
// (2 cross aisles: their 7 classes) and two blocks (3 cross aisles: Roodbergen & de Koster's 2001 extension)
// share one implementation. A class describes a partial tour subgraph at the current aisle's cross-aisle
// vertices: per vertex its degree (untouched / odd / even > 0) and which vertices are already connected,
// plus "not started" (nothing yet) and "closed" (one finished component left behind: nothing may follow).
// The classes and their transitions are enumerated once per number of cross aisles, so the DP's inner loop
// is a table look-up.

/** Degree class of a cross-aisle vertex: 0 untouched, 1 odd, 2 even and > 0. */
type Deg = 0 | 1 | 2;

interface TourState {
  deg: Deg[];
  /** Component label of each touched vertex (−1 when untouched), numbered by first appearance. */
  comp: number[];
  closed: boolean;
}

/** Vertical options for one block of one aisle (the segment between cross aisles k and k+1). */
export const VERTICAL = { none: 0, traverse: 1, traverseTwice: 2, fromFront: 3, fromBack: 4, largestGap: 5 } as const;
export type VerticalOption = (typeof VERTICAL)[keyof typeof VERTICAL];

export class TourStateSpace {
  readonly crossOptions: number;
  readonly masks: number;
  /** Number of classes (all of them: the space is enumerated up front). */
  readonly size: number;
  /** Σ multiplicities of each cross option: its cost in aisle spacings. */
  readonly crossUnits: Int32Array;
  private readonly states: TourState[] = [];
  private readonly ids = new Map<string, number>();
  private readonly crossTable: Int32Array;
  private readonly verticalTable: Int32Array;
  /** Per (class, required mask): the feasible cross options and where they lead, as [option, to, option, to, …]. */
  private readonly crossMoveLists: Int32Array[] = [];
  readonly notStarted: number;

  constructor(readonly vertices: number) {
    this.crossOptions = 3 ** vertices;
    this.masks = 2 ** vertices;
    this.notStarted = this.intern({ deg: Array<Deg>(vertices).fill(0), comp: Array<number>(vertices).fill(-1), closed: false });
    // Every class reachable from "not started", then the transition tables over them.
    for (let id = 0; id < this.states.length; id++) this.transitionsOf(id);
    this.size = this.states.length;
    this.crossTable = new Int32Array(this.size * this.crossOptions * this.masks);
    this.verticalTable = new Int32Array(this.size * (vertices - 1) * 6);
    for (let id = 0; id < this.size; id++) {
      const { cross, vertical } = this.transitionsOf(id);
      this.crossTable.set(cross, id * this.crossOptions * this.masks);
      this.verticalTable.set(vertical, id * (vertices - 1) * 6);
    }
    if (this.states.length !== this.size) throw new Error("state space not closed under its transitions");
    for (let id = 0; id < this.size; id++) {
      for (let mask = 0; mask < this.masks; mask++) {
        const moves: number[] = [];
        for (let option = 0; option < this.crossOptions; option++) {
          const to = this.cross(id, option, mask);
          if (to >= 0) moves.push(option, to);
        }
        this.crossMoveLists.push(Int32Array.from(moves));
      }
    }
    this.crossUnits = Int32Array.from({ length: this.crossOptions }, (_, o) => Array.from({ length: vertices }, (_, v) => this.crossMultiplicity(o, v)).reduce((a, b) => a + b, 0));
  }

  private transitionsOf(id: number): { cross: number[]; vertical: number[] } {
    const cross: number[] = [];
    for (let option = 0; option < this.crossOptions; option++) for (let mask = 0; mask < this.masks; mask++) cross.push(this.computeCross(this.states[id], option, mask));
    const vertical: number[] = [];
    for (let k = 0; k + 1 < this.vertices; k++) for (let option = 0; option < 6; option++) vertical.push(this.computeVertical(this.states[id], k, option as VerticalOption));
    return { cross, vertical };
  }

  /** Multiplicity (0, 1 or 2) of the cross-aisle edge at vertex v in cross option `option`. */
  crossMultiplicity(option: number, v: number): number {
    return Math.floor(option / 3 ** v) % 3;
  }

  /**
   * Cross edges from the previous aisle to the next (`option`: one multiplicity per cross aisle). The previous
   * aisle's vertices leave the frontier: each must end with even degree and, when `requiredMask` marks it
   * (a pick or the depot sits on it), be touched. −1 when the result cannot be part of a tour.
   */
  cross(id: number, option: number, requiredMask: number): number {
    return this.crossTable[(id * this.crossOptions + option) * this.masks + requiredMask];
  }

  /** The feasible cross options from class `id` as [option, to, option, to, …]. */
  crossMoves(id: number, requiredMask: number): Int32Array {
    return this.crossMoveLists[id * this.masks + requiredMask];
  }

  /** Vertical option on block `segment` (between vertices segment and segment+1) of the current aisle. */
  vertical(id: number, segment: number, option: VerticalOption): number {
    return this.verticalTable[(id * (this.vertices - 1) + segment) * 6 + option];
  }

  /** Whether the partial subgraph, with nothing further to the right, is a tour (connected, all degrees even). */
  isComplete(id: number, requiredMask: number): boolean {
    const s = this.states[id];
    if (s.closed) return requiredMask === 0;
    const comps = new Set<number>();
    for (let v = 0; v < this.vertices; v++) {
      if (s.deg[v] === 1) return false;
      if ((requiredMask >> v) & 1 && s.deg[v] === 0) return false;
      if (s.deg[v] !== 0) comps.add(s.comp[v]);
    }
    return comps.size === 1;
  }

  /** Human-readable class, e.g. "UU|1C", "EE|2C", "00|0C", "closed" (for tests and debugging). */
  describe(id: number): string {
    const s = this.states[id];
    if (s.closed) return "closed";
    const comps = new Set(s.comp.filter((c) => c >= 0));
    return `${s.deg.map((d) => "0UE"[d]).join("")}|${comps.size}C${comps.size > 1 ? `:${s.comp.join(",")}` : ""}`;
  }

  private intern(state: TourState): number {
    const normal = normalise(state);
    const key = normal.closed ? "closed" : `${normal.deg.join("")}|${normal.comp.join(",")}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.states.length;
      this.states.push(normal);
      this.ids.set(key, id);
    }
    return id;
  }

  private computeCross(s: TourState, option: number, requiredMask: number): number {
    if (s.closed) return option === 0 && requiredMask === 0 ? this.intern(s) : -1;
    const deg: Deg[] = [];
    const comp: number[] = [];
    const before = new Set<number>();
    const kept = new Set<number>();
    let fresh = this.vertices;
    for (let v = 0; v < this.vertices; v++) {
      const c = this.crossMultiplicity(option, v);
      if ((s.deg[v] === 1) !== (c === 1)) return -1; // the leaving vertex would keep an odd degree
      if ((requiredMask >> v) & 1 && s.deg[v] === 0 && c === 0) return -1; // a pick there is never reached
      if (s.deg[v] !== 0) before.add(s.comp[v]);
      if (c === 0) {
        deg.push(0);
        comp.push(-1);
      } else {
        deg.push(c === 1 ? 1 : 2);
        if (s.deg[v] !== 0) kept.add(s.comp[v]);
        comp.push(s.deg[v] !== 0 ? s.comp[v] : fresh++);
      }
    }
    if (kept.size < before.size) {
      // A component loses its last frontier vertex: only a finished tour may do that, and nothing may follow.
      return before.size === 1 && option === 0 ? this.intern({ deg, comp, closed: true }) : -1;
    }
    return this.intern({ deg, comp, closed: false });
  }

  private computeVertical(s: TourState, k: number, option: VerticalOption): number {
    if (option === VERTICAL.none) return this.intern(s);
    if (s.closed) return -1;
    const deg = [...s.deg];
    const comp = [...s.comp];
    let fresh = this.vertices;
    const add = (v: number, times: 1 | 2) => {
      if (deg[v] === 0) {
        deg[v] = times === 1 ? 1 : 2;
        comp[v] = fresh++;
      } else if (times === 1) deg[v] = deg[v] === 1 ? 2 : 1;
    };
    const join = (a: number, b: number) => {
      const from = comp[b];
      for (let v = 0; v < this.vertices; v++) if (comp[v] === from) comp[v] = comp[a];
    };
    if (option === VERTICAL.traverse || option === VERTICAL.traverseTwice) {
      const times = option === VERTICAL.traverse ? 1 : 2;
      add(k, times);
      add(k + 1, times);
      join(k, k + 1);
    } else {
      if (option === VERTICAL.fromFront || option === VERTICAL.largestGap) add(k, 2);
      if (option === VERTICAL.fromBack || option === VERTICAL.largestGap) add(k + 1, 2);
    }
    return this.intern({ deg, comp, closed: false });
  }
}

function normalise(s: TourState): TourState {
  if (s.closed) return { deg: s.deg.map(() => 0), comp: s.comp.map(() => -1), closed: true };
  const relabel = new Map<number, number>();
  const comp = s.comp.map((c) => {
    if (c < 0) return -1;
    if (!relabel.has(c)) relabel.set(c, relabel.size);
    return relabel.get(c)!;
  });
  return { deg: [...s.deg], comp, closed: false };
}

const spaces = new Map<number, TourStateSpace>();
/** One shared (memoised) state space per number of cross aisles. */
export function tourStateSpace(crossAisles: number): TourStateSpace {
  let space = spaces.get(crossAisles);
  if (!space) spaces.set(crossAisles, (space = new TourStateSpace(crossAisles)));
  return space;
}
