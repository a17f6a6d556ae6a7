// Typed wrappers around the host's API imports: addresses, signature checks, debug output and chain
// queries. Each returns a Result or a plain code; nothing here traps on bad user input.
import * as host from "./imports";
import { allocateRegion, readRegion, toRegion, stringToRegion } from "./region";
import { Result } from "./result";
import { parseJson, JsonValue } from "../../assembly/encoding/json";
import { base64DecodeRange } from "../../assembly/encoding/base64";
import { utf8, ByteBuffer } from "../../assembly/encoding/bytes";

/** Canonical addresses are at most 64 bytes (MAX_LENGTH_CANONICAL_ADDRESS on recent hosts). */
const CANONICAL_ADDRESS_CAPACITY: u32 = 64;
/** Human addresses are at most 256 bytes (MAX_LENGTH_HUMAN_ADDRESS). */
const HUMAN_ADDRESS_CAPACITY: u32 = 256;

function errorFromRegion(pointer: u32): string {
  return String.UTF8.decode(readRegion(<usize>pointer).buffer);
}

/** Checks that `address` is a valid, normalised address of this chain. */
export function addrValidate(address: string): Result<string> {
  if (address.length == 0 || address.length > <i32>HUMAN_ADDRESS_CAPACITY) return Result.err<string>("invalid address length");
  const error = host.addr_validate(<u32>stringToRegion(address));
  if (error != 0) return Result.err<string>("invalid address " + address + ": " + errorFromRegion(error));
  return Result.ok<string>(address);
}

export function addrCanonicalize(address: string): Result<Uint8Array> {
  const destination = allocateRegion(CANONICAL_ADDRESS_CAPACITY);
  const error = host.addr_canonicalize(<u32>stringToRegion(address), <u32>destination);
  if (error != 0) return Result.err<Uint8Array>("cannot canonicalize " + address + ": " + errorFromRegion(error));
  return Result.ok<Uint8Array>(readRegion(destination));
}

export function addrHumanize(canonical: Uint8Array): Result<string> {
  const destination = allocateRegion(HUMAN_ADDRESS_CAPACITY);
  const error = host.addr_humanize(<u32>toRegion(canonical), <u32>destination);
  if (error != 0) return Result.err<string>("cannot humanize address: " + errorFromRegion(error));
  return Result.ok<string>(String.UTF8.decode(readRegion(destination).buffer));
}

/** Host verification outcome: 0 valid, 1 invalid, > 1 a CryptoError code (malformed input). */
export const VERIFY_VALID: u32 = 0;
export const VERIFY_INVALID: u32 = 1;

export function secp256k1Verify(hash32: Uint8Array, signature64: Uint8Array, pubkey: Uint8Array): u32 {
  return host.secp256k1_verify(<u32>toRegion(hash32), <u32>toRegion(signature64), <u32>toRegion(pubkey));
}

/** P-256 verification by the host (CosmWasm >= 2.1). High-S signatures are accepted by the host. */
export function secp256r1Verify(hash32: Uint8Array, signature64: Uint8Array, pubkey: Uint8Array): u32 {
  return host.secp256r1_verify(<u32>toRegion(hash32), <u32>toRegion(signature64), <u32>toRegion(pubkey));
}

export function ed25519Verify(message: Uint8Array, signature64: Uint8Array, pubkey32: Uint8Array): u32 {
  return host.ed25519_verify(<u32>toRegion(message), <u32>toRegion(signature64), <u32>toRegion(pubkey32));
}

/** Recovers a 65-byte uncompressed secp256k1 public key, or an error. */
export function secp256k1RecoverPubkey(hash32: Uint8Array, signature64: Uint8Array, recoveryParam: u32): Result<Uint8Array> {
  const packed = host.secp256k1_recover_pubkey(<u32>toRegion(hash32), <u32>toRegion(signature64), recoveryParam);
  const errorCode = <u32>(packed >> 32);
  if (errorCode != 0) return Result.err<Uint8Array>("secp256k1 recovery failed with code " + errorCode.toString());
  return Result.ok<Uint8Array>(readRegion(<usize>(<u32>packed)));
}

/** Recovers a 65-byte uncompressed P-256 public key (CosmWasm >= 2.1). */
export function secp256r1RecoverPubkey(hash32: Uint8Array, signature64: Uint8Array, recoveryParam: u32): Result<Uint8Array> {
  const packed = host.secp256r1_recover_pubkey(<u32>toRegion(hash32), <u32>toRegion(signature64), recoveryParam);
  const errorCode = <u32>(packed >> 32);
  if (errorCode != 0) return Result.err<Uint8Array>("secp256r1 recovery failed with code " + errorCode.toString());
  return Result.ok<Uint8Array>(readRegion(<usize>(<u32>packed)));
}

/** The "sections" encoding of batch arguments: each item followed by its u32 big-endian length. */
export function encodeSections(items: Array<Uint8Array>): Uint8Array {
  const buf = new ByteBuffer(256);
  for (let i = 0; i < items.length; i++) { buf.pushBytes(items[i]); buf.pushU32BE(<u32>items[i].length); }
  return buf.toBytes();
}

/** Verifies many ed25519 signatures in one host call (0 = all valid). */
export function ed25519BatchVerify(messages: Array<Uint8Array>, signatures: Array<Uint8Array>, pubkeys: Array<Uint8Array>): u32 {
  return host.ed25519_batch_verify(<u32>toRegion(encodeSections(messages)), <u32>toRegion(encodeSections(signatures)), <u32>toRegion(encodeSections(pubkeys)));
}

export function debugPrint(message: string): void {
  host.debug(<u32>stringToRegion(message));
}

/** Runs a QueryRequest (JSON) against the chain and returns the decoded response JSON. */
export function queryChain(requestJson: string): Result<JsonValue> {
  const responseBytes = readRegion(<usize>host.query_chain(<u32>toRegion(utf8(requestJson))));
  const system = parseJson(responseBytes);
  if (system === null || !system.isObject) return Result.err<JsonValue>("query_chain: malformed system result");
  const systemOk = system.get("ok");
  if (systemOk === null) return Result.err<JsonValue>("query_chain: system error " + String.UTF8.decode(system.raw().buffer));
  const contractErr = systemOk.get("error");
  if (contractErr !== null) return Result.err<JsonValue>("query_chain: " + (contractErr.isString ? changetype<string>(contractErr.asString()) : "error"));
  const contractOk = systemOk.get("ok");
  if (contractOk === null || !contractOk.isString) return Result.err<JsonValue>("query_chain: malformed contract result");
  const decoded = base64DecodeRange(contractOk.source, contractOk.start + 1, contractOk.end - 1);
  if (decoded === null) return Result.err<JsonValue>("query_chain: response is not base64");
  const response = parseJson(decoded);
  if (response === null) return Result.err<JsonValue>("query_chain: response is not JSON");
  return Result.ok<JsonValue>(response);
}
