// The abort adapter shared by every module: AssemblyScript calls abort(message, file, line, column) on
// assertion failures and out-of-bounds accesses; CosmWasm's `env.abort` takes one Region with a UTF-8
// message (the 4-argument default would fail to link on chain). build/verifier.wasm uses the same
// import, and its JS loader turns it into an exception. Selected with
// `--use abort=assembly/abort/contractAbort`.

@external("env", "abort") declare function host_abort(message: u32): void;

export function contractAbort(message: string | null, file: string | null, line: u32, column: u32): void {
  let text = message !== null ? message : "abort";
  if (file !== null) text += " at " + file + ":" + line.toString() + ":" + column.toString();
  const bytes = String.UTF8.encode(text);
  // A Region {offset, capacity, length} pointing at the message.
  const region = heap.alloc(12);
  store<u32>(region, <u32>changetype<usize>(bytes), 0);
  store<u32>(region, <u32>bytes.byteLength, 4);
  store<u32>(region, <u32>bytes.byteLength, 8);
  host_abort(<u32>region);
  unreachable();
}
