// Trust anchors for SEV-SNP: the AMD Root Keys (ARK) per product, pinned by key, and AMD's ASK (VCEK
// path) and ASVK (VLEK path) intermediates, pinned by key and serial.
//
// Why pin and not trust a supplied ARK: a root is only as good as the key it carries; whoever supplies
// a chain could supply any self-signed "ARK-Milan". Why also pin the intermediates: each is valid until
// 2045-2048 and is signed by its ARK (the tests check that signature with node:crypto against the
// copies in shared/fixtures/snp/roots, from google/go-sev-guest verify/trust), so pinning saves one
// RSA-4096 verification per report (spec snp.md §0.3). When a chain is supplied, its ASK/ASVK is
// verified against the ARK instead, and a CRL can revoke it by serial; a supplied intermediate that is
// byte-identical to AMD's (SHA-256 of the DER, which every real chain in the fixtures matches) is the
// already-verified ARK -> ASK link, so its RSA check (~3 M Wasm operators) is skipped (chain.ts).
//
// Custom roots (a test PKI, or governance-set roots on chain) replace the whole store: then only the
// listed products are trusted and no intermediate is pinned, so the chain must carry the ASK/ASVK.
import { hexDecode } from "../encoding/hex";
import { PRODUCT_MILAN, PRODUCT_GENOA, PRODUCT_TURIN, PRODUCT_COUNT } from "./tcb";

/** Every AMD ARK/ASK/ASVK uses the public exponent 65537. */
const AMD_EXPONENT: StaticArray<u8> = [0x01, 0x00, 0x01];

export class RsaPublicKey {
  constructor(public modulus: Uint8Array, public exponent: Uint8Array) {}
}

/** An intermediate (ASK or ASVK) known without its certificate. */
export class PinnedIntermediate {
  constructor(public key: RsaPublicKey, public serial: Uint8Array, public notBefore: i64, public notAfter: i64,
    /** SHA-256 of AMD's certificate (DER), whose ARK signature was checked when it was pinned. */
    public derSha256: Uint8Array) {}
}

export class TrustStore {
  /** True when the caller replaced the AMD roots. */
  custom: bool = false;
  /** True for the AMD store: its keys are decoded from hex on first use (a verification needs one ARK and
   * at most one intermediate, so decoding all nine keys up front would waste ~0.5 M Wasm operators). */
  pinned: bool = false;
  arks: Array<RsaPublicKey | null> = nullArray<RsaPublicKey>();
  asks: Array<PinnedIntermediate | null> = nullArray<PinnedIntermediate>();
  asvks: Array<PinnedIntermediate | null> = nullArray<PinnedIntermediate>();

  ark(product: i32): RsaPublicKey | null {
    if (product <= 0 || product >= PRODUCT_COUNT) return null;
    if (this.pinned && this.arks[product] === null) this.arks[product] = pinnedArk(product);
    return this.arks[product];
  }

  /** The pinned ASK (vlek = false) or ASVK (vlek = true) of a product, if any. */
  intermediate(product: i32, vlek: bool): PinnedIntermediate | null {
    if (product <= 0 || product >= PRODUCT_COUNT) return null;
    const list = vlek ? this.asvks : this.asks;
    if (this.pinned && list[product] === null) list[product] = pinnedIntermediate(product, vlek);
    return list[product];
  }
}

function nullArray<T>(): Array<T | null> {
  const list = new Array<T | null>(PRODUCT_COUNT);
  for (let i = 0; i < PRODUCT_COUNT; i++) list[i] = null;
  return list;
}

function amdKey(modulusHex: string): RsaPublicKey {
  const exponent = new Uint8Array(AMD_EXPONENT.length);
  for (let i = 0; i < AMD_EXPONENT.length; i++) exponent[i] = AMD_EXPONENT[i];
  return new RsaPublicKey(hexDecode(modulusHex)!, exponent);
}

function pinned(modulusHex: string, serialHex: string, notBefore: i64, notAfter: i64, derSha256Hex: string): PinnedIntermediate {
  return new PinnedIntermediate(amdKey(modulusHex), hexDecode(serialHex)!, notBefore, notAfter, hexDecode(derSha256Hex)!);
}

