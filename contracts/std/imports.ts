// CosmWasm host imports (module "env"), typed exactly as wasmvm links them
// (cosmwasm packages/std/src/exports/imports.rs). Every pointer is a Region pointer
// (see region.ts). `scripts/check-wasm` rejects any import whose name or type differs.

// Storage. db_read returns 0 when the key is missing, otherwise a Region the contract owns.
@external("env", "db_read") export declare function db_read(key: u32): u32;
@external("env", "db_write") export declare function db_write(key: u32, value: u32): void;
@external("env", "db_remove") export declare function db_remove(key: u32): void;
// Iteration: start/end 0 = unbounded, order 1 = ascending, 2 = descending.
@external("env", "db_scan") export declare function db_scan(start: u32, end: u32, order: i32): u32;
// Region holding `value || key || keylen(u32 BE)`; an empty key marks the end.
@external("env", "db_next") export declare function db_next(iterator: u32): u32;
@external("env", "db_next_key") export declare function db_next_key(iterator: u32): u32;
@external("env", "db_next_value") export declare function db_next_value(iterator: u32): u32;

// Addresses: 0 = OK, otherwise a Region with a UTF-8 error message.
@external("env", "addr_validate") export declare function addr_validate(source: u32): u32;
@external("env", "addr_canonicalize") export declare function addr_canonicalize(source: u32, destination: u32): u32;
@external("env", "addr_humanize") export declare function addr_humanize(source: u32, destination: u32): u32;

// Signatures: 0 = valid, 1 = invalid, > 1 = CryptoError code. Hashes are 32 bytes, signatures 64-byte r||s.
@external("env", "secp256k1_verify") export declare function secp256k1_verify(hash: u32, signature: u32, pubkey: u32): u32;
@external("env", "secp256k1_recover_pubkey") export declare function secp256k1_recover_pubkey(hash: u32, signature: u32, recoveryParam: u32): u64;
// CosmWasm >= 2.1 only; a contract that imports it cannot be uploaded to 1.x chains.
@external("env", "secp256r1_verify") export declare function secp256r1_verify(hash: u32, signature: u32, pubkey: u32): u32;
@external("env", "secp256r1_recover_pubkey") export declare function secp256r1_recover_pubkey(hash: u32, signature: u32, recoveryParam: u32): u64;
@external("env", "ed25519_verify") export declare function ed25519_verify(message: u32, signature: u32, pubkey: u32): u32;
@external("env", "ed25519_batch_verify") export declare function ed25519_batch_verify(messages: u32, signatures: u32, pubkeys: u32): u32;

@external("env", "debug") export declare function debug(message: u32): void;
// Region with a SystemResult<ContractResult<Binary>> JSON.
@external("env", "query_chain") export declare function query_chain(request: u32): u32;
// One argument (the UTF-8 message). Declared here for completeness; the abort adapter in assembly/abort.ts
// declares its own copy so the verifier module does not depend on contracts/.
@external("env", "abort") export declare function host_abort(message: u32): void;
