// A set that forgets its oldest entries past a capacity: "recently completed job ids".
export class BoundedSet<T> {
  private readonly members = new Set<T>();
  private readonly ring: (T | undefined)[];
  private next = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<T | undefined>(capacity);
  }

  has(value: T): boolean {
    return this.members.has(value);
  }

  add(value: T): void {
    if (this.capacity <= 0 || this.members.has(value)) return;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.members.delete(evicted);
    this.ring[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    this.members.add(value);
  }

  get size(): number {
    return this.members.size;
  }
}
