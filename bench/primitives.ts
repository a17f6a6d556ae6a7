// Signature primitives for the bench; filled in as the crypto core lands.
import type { BenchCase } from "./index";

export async function primitiveCases(): Promise<BenchCase[]> {
  return [];
}
