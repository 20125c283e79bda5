/**
 * Gate saturation (Karpathy, Johnson & Fei-Fei 2015, fig. 3): for each unit of each gate, the
 * fraction of steps the activated gate spends below `left` (≈ closed) and above `right`
 * (≈ open). Counts accumulate chunk by chunk, so any number of steps takes O(layers·gates·H).
 */
import type { ChunkRecord } from './record-chunk';

export interface GateFractions {
  left: Float64Array;
  right: Float64Array;
}

export class SaturationCounter {
  private readonly leftCounts: Int32Array[][];
  private readonly rightCounts: Int32Array[][];
  private steps = 0;

  constructor(
    numLayers: number,
    private readonly gates: number,
    private readonly hiddenSize: number,
    private readonly left = 0.1,
    private readonly right = 0.9,
  ) {
    const counts = () => Array.from({ length: numLayers }, () => Array.from({ length: gates }, () => new Int32Array(hiddenSize)));
    this.leftCounts = counts();
    this.rightCounts = counts();
  }

  get count(): number {
    return this.steps;
  }

  add(record: ChunkRecord): void {
    const H = this.hiddenSize;
    record.layers.forEach((layer, l) => {
      for (let g = 0; g < this.gates; g++) {
        const m = layer.gates[g]!, lc = this.leftCounts[l]![g]!, rc = this.rightCounts[l]![g]!;
        for (let t = 0; t < record.steps; t++) {
          for (let u = 0, o = t * H; u < H; u++) {
            const v = m[o + u]!;
            if (v < this.left) lc[u]!++;
            else if (v > this.right) rc[u]!++;
          }
        }
      }
    });
    this.steps += record.steps;
  }

  /** Per layer, per gate (in the cell's gate order): the fractions so far (0 before any step). */
  fractions(): GateFractions[][] {
    const n = Math.max(1, this.steps);
    const share = (c: Int32Array) => Float64Array.from(c, (x) => x / n);
    return this.leftCounts.map((layer, l) => layer.map((lc, g) => ({ left: share(lc), right: share(this.rightCounts[l]![g]!) })));
  }
}
