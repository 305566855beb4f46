// Scratch memory for the exact search. It runs once per order, synchronously, and needs a dozen small typed arrays;
// allocating each one (most are too large for V8 to keep on its heap: an ArrayBuffer of their own, malloc'd and
// finalised) cost more than the search itself on a 10-location order. Here they are views into buffers that
// live as long as the process and grow when an order needs more; `reset()` at the start of a search hands them out
// again. A view is only valid until the next reset: nothing taken from here may outlive the search that took it.

export class Scratch {
  private f64 = new Float64Array(4096);
  private i32 = new Int32Array(1024);
  private u8 = new Uint8Array(1024);
  private f = 0;
  private i = 0;
  private u = 0;

  reset(): void {
    this.f = 0;
    this.i = 0;
    this.u = 0;
  }

  float64(length: number, fill = 0): Float64Array {
    if (this.f + length > this.f64.length) [this.f64, this.f] = [new Float64Array(Math.max(2 * this.f64.length, length)), 0];
    const view = this.f64.subarray(this.f, (this.f += length));
    return view.fill(fill);
  }

  int32(length: number): Int32Array {
    if (this.i + length > this.i32.length) [this.i32, this.i] = [new Int32Array(Math.max(2 * this.i32.length, length)), 0];
    const view = this.i32.subarray(this.i, (this.i += length));
    return view.fill(0);
  }

  uint8(length: number): Uint8Array {
    if (this.u + length > this.u8.length) [this.u8, this.u] = [new Uint8Array(Math.max(2 * this.u8.length, length)), 0];
    const view = this.u8.subarray(this.u, (this.u += length));
    return view.fill(0);
  }
}
