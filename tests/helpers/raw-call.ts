// Calls a contract entry point with raw bytes (bypassing the simulator's JSON serialisation) on the
// same standard host as the embedded chain, to test how contracts treat malformed input.
import { installStandardHost } from "../../src/chain/host";
import { EmbeddedChain } from "../../src/chain/embedded";

export async function runRaw(wasm: Uint8Array, entry: "execute" | "instantiate" | "query", msg: string, envJson?: string): Promise<string> {
  installStandardHost();
  const chain = new EmbeddedChain();
  const module = await WebAssembly.compile(wasm);
  const memoryRef: { memory?: WebAssembly.Memory; allocate?: (n: number) => number } = {};
  const fail = () => { throw new Error("host import not available in raw calls"); };
  const imports = new Proxy({}, { get: (_t, name) => name === "abort" ? (ptr: number) => { throw new Error("abort: " + readRegion(ptr)); } : fail });
  const instance = await WebAssembly.instantiate(module, { env: imports as WebAssembly.ModuleImports });
  memoryRef.memory = instance.exports.memory as WebAssembly.Memory;
  memoryRef.allocate = instance.exports.allocate as (n: number) => number;
  function readRegion(ptr: number): string {
    const view = new DataView(memoryRef.memory!.buffer);
    const offset = view.getUint32(ptr, true), length = view.getUint32(ptr + 8, true);
    return new TextDecoder().decode(new Uint8Array(memoryRef.memory!.buffer, offset, length));
  }
  function write(text: string): number {
    const bytes = new TextEncoder().encode(text);
    const ptr = memoryRef.allocate!(bytes.length);
    const view = new DataView(memoryRef.memory!.buffer);
    new Uint8Array(memoryRef.memory!.buffer, view.getUint32(ptr, true), bytes.length).set(bytes);
    view.setUint32(ptr + 8, bytes.length, true);
    return ptr;
  }
  const env = envJson ?? JSON.stringify({ block: { height: 1, time: "1", chain_id: chain.chainId }, contract: { address: chain.address("c") } });
  const info = JSON.stringify({ sender: chain.address("s"), funds: [] });
  const fn = instance.exports[entry] as (...a: number[]) => number;
  const result = entry === "query" ? fn(write(env), write(msg)) : fn(write(env), write(info), write(msg));
  return readRegion(result);
}
