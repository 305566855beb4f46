// In-place insertion sort for the short arrays of the hot path (a dozen locations): unlike
// Array.prototype.sort it allocates nothing, which keeps garbage collection out of routing latency.

export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < items.length; i += 1) {
    const item = items[i];
    let j = i - 1;
    while (j >= 0 && compare(items[j], item) > 0) {
      items[j + 1] = items[j];
      j -= 1;
    }
    items[j + 1] = item;
  }
  return items;
}