/** The AMD roots and intermediates for Milan, Genoa and Turin (decoded lazily, see TrustStore.pinned). */
export function defaultTrustStore(): TrustStore {
  const s = new TrustStore();
  s.pinned = true;
  return s;
}

function pinnedArk(product: i32): RsaPublicKey | null {
  if (product == PRODUCT_MILAN) return amdKey(MILAN_ARK_MODULUS);
  if (product == PRODUCT_GENOA) return amdKey(GENOA_ARK_MODULUS);
  if (product == PRODUCT_TURIN) return amdKey(TURIN_ARK_MODULUS);
  return null;
}

function pinnedIntermediate(product: i32, vlek: bool): PinnedIntermediate | null {
  if (vlek) {
    if (product == PRODUCT_MILAN) return pinned(MILAN_ASVK_MODULUS, MILAN_ASVK_SERIAL, MILAN_ASVK_NOT_BEFORE, MILAN_ASVK_NOT_AFTER, MILAN_ASVK_DER_SHA256);
    if (product == PRODUCT_GENOA) return pinned(GENOA_ASVK_MODULUS, GENOA_ASVK_SERIAL, GENOA_ASVK_NOT_BEFORE, GENOA_ASVK_NOT_AFTER, GENOA_ASVK_DER_SHA256);
    if (product == PRODUCT_TURIN) return pinned(TURIN_ASVK_MODULUS, TURIN_ASVK_SERIAL, TURIN_ASVK_NOT_BEFORE, TURIN_ASVK_NOT_AFTER, TURIN_ASVK_DER_SHA256);
    return null;
  }
  if (product == PRODUCT_MILAN) return pinned(MILAN_ASK_MODULUS, MILAN_ASK_SERIAL, MILAN_ASK_NOT_BEFORE, MILAN_ASK_NOT_AFTER, MILAN_ASK_DER_SHA256);
  if (product == PRODUCT_GENOA) return pinned(GENOA_ASK_MODULUS, GENOA_ASK_SERIAL, GENOA_ASK_NOT_BEFORE, GENOA_ASK_NOT_AFTER, GENOA_ASK_DER_SHA256);
  if (product == PRODUCT_TURIN) return pinned(TURIN_ASK_MODULUS, TURIN_ASK_SERIAL, TURIN_ASK_NOT_BEFORE, TURIN_ASK_NOT_AFTER, TURIN_ASK_DER_SHA256);
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Key material (big-endian hex), extracted from shared/fixtures/snp/roots/*.pem. Each is ONE string
// literal on purpose: a literal lives in the static data segment, whereas a concatenation would be
// built on the heap at start-up and destroyed by the first reset() (stub runtime, see abi.ts).

/** ARK-Milan modulus (RSA-4096, e = 65537). */
const MILAN_ARK_MODULUS =
  "d0b779d9124e75e88996a2b625db15983ec592dba8b56c17d5f3605b8d5763d5f3d471214949a12f3f42bbd0c7465be02523716de618b2725fbf28f1d4c7d4d15e6d90a894d447ac345b5ad644c0d2cccd8ac75873d8acaa4ee65d3e7e29f1916df73857ff73448704f2394737ad52d63bbc5fddfee9dc4352b1b64b3c6a278061ab2626503aee3d72525f8bd4734d4fee3f7c329a8e4bde6b3917461de239d8d6b3e66d81f8efaf8ec0b4eb4777ee363d2c57ae38fe0c7ab8bcaa07e2d92e642aa83f685e9a3edb80650551eeedca1585cfe7d5e6260b5ca20d398262344ff3a2b4b86ecd5be965c2e9874a1d87fd483d7ab1dfe3278c3f7b03b7d7a6a19dff2f0ac57ee392c4c4cc03a06ca01e6a6de59bedf228871360c96c44c5cf72335b22f9ac072903fffc529e2bacb870648279443445b1d5471b410aecfa054392e54f86c9f321136062f338f18fbb2c6889627ae613cc5cadec5e901c6bbdad95f53250aa7377439de4b79be2422dfe8027e69300b4174b62ac865b2e45cfacfc3367433d78dc6123249bda7a497e09eacf9e48d2edf7c21e2bd1935079319fc34dcc054b72bb319eb0691cc3e968a8c6aad6a478b6319b3d8c42be90aaefe3a0a420a830d8addae2e8f4cd7c7c7cf5d2538c4fc9d6014bd1645ced7970a6fbb3c77583e5990c14c372ef7a727f20b5e840f1df6e41f40b23df865d635a124565ab";
/** SEV-Milan (ASK) serial 0x010001, valid 1603391060..2392309460. */
const MILAN_ASK_MODULUS =
  "9d4d9daeb3537db84d4089657fe5b6cbe44e09b4b321dd5a2997edd93f738d940ece319c725d7b8b598829697b353701d15617b77271652cce663b232cd54010dd8c1a3f5389e74bf907b02995f4266404b988e6f962a4b0bb7181d2e9f44ec464dc0d0ea575af4a913f9b41f0e5a4c906c874b7aee1a0b3ee3fd2975164072b5ebfdb1b146cededcc278f38bd9bb9e8aac93eb91541a77f889f7e503dd723f187e51269c704dbee5032612c224c5bc28e8cfebef8f85bb378828ad25c00d12d5b8a93345a0a5b708795b7120a34ccf0ab0d6d4c7703c7a4e4454b8d9587d69b7d1374dfa51e97c9f40a9d8ea497968420fc1d5b778561aa8214fac8a3da504fa5ae0d23f82426096d99de28a21b663cd7909b773501b7d84ba46089816fd482926f7e7d2e4b64583da23cee6cc5f7f8d901a125c8ece3ef9c73318eea7d9b0e6c7ba41457b1aaa420364cdca9a259ae43e7006b157b26a1c4f1d97da567fe6376ab6fef628850b016de25025270e43d024d14c2d58e585850c10ab03fbc69e64e7a86f02fa38d4012edc8e347cab838f8720e62513e7682fd91b9b8fd0ad33e86a0eff7b9e9fdc2ab210ae1de80b4e939e1c42512ab405af83d523054e074f9e6cee45828c8ec38de7c850f950a043c4407804aa3fd2e0222872d1bef80b6ce45b53c280448b35128a848e617c52dae64165768548f0ceac2f1c57a2f2b3f13";
const MILAN_ASK_SERIAL = "010001";
const MILAN_ASK_NOT_BEFORE: i64 = 1603391060;
const MILAN_ASK_NOT_AFTER: i64 = 2392309460;
const MILAN_ASK_DER_SHA256 = "67d303bd3905fd38db8b20e0793699870e7fa612eaad5dec358293fd8c0bac1b";
/** SEV-VLEK-Milan (ASVK) serial 0x010101, valid 1668638724..2457557124. */
const MILAN_ASVK_MODULUS =
  "d44516933e454cfcfeb964f68421328ac6a6f0546e5d90264b797ead781209e4b5434fb5a257271522698b07ecb1f868bad26a78fca272ef8e8645f5df53cc78efd53ad1f7ba92b860d266ab7e88269ed95889b99cad9f24d9181075b49bf35770803d5368879796c043971b1a9f7bfc568e2785661a84cc57ae7c628c7fa6516665115f45cb30da1c8d86a525d60cdda6720880f932814a2f14481a6b42154a018b1d085942279b34b2d255645545ebded2df78ce544845176bcfce1c7243fd1fd0d301433241ac5265b3c834a6d5e933e6b6bc0057d50fd50ab8d7cc67f48f82d12b16bad3ffe52d4e88bf0e4f34380af81b1ce7ddd85df256fe310c1cdae127a51768a0a037fe045e1723f2081c92f6379b8acb7fa09120765e5ea9ae8860566a9116f056f4e4c211adf65a15eed2dd59d5a6c42836772e966df7f0ab83acf23e95c32d1fed2c71e949a3d18fb093cc789e28c4f3f90e91ac209070719f6800ff113358e7a687bcd2516606f35c3509be72ebddd6323afbe7fc3b4a8424a2989ca79fb2de9f802b0d5415c1744f7b7851fdab0213609a8d3ee4182d403ad53342e20a652d83d1093be20dbdec984b1e91019508b28d127e2c2599371f6e25c8b11b2cdabfa7e2396c7853cb96851cc7b3c9ef0c075c4b82d6df5b4f940f4178e2bf0468a6413bbb84ce4c0c564bd02f5d58ae69b825097b1e88daf4aabf27";
const MILAN_ASVK_SERIAL = "010101";
const MILAN_ASVK_NOT_BEFORE: i64 = 1668638724;
const MILAN_ASVK_NOT_AFTER: i64 = 2457557124;
const MILAN_ASVK_DER_SHA256 = "c5e081f59b7efab1fe2f8b505e159704e72f29cab7ef7cf628a05a42439082f5";
/** ARK-Genoa modulus (RSA-4096, e = 65537). */
const GENOA_ARK_MODULUS =
  "dc277de52fee14eb9122c916f6fcfd543045ebd343405efda1184bfcbd8f5501a12b761d7c4060a45fc98b058506c4ff7d70e1cc0d35a772e4713ffb2dd8dc45f2978c797ed10abf338759921e900e851e2b33412c37012830c65a8defdf9372af16c0d439e463050a5390009383fde2d2972e9f34a31b7ce1a8721e82e673f2eab06b29fa8ab5073e0f3ec60bc131b888c29569a4fdd3fa19e08f2889b4abbbddaf26196a58edbb77f47173789433284d7864e83af831fe2528e201a91bad4d0e990452f233b8a71a331f08753a568360c5e92c05d0881531f7e7bed26603af01c09356a351383cb25d68f7c189f709a6e045c0d55020f404557dda3fcf47252a7c61b63d972492e8f95512a4c106d6909a2e004c698c47e9f62bf7be240854d868fb8c8a4984e91d1fd7e2ad00e79a50364857c9fc27349863735bd466221c8e527345a1c966911865dff01053962cf50b1a9f58d3fc48b24fea42a669c0fb2f5e76f84309b386f05da8c47191753064ca5ba782b917246622c06ad1f246a2aafecd37c42138132a62371bae412bd1ff1030a925212e6bb8e7ea94b302070f092c1dcb923a5682d0fb3a9c64cd2b2884de3b5289bce9163a969ef683c7971cfd6a62b9ef873686d52ef4bf0e8e91b69a0bd123887fee1e0009406c689fbbb443bc60a1111603f7bb25c050c0b83cd07abfb1b46ea9eb31cfbc01592636e787";
/** SEV-Genoa (ASK) serial 0x020002, valid 1667223228..2456141628. */
const GENOA_ASK_MODULUS =
  "a07261be4e05c309306f4dc031f2f24972525e611a09931345b2e03da8f8a04cda0fdb467f1092c3f9ec0808971d069652dfbe6e76e324ed394ca4f977e09daf3e3f7e2441a5b85fd31cef875d4efb025304f8f7b82cc39b8f2f119f25e525cc3b8c1dfd0ab0b2b7a314444f0ff1dd7efd66182316eda734ba0f2dac3cea19efa5fa9f0d323a7f12a043636bddf212da54b992f978c0aa561535192c87d693cd260bd7dfdc4eb0439aa436cbc936df3365da55baabf06d40ea56195b37116bc11dbfd09dfddfdd2f7e942e07da3743cbdca7ee4ab24d6ab8582067138aa160946892e958b7331933522593867a44f90e4d1d4c27881d16d8fb94a9ab912b8ea09626aa1248b1027ce789406c9c9b814ef3cb3580c2edee6ac96460a5040107f68dae47ca5dc806a3b3a6a637d52a4acdb97c357bde6726d13249707dee220cb236e53f64bbd0957ad0d889f09b7467ae1dd4f064105e996e0d139ecbee2115f3ecf3f27c6783c38c5ffff8a579ed5aa9906c402704bbf64e84e07751f6cd846d8720cb737575d7dffe1674d6d7b2cae9b2b34c28049c21d011c02dd210d02cb17bf7dfb69594f1c5f044a1db8065ac7a2238003028ba7b565f28f25291dbdbda6dc1c1f3fc6e7886efe00426fd563849a7049735a55402b6d6c952875b8b4ed57de9f925152a02f48cdce6d640ecd2006cec1a7a488a0c05a56ea6f45eee6155";
const GENOA_ASK_SERIAL = "020002";
const GENOA_ASK_NOT_BEFORE: i64 = 1667223228;
const GENOA_ASK_NOT_AFTER: i64 = 2456141628;
const GENOA_ASK_DER_SHA256 = "5464738c1546aed5f2cecf1dc98c5c960a92e8913238a61711bc90ec6e828521";
/** SEV-VLEK-Genoa (ASVK) serial 0x020101, valid 1668804514..2457722914. */
const GENOA_ASVK_MODULUS =
  "ccbdbfc62847b1c129c52dfe3ac419a40b8d20919211066b92858fb6a28c8e364ec9730c4470217939b9e848b431bf1325995b1834b9c7f01d6e8c2cb469a91ea876cef4af8d93bb578bfa16df38a7bd4fe865df395110802b9ab62b337c8c05ad1424fdc994ec7b8969d06ae97b5813ea8124c8eeb3c0b45b05bf21663d8faa4d6c40354a752f560eadf3dcdf13e01c07950308aab4f71eeac3eacfb7da53a44721d1fd5b1dd445265a605864ead36a211fd6d3fba6aef243e9bcc6b79b6a7ccdd208aadbae486eacac88a6ae9b76e25b2be2d2e1406eb947f45b5494fd32c2b850ba5b0143b93707652f06e7a4b587894c2862bc92303f25df1443be13e6227957105128f256a1718965c6224947ca2aa80eb1de33c52a691f84481a41e7dc9f83fc9c0e1249ca80a0b8a19fbe62883b54dbe66590f9ca81c36ce54d4b7b8e35ca97a7da7ec13a7472866c3201404693739c3171ec27a286a432724d509a0b77d65f77b1e08bf82e4b8a440e8ef72bb7cc73f6dcdfee6c4f3f63291f7c88cc6ed068380cdd5829fd944e1a9a8e1567ef1ec08bad6406260b94c840efb0594a8a62bd220286dc70c9d97498d43918d5a2a550f9d2ebfbfd68b64dfa81f3dcd0ba6685664a7c05c5f6c82f62d42371a47dc251abf32491b59d98256a1fb91ef38181493c45d1c009db011ff4e61066a20ec232dd45f582929a4bba25f45e718f";
const GENOA_ASVK_SERIAL = "020101";
const GENOA_ASVK_NOT_BEFORE: i64 = 1668804514;
const GENOA_ASVK_NOT_AFTER: i64 = 2457722914;
const GENOA_ASVK_DER_SHA256 = "197e610743a917d6b9bb982a5a9226ccc0a15b611be0619e626aca9151457372";
/** ARK-Turin modulus (RSA-4096, e = 65537). */
const TURIN_ARK_MODULUS =
  "c1a02b881ec422e55ce19075c03dd87c3c4bfbd7b24bbfa2ce6d098f75bbef63483425a5f018f7c3f243d998e66d1c56748abfe1df626ab08aa2b5e5a09501d6345d831a9c713c7568ea22838fb6c355e1555253ecae39ef04f964b3498106b1a9af44b64c2377afbdb0e86508313d978de443447606291525afeecb254e4b0124e70e6d5ca3ae1bd8efaba42d00c25ab16dfcc25a910da2841ad67d554806a27dbb66e2f8b1326e0bf6b3cfdfe2401c3c9048a5cce97de4089391e6398d21010d66c0aa7664e6a94cee4212286db4920426d789a134a0c8da9da8b9afb3b801bb8b9d9ea68445d867d4d13624ff27febc2341dad9de721150b8fd9ef1b2e4f7965da8f8bdfd45b0e095e3b5d100e2ed896299524943d05405cab7a2d5aae8ed25c339f492abdaed1743be4ac3170ca75e604978417c89ef3c0c2e018e1d130c06a93f28220e1eb0f1f012c98286161e0c8c4f1bd4787f1f4ed2aea9f066fe1d7953892e3b3fd60d78ea6274e50acc397f4b53afca10ed48bf0b25cdb84004c5c9da3f883fca51dbc54d1943d1cae400c9192e8590f212c319ce816495ec75ded97f67b8516ded23fd6887fdaddb73addf3ca14dcbf98036c006ed0b8d57bdf2e4674b5e523302bffe526df5ee41a8abe0001912a0005ff81e1516d3d5117d3282b61a15a23d8b9001af19d5066cd7a516f6d622353653427ce1943c8855a561";
/** SEV-Turin (ASK) serial 0x030001, valid 1684182321..2473187121. */
const TURIN_ASK_MODULUS =
  "9ef8391abbf612677d94084a74eeb845753750449be894e6d078737afc753f2c629f162a24bdf6f6a4c93345e6768ccb61beebb07c60339236a54d7c33c81e72dda937f601d8b435fdb22adfb4cf0db83bca6d0c37a2a467a684471017d2fa18b5d0f23718c30148e946909ed4571c01ebff12cda7fc5cf51b54e60b65dea5342a68aa66b7a9a70d64821c256c42863481289b79a1ba76833a3a235409b297682eca1c7e5bffde810f50c9f3833e247a8f0a51611ea509c33285e50c63e30816019ccaf143e188d1a3ac5ebe4c1765146752cc4ab0d633ab0931ddb98c8b2bee4e437388c384bebd978e568c496a34c859db2a60fd832dcd0790bd2a58eba610eaeb736ff80de1134a10743322291f4e6449a97240dd9e3793faa6d381f3885d74275b24f11ea670fe16a41aa75ba4c372bcb81720781480176debe94b53f1473987b32c597dcca198841dc4a40d043c21e75393b08b8ec2ba4bb6ff95f2aa7d889184a806911bec11dfcc0cd72e98764a220cdab09c206a0cd2820894a3d8d7a771169bce1fab2c4d5f34aeb4f07ba83e4ffd42c007eabd420bebcc2f179de68b3f430dac784cf3451e8e6b014c892d32f16859521e9580cb75ca22d1e303e4345c71fb20ad8698ea1ffefea7fdb6083e997d3d509a6e48f445dfca32aa734d14c979bffb562e052c0a13d4e8d0900b5ed06aaafc9aedb29f2cae1c4b392555";
const TURIN_ASK_SERIAL = "030001";
const TURIN_ASK_NOT_BEFORE: i64 = 1684182321;
const TURIN_ASK_NOT_AFTER: i64 = 2473187121;
const TURIN_ASK_DER_SHA256 = "5b77ef5fe7a7a004fd9032668fba9d0fda22f88c4442069a479636a6ae3b3185";
/** SEV-VLEK-Turin (ASVK) serial 0x030101, valid 1684184981..2473189781. */
const TURIN_ASVK_MODULUS =
  "a63aee8b89746688048747c37557c9e2e9e8c061a8964db05f2ce36e30bf7e7aa5845aa2163d4948a764612bf33d57e00d1d0c53658b972b6b006a8e1d805d938328cf7c474d726eb3be4d79fd04059a4693d3383d0185fa74ea622fa10e0baad78c1050496d37dc06ba79d479a333d1eea17c26ac0debe4ca920b329a27bd3bda338f51022a42bd38263d14e4400f218e5ded03a47b4bf1ca4e7ebf4374fbe00d017f280ae3d2cb91d1c5d395a8d2967daa63f2862d1187d7a96342fefd3d9ed7b7e88567026af804f8a17918ee5720dcee9f02a89420b21f7f77d220266f5befe6fe0f8a69c6b1f1f889ce24200a51d61640a54dd81b7a9413ce2a91be52100490b136424f426ffc0c42f52a39876c2b695cd6cfa1afa4f1c4b512afb9ee6f7a19303e3162a49313e59ec298db9773ed2571549930749bb301521ca2ada78174503a0f9ee216c3f7631838e41974bd5b9336377cd549b9fde1c27108ccce4f320b85c5ff9496ada28b257f1beab9c147f0fa52f7104c86e3787d33e5364fe855b43ac3ca7110c89ba342bc43e80eaaacdd566ea2ee3a2da1bb2e6311f51edb63b1ceb5bd2b244834f82643e3a935a2c8e9ac148fba39bfe1c9afdfaa97b410fcbaf133e4f3908e0bbbaa34cceee7cc5bd2e02db746de7a30f1dbd99145b88f34be6d9f02bd2859990e9799592660cef9f62be4904caf3464a9fc62ad9229f5";
const TURIN_ASVK_SERIAL = "030101";
const TURIN_ASVK_NOT_BEFORE: i64 = 1684184981;
const TURIN_ASVK_NOT_AFTER: i64 = 2473189781;
const TURIN_ASVK_DER_SHA256 = "104e10a8bd060a3c20a434261a57d0588fd65a88915b4f65b08bdecaf8df1a3c";
