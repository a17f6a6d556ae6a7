// The abort adapter: AssemblyScript calls abort(message, file, line, column) on assertion failures and
// out-of-bounds accesses. CosmWasm's `env.abort` takes one Region with a UTF-8 message, so format one.
// Selected at build time with `--use abort=contracts/std/abort/contractAbort`.
import { host_abort } from "./imports";
import { stringToRegion } from "./region";

export function contractAbort(message: string | null, file: string | null, line: u32, column: u32): void {
  let text = message !== null ? message : "abort";
  if (file !== null) text += " at " + file + ":" + line.toString() + ":" + column.toString();
  host_abort(<u32>stringToRegion(text));
  unreachable();
}
