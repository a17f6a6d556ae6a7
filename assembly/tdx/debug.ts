// Debugging aid for tools and tests: Intel's TCB evaluation of a quote against collateral WITHOUT any
// signature check (quote, QE report, PCK chain and collateral signatures are all skipped). Its output
// says "verified": false and has no "ok"; it is never a verdict. It exists so TCB matching can be
// inspected on quotes whose signatures cannot be checked (e.g. edited test inputs).
import { JsonWriter } from "../encoding/json-writer";
import { TdxError, fail, MALFORMED_QUOTE } from "./errors";
import { parseQuote, quoteError, CERT_TYPE_PCK_CHAIN } from "./quote";
import { parsePemChain } from "./certs";
import { parsePckExtension } from "./pck";
import { checkQeReport } from "./qe-identity";
import { matchTcbInfo, checkModuleIdentity, evaluateTcb } from "./tcb";
import { statusName } from "./status";
import { loadCollateral } from "./api";
import { IsvTcbLevel } from "./tcb-info";

function output(status: string | null, advisories: Array<string>, error: TdxError | null): Uint8Array {
  const w = new JsonWriter();
  w.beginObject();
  w.fieldBool("verified", false);
  if (status !== null) w.fieldString("status", status); else w.fieldNull("status");
  w.key("advisory_ids").beginArray();
  for (let i = 0; i < advisories.length; i++) w.string(advisories[i]);
  w.endArray();
  if (error === null) w.fieldNull("error");
  else w.key("error").beginObject().fieldString("code", error.code).fieldString("message", error.message).endObject();
  w.endObject();
  return w.toBytes();
}

export function evaluateTdxUnverified(quoteBytes: Uint8Array, collateral: Uint8Array, root: Uint8Array, at: i64): Uint8Array {
  const none = new Array<string>();
  const quote = parseQuote(quoteBytes);
  if (quote === null) return output(null, none, quoteError);
  const errors = new Array<TdxError>();
  const vc = loadCollateral(collateral, root, at, true, errors);
  if (vc === null) return output(null, none, errors[0]);
  const replacement = vc.pckChainOverride;
  const text = replacement !== null ? replacement : quote.certType == CERT_TYPE_PCK_CHAIN ? quote.certData() : null;
  if (text === null) return output(null, none, fail(MALFORMED_QUOTE, "no PCK chain"));
  const chain = parsePemChain(text, "the PCK chain");
  if (chain.failed) return output(null, none, chain.err);
  const ext = parsePckExtension(chain.ok[0]);
  if (ext.failed) return output(null, none, ext.err);
  const qe = checkQeReport(vc.qeIdentity, quote);
  if (qe.error !== null) return output(null, none, qe.error);
  let error = matchTcbInfo(vc.tcbInfo, quote, ext.ok);
  if (error === null && quote.isTdx) error = checkModuleIdentity(vc.tcbInfo, quote);
  if (error !== null) return output(null, none, error);
  const tcb = evaluateTcb(vc.tcbInfo, quote, ext.ok, changetype<IsvTcbLevel>(qe.level));
  return output(tcb.error === null ? statusName(tcb.status) : null, tcb.advisories, tcb.error);
}
