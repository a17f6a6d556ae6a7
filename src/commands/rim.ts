// `tee-attest rim extract <driver RIM> <VBIOS RIM> …`: the off-chain governance step for NVIDIA golden
// measurements. Verifies each RIM (XMLDSig ECDSA P-384, signer chain to the pinned NVIDIA CoRIM signing
// root at --at) and writes the golden-measurement JSON the registry's add_release takes (src/rim).
// Exit 0 written, 1 a RIM was rejected (stable code on stderr), 2 usage error or unreadable file.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { UsageError, parseAt } from "./input";
import { extractGolden, type VerifiedRim } from "../rim/index";

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
}

function describe(file: string, r: VerifiedRim): string {
  const active = r.measurements.filter((m) => m.active).length;
  const until = new Date(r.signer.not_after * 1000).toISOString();
  return `verified ${file}: ${r.kind} RIM ${r.rim_id} (${r.product} ${r.version}, ${active} active), signer "${r.signer.subject}" until ${until}, sha256 ${r.sha256}`;
}

export function registerRim(program: Command): void {
  const rim = program.command("rim").description("NVIDIA reference integrity manifests (governance tools)");
  rim
    .command("extract")
    .description("verify NVIDIA RIMs (driver + VBIOS, or NVSwitch BIOS) and write the golden-measurement JSON (exit 0 written, 1 rejected, 2 usage error)")
    .argument("<rims...>", "RIM files (SWID XML / .swidtag): driver and VBIOS RIMs, in any order")
    .option("--out <file>", "write the golden JSON here instead of stdout")
    .option("--at <unix>", "check certificate validity at this UNIX time or ISO date (default now)")
    .option("--root <pem>", "trust this root (test PKI) instead of the pinned NVIDIA CoRIM signing root")
    .action((files: string[], opts: { out?: string; at?: string; root?: string }) => {
      const at = parseAt(opts.at);
      const rootPem = opts.root === undefined ? undefined : readFile(opts.root, "root").toString("latin1");
      const inputs = files.map((f) => ({ name: basename(f), xml: new Uint8Array(readFile(f, "RIM")) }));
      const result = extractGolden(inputs, { at, rootPem });
      result.rims.forEach((r, i) => console.error(describe(files[i], r)));
      if (!result.ok) {
        console.error(`rejected${result.error.file ? ` ${result.error.file}` : ""}: ${result.error.code}: ${result.error.message}`);
        process.exitCode = 1;
        return;
      }
      const json = JSON.stringify(result.golden, null, 2) + "\n";
      if (opts.out === undefined) {
        process.stdout.write(json);
      } else {
        try {
          writeFileSync(opts.out, json);
        } catch (err) {
          throw new UsageError(`cannot write ${opts.out}: ${(err as Error).message}`);
        }
        const n = Array.isArray(result.golden) ? result.golden.length : 1;
        console.error(`wrote ${n} golden entr${n === 1 ? "y" : "ies"} to ${opts.out}`);
      }
      process.exitCode = 0;
    });
}
