// Exact assignment for lines that share a SKU (and so compete for the same stock): a tiny min-cost
// max-flow, lines → locations, solved by successive shortest paths (Bellman-Ford). Costs are vectors
// compared lexicographically, which is still an ordered group, so the usual optimality argument holds:
// the result moves the most units possible and, among those flows, is lexicographically cheapest.

type Vec = number[];

function less(a: Vec, b: Vec): boolean {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

interface Edge {
  to: number;
  cap: number;
  cost: Vec;
  rev: number;
}

/**
 * flows[i][j] = units of source i (a line, `supply[i]` units) sent to sink j (a location holding
 * `capacity[j]` units), maximising the units moved, then minimising Σ flow × cost(i, j) lexicographically.
 */
export function solveTransport(supply: number[], capacity: number[], cost: (i: number, j: number) => Vec, dims: number): number[][] {
  const a = supply.length;
  const b = capacity.length;
  const source = a + b;
  const sink = source + 1;
  const graph: Edge[][] = Array.from({ length: sink + 1 }, () => []);
  const zero = new Array<number>(dims).fill(0);
  const addEdge = (u: number, v: number, cap: number, c: Vec) => {
    graph[u].push({ to: v, cap, cost: c, rev: graph[v].length });
    graph[v].push({ to: u, cap: 0, cost: c.map((x) => -x), rev: graph[u].length - 1 });
  };
  supply.forEach((s, i) => addEdge(source, i, s, zero));
  for (let i = 0; i < a; i += 1) for (let j = 0; j < b; j += 1) addEdge(i, a + j, supply[i], cost(i, j));
  capacity.forEach((c, j) => addEdge(a + j, sink, c, zero));

  for (;;) {
    // Bellman-Ford from the source over the residual graph (no negative cycles under SSP).
    const dist: (Vec | null)[] = new Array(sink + 1).fill(null);
    const prev: { node: number; edge: number }[] = new Array(sink + 1);
    dist[source] = zero;
    for (let round = 0, changed = true; changed && round <= sink; round += 1) {
      changed = false;
      for (let u = 0; u <= sink; u += 1) {
        const du = dist[u];
        if (du === null) continue;
        graph[u].forEach((e, k) => {
          if (e.cap <= 0) return;
          const nd = du.map((x, d) => x + e.cost[d]);
          const dv = dist[e.to];
          if (dv === null || less(nd, dv)) {
            dist[e.to] = nd;
            prev[e.to] = { node: u, edge: k };
            changed = true;
          }
        });
      }
    }
    if (dist[sink] === null) break;
    let push = Infinity;
    for (let v = sink; v !== source; v = prev[v].node) push = Math.min(push, graph[prev[v].node][prev[v].edge].cap);
    for (let v = sink; v !== source; v = prev[v].node) {
      const e = graph[prev[v].node][prev[v].edge];
      e.cap -= push;
      graph[v][e.rev].cap += push;
    }
  }

  const flows = Array.from({ length: a }, () => new Array<number>(b).fill(0));
  for (let i = 0; i < a; i += 1) {
    for (const e of graph[i]) if (e.to >= a && e.to < a + b) flows[i][e.to - a] = graph[e.to][e.rev].cap;
  }
  return flows;
}
