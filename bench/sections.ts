// The verifier-level bench sections run after the primitives table by `npm run bench`. Each area adds
// one entry: a function that measures and returns its BenchSection (see harness.ts).
import type { BenchSection } from "./harness";
import { snpBench } from "./snp";
import { tdxBench } from "./tdx";
import { nvidiaBench } from "./nvidia";
import { registryBench } from "./registry";

export const sections: Array<{ key: string; run: () => Promise<BenchSection> }> = [
  { key: "snp", run: snpBench },
  { key: "tdx", run: tdxBench },
  { key: "nvidia", run: nvidiaBench },
  { key: "registry", run: registryBench },
];
