// Removes the start function from a module built with `asc --exportStart <name>`: the export is dropped
// and a call to the start function is inserted as the first instruction of every other exported
// function. CosmWasm instantiates a module before it sets the gas limit, so a start section would run
// with zero gas and trap; AssemblyScript's start function is idempotent (it checks its `~started`
// global), so calling it at the top of every entry point is safe and cheap.
import binaryen from "binaryen";

export const CONTRACT_FEATURES = binaryen.Features.MVP | binaryen.Features.SignExt | binaryen.Features.MutableGlobals;

export interface StartPassResult {
  bytes: Uint8Array;
  patchedExports: string[];
}

export function inlineStartIntoExports(wasm: Uint8Array, startExportName: string): StartPassResult {
  // Read with exactly the features CosmWasm allows, so nothing else can be switched on by re-emitting.
  const module = binaryen.readBinary(wasm);
  try {
    module.setFeatures(CONTRACT_FEATURES);
    let startFunction: string | null = null;
    const exportedFunctions: string[] = [];
    for (let i = 0; i < module.getNumExports(); i++) {
      const info = binaryen.getExportInfo(module.getExportByIndex(i));
      if (info.kind !== binaryen.ExternalFunction) continue;
      if (info.name === startExportName) startFunction = info.value;
      else exportedFunctions.push(info.value);
    }
    if (startFunction === null) throw new Error(`start export '${startExportName}' not found`);
    if (module.getStart()) throw new Error("module still has a start section");
    module.removeExport(startExportName);
    const patched = new Set<string>();
    for (const name of exportedFunctions) {
      if (patched.has(name) || name === startFunction) continue;
      patched.add(name);
      const fn = module.getFunction(name);
      const info = binaryen.getFunctionInfo(fn);
      const call = module.call(startFunction, [], binaryen.none);
      const body = module.block(null, [call, info.body], info.results);
      // binaryen.js exposes Function.setBody only through the raw C API in this version.
      (binaryen as unknown as { _BinaryenFunctionSetBody(f: number, b: number): void })._BinaryenFunctionSetBody(fn, body);
    }
    if (!module.validate()) throw new Error("module does not validate after the start pass");
    return { bytes: module.emitBinary(), patchedExports: [...patched] };
  } finally {
    module.dispose();
  }
}
