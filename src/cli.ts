// The `tee-attest` command. Exit codes: 0 success / verified, 1 rejected / lint failure,
// 2 usage error or unreadable input.
import { Command, CommanderError } from "commander";
import { main as checkWasmMain } from "../scripts/check-wasm";
import { main as gasMain } from "../scripts/gas";
import { UsageError } from "./commands/input";
import { registerDeploy } from "./commands/deploy";
import { registerSnp } from "./commands/verify-snp";
import { registerTdx } from "./commands/verify-tdx";
import { registerNvidia } from "./commands/verify-nvidia";
import { registerRim } from "./commands/rim";
// Each verifier area registers its subcommand of `tee-attest verify` (and its other commands) here.

const program = new Command();
program
  .name("tee-attest")
  .description("On-chain attestation for confidential AI inference (Intel TDX, AMD SEV-SNP, NVIDIA CC)")
  .version("0.1.0")
  .exitOverride();

program
  .command("check-wasm")
  .description("lint Wasm modules against CosmWasm's upload rules (plus: no floats)")
  .argument("<files...>", "modules to check")
  .option("--plain [files]", "treat all (or the listed, comma-separated) modules as plain, non-contract modules")
  .action((files: string[], opts: { plain?: boolean | string }) => {
    const args = [...files];
    if (opts.plain === true) args.unshift("--plain");
    else if (typeof opts.plain === "string") args.unshift(`--plain=${opts.plain}`);
    process.exitCode = checkWasmMain(args);
  });

program
  .command("gas")
  .description("run calls on the embedded chain and print the SDK gas wasmd would charge")
  .argument("<contract>", "contract module (.wasm)")
  .allowUnknownOption(true)
  .helpOption(false)
  .action(async (contract: string, _opts: unknown, cmd: Command) => {
    process.exitCode = await gasMain([contract, ...cmd.args.slice(1)]);
  });

const verify = program
  .command("verify")
  .description("verify attestation evidence (exit 0 verified, 1 rejected, 2 usage error or unreadable input)");
void verify;
registerSnp(verify);
registerTdx(verify);
registerNvidia(verify);
registerDeploy(program);
registerRim(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
    return;
  }
  console.error(err instanceof UsageError ? `tee-attest: ${err.message}` : err instanceof Error ? err.message : err);
  process.exitCode = 2;
});
