// The verifier-level bench sections run after the primitives table by `npm run bench`. Each area adds
// one entry: a function that measures and returns its BenchSection (see harness.ts).
import type { BenchSection } from "./harness";

export const sections: Array<{ key: string; run: () => Promise<BenchSection> }> = [
];
