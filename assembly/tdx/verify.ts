// Quote verification against verified collateral — the order of checks (authenticity first, then
// identity and TCB) and what each produces. Intel QVL runs the same checks with the module identity
// before the QE report; we authenticate everything before interpreting any of it, which only changes
// which error a doubly-broken quote reports.
//
//   1. collateral window at `at`            4. QE report binds the attestation key (SHA-256)
//   2. PCK chain (pck-chain.ts)             5. quote signature by the attestation key
//   3. QE report signed by the PCK key      6. QE identity, TCB info match, module identity, TCB status
import { sha256, SHA256_OUTPUT_LENGTH } from "../crypto/sha256";
import { concatBytes } from "../encoding/bytes";
import {
  TdxError, fail, QE_REPORT_SIGNATURE_INVALID, QE_REPORT_DATA_MISMATCH, QUOTE_SIGNATURE_INVALID,
} from "./errors";
import { Quote, ECDSA_SIGNATURE_SIZE, ENCLAVE_REPORT_SIZE, ER_REPORTDATA } from "./quote";
import { VerifiedCollateral, checkCollateralTime } from "./collateral";
import { PckChain, verifyPckChain } from "./pck-chain";
import { verifyRange, sec1FromRaw } from "./signature";
import { checkQeReport } from "./qe-identity";
import { TcbEvaluation, matchTcbInfo, checkModuleIdentity, evaluateTcb } from "./tcb";
import { IsvTcbLevel } from "./tcb-info";

export class QuoteVerification {
  /** True once steps 1–5 passed: the body and QE report are Intel-attested (claims may be shown). */
  authenticated: bool = false;
  chain: PckChain | null = null;
  tcb: TcbEvaluation | null = null;
  error: TdxError | null = null;

  constructor(public quote: Quote, public collateral: VerifiedCollateral) {}

  get ok(): bool { return this.error === null; }
}

function stop(out: QuoteVerification, error: TdxError): QuoteVerification {
  out.error = error;
  return out;
}

/** Steps 3–5: the signatures and the QE report binding. */
function authenticate(quote: Quote, chain: PckChain): TdxError | null {
  const raw = quote.raw;
  const qeSignature = raw.slice(quote.qeReportSignatureStart, quote.qeReportSignatureStart + ECDSA_SIGNATURE_SIZE);
  if (!verifyRange(raw, quote.qeReportStart, quote.qeReportStart + ENCLAVE_REPORT_SIZE, qeSignature, chain.leafKey())) {
    return fail(QE_REPORT_SIGNATURE_INVALID, "the QE report is not signed by the PCK certificate's key");
  }
  const attestKey = quote.attestKey();
  const bound = sha256(concatBytes(attestKey, quote.bytes(quote.authDataStart, quote.authDataSize)));
  const reportData = quote.qeReportStart + ER_REPORTDATA;
  // Intel QVL compares the first 32 bytes (the hash); the rest is not specified as zero.
  for (let i = 0; i < SHA256_OUTPUT_LENGTH; i++) {
    if (raw[reportData + i] != bound[i]) {
      return fail(QE_REPORT_DATA_MISMATCH, "QE REPORTDATA does not commit to the attestation key and QE auth data");
    }
  }
  if (!verifyRange(raw, 0, quote.signedEnd, quote.signature(), sec1FromRaw(attestKey))) {
    return fail(QUOTE_SIGNATURE_INVALID, "the quote is not signed by its attestation key");
  }
  return null;
}

/** Verifies a parsed quote against verified collateral at time `at` (Unix seconds). */
export function verifyQuote(quote: Quote, vc: VerifiedCollateral, at: i64): QuoteVerification {
  const out = new QuoteVerification(quote, vc);
  let error = checkCollateralTime(vc, at);
  if (error !== null) return stop(out, error);
  const chain = verifyPckChain(quote, vc, at);
  out.chain = chain;
  if (chain.error !== null) return stop(out, changetype<TdxError>(chain.error));
  error = authenticate(quote, chain);
  if (error !== null) return stop(out, error);
  out.authenticated = true;
  const qe = checkQeReport(vc.qeIdentity, quote);
  if (qe.error !== null) return stop(out, changetype<TdxError>(qe.error));
  error = matchTcbInfo(vc.tcbInfo, quote, chain.extension);
  if (error === null && quote.isTdx) error = checkModuleIdentity(vc.tcbInfo, quote);
  if (error !== null) return stop(out, error);
  const tcb = evaluateTcb(vc.tcbInfo, quote, chain.extension, changetype<IsvTcbLevel>(qe.level));
  out.tcb = tcb;
  if (tcb.error !== null) return stop(out, changetype<TdxError>(tcb.error));
  return out;
}
