// Pre-verified intermediates (assembly/nvidia/chain.ts, option verifiedIntermediates / policy key
// verified_intermediates): a link whose child certificate is byte-identical to a pre-verified one skips
// only its signature check; names, validity and CA flags are still checked, the device's own links are
// always verified, and a certificate with the same name but other bytes is verified in full. Certificates
// are re-issued here by DER surgery on the simulator's genuine ones, signed with the simulator's keys.
import { describe, it, expect } from "vitest";
import { simulateNvidia, NvidiaSimPki } from "../src/sim/nvidia";
import { P384Key, CHIP_NAMES, pem } from "../src/sim/nvidia-pki";
import { verifyNvidia, verifyNvidiaNode, type NvidiaVerdict, type NvidiaOptions } from "../src/wasm/nvidia";

const AT = Date.UTC(2026, 0, 1) / 1000;
const SEED = "preverified-test";
const pki = new NvidiaSimPki(SEED);
const sim = simulateNvidia({ seed: SEED, pki });
const gpu = sim.gpus[0];
const icaKey = new P384Key(`${SEED}/${CHIP_NAMES.GH100.ica}`);
const identityKey = new P384Key(`${SEED}/${CHIP_NAMES.GH100.identity}`);
const rogueKey = new P384Key(`${SEED}/rogue`);

const splitPem = (text: string): string[] => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
const derOf = (p: string): Uint8Array => new Uint8Array(Buffer.from(p.replace(/-----[^-]+-----|\s/g, ""), "base64"));
const chainPems = splitPem(gpu.certs);
const [, , icaDer, identityDer] = chainPems.map(derOf);

// --- minimal DER surgery (definite lengths only, which is all the simulator writes) ---
interface Tlv { tag: number; start: number; contentStart: number; end: number }
function readTlv(b: Uint8Array, at: number): Tlv {
  let len = b[at + 1], off = at + 2;
  if (len & 0x80) { const n = len & 0x7f; len = 0; for (let i = 0; i < n; i++) len = len * 256 + b[off + i]; off += n; }
  return { tag: b[at], start: at, contentStart: off, end: off + len };
}
function children(b: Uint8Array, t: Tlv): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = t.contentStart; at < t.end;) { const c = readTlv(b, at); out.push(b.slice(c.start, c.end)); at = c.end; }
  return out;
}
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return new Uint8Array([tag, ...len, ...content]);
}
const seq = (...parts: Uint8Array[]) => tlv(0x30, Buffer.concat(parts));
const utcTime = (unix: number) => tlv(0x17, new TextEncoder().encode(new Date(unix * 1000).toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, "$1$2$3$4$5$6Z")));

/** `der` with TBS fields replaced (index into the TBS children: 1 serial, 4 validity), signed by `signer`. */
function reissue(der: Uint8Array, signer: P384Key, edits: Record<number, Uint8Array>): Uint8Array {
  const cert = readTlv(der, 0);
  const [tbs, alg] = children(der, cert);
  const fields = children(tbs, readTlv(tbs, 0)).map((f, i) => edits[i] ?? f);
  const newTbs = seq(...fields);
  return seq(newTbs, alg, tlv(0x03, new Uint8Array([0, ...signer.signDer(newTbs)])));
}

/** The device chain with the ICA (index 2) and/or Identity (index 3) replaced. */
function chainWith(replace: Record<number, Uint8Array>): string {
  return chainPems.map((p, i) => (replace[i] ? pem(replace[i]) : p)).join("");
}

function verify(certs: string, pre?: Uint8Array[], extra: Partial<NvidiaOptions> = {}): NvidiaVerdict {
  return verifyNvidia(gpu.report, certs, { at: AT, nonce: sim.nonce, golden: sim.golden, policy: { root_pem: sim.root }, verifiedIntermediates: pre, ...extra });
}

