// Single-byte mutation sweep, part b (see tdx-mutation.ts; split so the two parts run in parallel).
import { mutationSuite } from "./helpers/tdx-mutation";

mutationSuite(1, 2);
