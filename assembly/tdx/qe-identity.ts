// Intel QE identity (PCS "enclaveIdentity" value, id "TD_QE" for TDX quotes, "QE" for SGX quotes)
// parsed into a typed model, and the QE report checks of spec §2.5 step 3–4 (Intel QVL
// EnclaveReportVerifier): MISCSELECT and ATTRIBUTES under their masks, MRSIGNER, ISVPRODID, then the
// QE TCB level by ISVSVN. The signature over the exact bytes is checked by collateral.ts.
import { parseJson, jsonError } from "../encoding/json";
import { Fields } from "./fields";
import { Result, success, failure, TdxError, fail, MALFORMED_QE_IDENTITY, QE_IDENTITY_MISMATCH, QE_TCB_LEVEL_NOT_FOUND } from "./errors";
import { IsvTcbLevel, readIsvLevels } from "./tcb-info";
import { Quote, ER_MISCSELECT, ER_ATTRIBUTES, ER_MRSIGNER, ER_ATTRIBUTES_SIZE, ER_MRSIGNER_SIZE } from "./quote";
import { hexEncode } from "../encoding/hex";

export const QE_ID_TDX = "TD_QE";
export const QE_ID_SGX = "QE";
const MIN_VERSION: i64 = 2;
/** v3 has the same fields as v2 for our purposes (dcap-qvl accepts both). */
const MAX_VERSION: i64 = 3;
const MISCSELECT_SIZE: i32 = 4;
const MAX_ISVPRODID: u64 = 0xffff;
/** ATTRIBUTES.DEBUG of an SGX enclave report (byte 0, bit 1). */
export const SGX_ATTRIBUTES_DEBUG: u8 = 0x02;

export class QeIdentity {
  id: string = "";
  version: i64 = 0;
  issueDate: i64 = 0;
  nextUpdate: i64 = 0;
  evaluationDataNumber: i64 = 0;
  miscselect: Uint8Array = new Uint8Array(0);
  miscselectMask: Uint8Array = new Uint8Array(0);
  attributes: Uint8Array = new Uint8Array(0);
  attributesMask: Uint8Array = new Uint8Array(0);
  mrSigner: Uint8Array = new Uint8Array(0);
  isvProdId: i64 = 0;
  /** Descending isvsvn. */
  levels: Array<IsvTcbLevel> = [];
}

export function parseQeIdentity(bytes: Uint8Array): Result<QeIdentity> {
  const root = parseJson(bytes);
  if (root === null) return failure<QeIdentity>(MALFORMED_QE_IDENTITY, "QE identity is not JSON: " + jsonError);
  if (!root.isObject) return failure<QeIdentity>(MALFORMED_QE_IDENTITY, "QE identity is not an object");
  const f = new Fields();
  const qe = new QeIdentity();
  qe.id = f.string(root, "id");
  qe.version = f.integer(root, "version", 0xffff);
  if (!f.failed) {
    f.expect(qe.id == QE_ID_TDX || qe.id == QE_ID_SGX, "unsupported QE identity id \"" + qe.id + "\"");
    f.expect(qe.version >= MIN_VERSION && qe.version <= MAX_VERSION, "unsupported QE identity version " + qe.version.toString());
  }
  qe.issueDate = f.time(root, "issueDate");
  qe.nextUpdate = f.time(root, "nextUpdate");
  qe.evaluationDataNumber = f.integer(root, "tcbEvaluationDataNumber", 0xffffffff);
  qe.miscselect = f.hex(root, "miscselect", MISCSELECT_SIZE);
  qe.miscselectMask = f.hex(root, "miscselectMask", MISCSELECT_SIZE);
  qe.attributes = f.hex(root, "attributes", ER_ATTRIBUTES_SIZE);
  qe.attributesMask = f.hex(root, "attributesMask", ER_ATTRIBUTES_SIZE);
  qe.mrSigner = f.hex(root, "mrsigner", ER_MRSIGNER_SIZE);
  qe.isvProdId = f.integer(root, "isvprodid", MAX_ISVPRODID);
  if (!f.failed) qe.levels = readIsvLevels(f, root);
  if (!f.failed) f.expect(qe.levels.length > 0, "QE identity has no TCB levels");
  if (!f.failed) f.expect(qe.issueDate <= qe.nextUpdate, "issueDate is after nextUpdate");
  if (f.failed) return failure<QeIdentity>(MALFORMED_QE_IDENTITY, f.error);
  return success<QeIdentity>(qe);
}

/** (report[at + i] & mask[i]) == expected[i] for every byte. */
function maskedEquals(report: Uint8Array, at: i32, mask: Uint8Array, expected: Uint8Array): bool {
  for (let i = 0; i < mask.length; i++) if ((report[at + i] & mask[i]) != expected[i]) return false;
  return true;
}

/** The QE TCB level the report meets (first with isvsvn <= report's), or an error. */
export class QeCheck {
  level: IsvTcbLevel | null = null;
  error: TdxError | null = null;
}

/** Spec §2.5 steps 3–4 on an already authenticated QE report. `expectTdx` selects TD_QE vs QE. */
export function checkQeReport(qe: QeIdentity, quote: Quote): QeCheck {
  const out = new QeCheck();
  const raw = quote.raw;
  const at = quote.qeReportStart;
  const expectedId = quote.isTdx ? QE_ID_TDX : QE_ID_SGX;
  if (qe.id != expectedId) {
    out.error = fail(QE_IDENTITY_MISMATCH, "QE identity \"" + qe.id + "\" is not for this quote's QE (" + expectedId + ")");
    return out;
  }
  if (!maskedEquals(raw, at + ER_MISCSELECT, qe.miscselectMask, qe.miscselect)) {
    out.error = fail(QE_IDENTITY_MISMATCH, "QE MISCSELECT does not match the QE identity");
    return out;
  }
  if (!maskedEquals(raw, at + ER_ATTRIBUTES, qe.attributesMask, qe.attributes)) {
    out.error = fail(QE_IDENTITY_MISMATCH, "QE ATTRIBUTES do not match the QE identity");
    return out;
  }
  // A debug QE cannot be trusted to have protected the attestation key (dcap-qvl checks it too).
  if ((raw[at + ER_ATTRIBUTES] & SGX_ATTRIBUTES_DEBUG) != 0) {
    out.error = fail(QE_IDENTITY_MISMATCH, "the QE runs in debug mode");
    return out;
  }
  const mrSigner = quote.qeReportField(ER_MRSIGNER, ER_MRSIGNER_SIZE);
  for (let i = 0; i < ER_MRSIGNER_SIZE; i++) {
    if (mrSigner[i] != qe.mrSigner[i]) {
      out.error = fail(QE_IDENTITY_MISMATCH, "QE MRSIGNER " + hexEncode(mrSigner) + " is not " + hexEncode(qe.mrSigner));
      return out;
    }
  }
  const prodId = quote.qeIsvProdId();
  if (<i64>prodId != qe.isvProdId) {
    out.error = fail(QE_IDENTITY_MISMATCH, "QE ISVPRODID " + prodId.toString() + " is not " + qe.isvProdId.toString());
    return out;
  }
  const svn = <i32>quote.qeIsvSvn();
  for (let i = 0; i < qe.levels.length; i++) {
    if (svn >= qe.levels[i].isvSvn) {
      out.level = qe.levels[i];
      return out;
    }
  }
  out.error = fail(QE_TCB_LEVEL_NOT_FOUND, "QE ISVSVN " + svn.toString() + " is below every QE identity TCB level");
  return out;
}