describe("NVIDIA pre-verified intermediates", () => {
  it("default (no set) verifies all five signatures; ICA + Identity pre-verified leaves report, leaf and BROM", () => {
    const full = verify(gpu.certs);
    expect(full.error).toBeNull();
    expect(full.p384_verifications).toBe(5);
    const pre = verify(gpu.certs, [icaDer, identityDer]);
    expect(pre.error).toBeNull();
    expect(pre.ok).toBe(true);
    expect(pre.p384_verifications).toBe(3);
    expect(pre.claims).toEqual(full.claims);
  });

  it("only the ICA pre-verified: the Identity link above it is still verified", () => {
    expect(verify(gpu.certs, [icaDer]).p384_verifications).toBe(4);
    expect(verify(gpu.certs, [identityDer]).p384_verifications).toBe(4);
  });

  it("the device's own links are always verified: a pre-verified leaf or BROM DER changes nothing for the leaf", () => {
    const [leafDer, bromDer] = chainPems.map(derOf);
    expect(verify(gpu.certs, [leafDer]).p384_verifications).toBe(5);
    expect(verify(gpu.certs, [bromDer, icaDer, identityDer]).p384_verifications).toBe(2);
  });

  it("a different but genuine ICA with the same name is verified in full, not waved through", () => {
    const serialField = children(derOf(chainPems[2]).subarray(0), readTlv(derOf(chainPems[2]), 0))[0];
    const serial = children(serialField, readTlv(serialField, 0))[1];
    const otherSerial = new Uint8Array(serial); otherSerial[otherSerial.length - 1] ^= 1;
    const reissued = reissue(icaDer, identityKey, { 1: otherSerial });
    const v = verify(chainWith({ 2: reissued }), [icaDer, identityDer]);
    expect(v.error).toBeNull();
    expect(v.p384_verifications).toBe(4);
  });

  it("a forged ICA with the same name and key is rejected although the genuine ICA is pre-verified", () => {
    const forged = reissue(icaDer, rogueKey, {});
    expect(Buffer.compare(Buffer.from(forged), Buffer.from(icaDer))).not.toBe(0);
    const v = verify(chainWith({ 2: forged }), [icaDer, identityDer]);
    expect(v.ok).toBe(false);
    expect(v.error?.code).toBe("CERT_SIGNATURE_INVALID");
    expect(v.error?.message).toContain("Provisioner ICA");
  });

  it("a forged Identity above a pre-verified ICA is still rejected (only byte-identical certificates are trusted)", () => {
    const forged = reissue(identityDer, rogueKey, {});
    const v = verify(chainWith({ 3: forged }), [icaDer]);
    expect(v.error?.code).toBe("CERT_SIGNATURE_INVALID");
    expect(v.error?.message).toContain("Identity");
  });

  it("one changed byte in the pre-verified ICA's signature: no longer identical, verified, rejected", () => {
    const mutated = new Uint8Array(icaDer);
    mutated[mutated.length - 5] ^= 0x01;
    const v = verify(chainWith({ 2: mutated }), [icaDer, identityDer]);
    expect(v.ok).toBe(false);
    expect(["CERT_SIGNATURE_INVALID", "MALFORMED_CERT_CHAIN"]).toContain(v.error?.code);
  });

  it("a pre-verified ICA outside its validity is rejected", () => {
    const validity = seq(utcTime(Date.UTC(2022, 2, 1) / 1000), utcTime(Date.UTC(2024, 0, 1) / 1000));
    const expired = reissue(icaDer, identityKey, { 4: validity });
    const v = verify(chainWith({ 2: expired }), [expired, identityDer]);
    expect(v.error?.code).toBe("CERT_EXPIRED");
    expect(v.error?.message).toContain("Provisioner ICA");
    // The same certificate is accepted at a time inside its validity (the surgery itself is sound).
    const inside = verify(chainWith({ 2: expired }), [expired, identityDer], { at: Date.UTC(2023, 0, 1) / 1000 });
    expect(inside.error).toBeNull();
    expect(inside.p384_verifications).toBe(3);
  });

  it("names still chain: a pre-verified ICA whose issuer name is not the Identity's subject is rejected", () => {
    const tbs = children(icaDer, readTlv(icaDer, 0))[0];
    const subject = children(tbs, readTlv(tbs, 0))[5];
    const selfNamed = reissue(icaDer, identityKey, { 3: subject });
    const v = verify(chainWith({ 2: selfNamed }), [selfNamed, identityDer]);
    expect(v.ok).toBe(false);
    expect(v.error?.code).toBe("CERT_ISSUER_MISMATCH");
  });

  it("8-GPU node: 24 instead of 26 verifications; 16 with BROMs per device unchanged", () => {
    const node = simulateNvidia({ seed: SEED, pki, gpus: 8 });
    const opts = { at: AT, nonce: node.nonce, golden: node.golden, policy: { root_pem: node.root } };
    const full = verifyNvidiaNode({ gpus: node.gpus, switches: [] }, opts);
    expect(full.error).toBeNull();
    expect(full.p384_verifications).toBe(26);
    const pre = verifyNvidiaNode({ gpus: node.gpus, switches: [] }, { ...opts, verifiedIntermediates: [icaDer, identityDer] });
    expect(pre.error).toBeNull();
    expect(pre.p384_verifications).toBe(24);
  });

  it("malformed verified_intermediates is a policy error", () => {
    const v = verifyNvidia(gpu.report, gpu.certs, { at: AT, policy: { root_pem: sim.root, verified_intermediates: ["not base64!"] } });
    expect(v.error?.code).toBe("MALFORMED_POLICY");
    const w = verifyNvidia(gpu.report, gpu.certs, { at: AT, policy: { root_pem: sim.root, verified_intermediates: [Buffer.from("junk").toString("base64")] } });
    expect(w.error?.code).toBe("MALFORMED_POLICY");
  });
});
