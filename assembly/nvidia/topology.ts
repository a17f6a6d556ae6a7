// PPCIe topology (HGX: 8 GPUs + 4 NVSwitch LS10, spec nvidia.md §4): the GPUs and switches whose
// reports were verified must be the ones wired together, otherwise a host could pair its real GPUs
// with switch reports from another machine. Platform Data Identifiers (8 bytes) tie them:
//
//  * GPU field 22 lists, per NVLink, the PDI of the switch at the other end, byte-reversed relative to
//    the switch's own DEVICE_PDI (its field 22). Zero entries are disabled links.
//  * NVSwitch field 26 begins with the PDIs of the 8 GPUs it connects (then port data).
//  * A device's PDI is the last 8 bytes of its BROM certificate's subject serialNumber (observed on
//    both real PPCIe sets: "41"+GPU PDI, "50"+switch PDI), which binds the PDIs to certified devices.
//
// Rules: every GPU's distinct enabled switch PDIs (reversed) == the set of the switches' DEVICE_PDIs;
// each switch's DEVICE_PDI == its certificate's PDI; each switch's GPU PDI set == the set of the GPUs'
// certificate PDIs (so all switches agree and name exactly the GPUs given).
import { hexDecode } from "../encoding/hex";
import { bytesEqual } from "../encoding/bytes";
import { Certificate } from "../encoding/x509";
import { failBool, TOPOLOGY_MISMATCH } from "./errors";
import { PDI_LENGTH } from "./opaque";
import { DeviceResult } from "./verify";

/** X.520 serialNumber attribute type (2.5.4.5). */
const OID_SERIAL_NUMBER: StaticArray<u8> = [0x55, 0x04, 0x05];

function isFilled(pdi: Uint8Array, value: u8): bool {
  for (let i = 0; i < pdi.length; i++) if (pdi[i] != value) return false;
  return true;
}

function contains(list: Array<Uint8Array>, pdi: Uint8Array): bool {
  for (let i = 0; i < list.length; i++) if (bytesEqual(list[i], pdi)) return true;
  return false;
}

/** Distinct entries, without the all-zero (disabled) and all-0xFF (unused) values. */
function distinctEnabled(list: Array<Uint8Array>, reverse: bool): Array<Uint8Array> {
  const out = new Array<Uint8Array>();
  for (let i = 0; i < list.length; i++) {
    const pdi = reverse ? list[i].slice(0).reverse() : list[i];
    if (isFilled(pdi, 0) || isFilled(pdi, 0xff) || contains(out, pdi)) continue;
    out.push(pdi);
  }
  return out;
}

function sameSet(a: Array<Uint8Array>, b: Array<Uint8Array>): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (!contains(b, a[i])) return false;
  return true;
}

/** The device PDI named by a BROM certificate's subject serialNumber, or null. */
export function certificatePdi(brom: Certificate): Uint8Array | null {
  const text = brom.subject.get(OID_SERIAL_NUMBER);
  if (text === null) return null;
  const bytes = hexDecode(text);
  if (bytes === null || bytes.length < PDI_LENGTH) return null;
  return bytes.slice(bytes.length - PDI_LENGTH);
}

/** Checks GPUs against switches (both already verified). */
export function checkTopology(gpus: Array<DeviceResult>, switches: Array<DeviceResult>): bool {
  const switchPdis = new Array<Uint8Array>();
  for (let i = 0; i < switches.length; i++) {
    const own = switches[i].info.pdis;
    const cert = certificatePdi(switches[i].chain.brom);
    if (own.length != 1) return failBool(TOPOLOGY_MISMATCH, "switches[" + i.toString() + "] DEVICE_PDI must be one PDI");
    if (cert === null || !bytesEqual(own[0], cert)) return failBool(TOPOLOGY_MISMATCH, "switches[" + i.toString() + "] DEVICE_PDI does not match its certificate");
    if (contains(switchPdis, own[0])) return failBool(TOPOLOGY_MISMATCH, "switches[" + i.toString() + "] repeats a DEVICE_PDI");
    switchPdis.push(own[0]);
  }
  const gpuPdis = new Array<Uint8Array>();
  for (let i = 0; i < gpus.length; i++) {
    const linked = distinctEnabled(gpus[i].info.pdis, true);
    if (!sameSet(linked, switchPdis)) return failBool(TOPOLOGY_MISMATCH, "gpus[" + i.toString() + "] NVLinks do not connect exactly the given switches");
    const cert = certificatePdi(gpus[i].chain.brom);
    if (cert === null) return failBool(TOPOLOGY_MISMATCH, "gpus[" + i.toString() + "] BROM certificate has no serialNumber PDI");
    gpuPdis.push(cert);
  }
  for (let i = 0; i < switches.length; i++) {
    if (!sameSet(distinctEnabled(switches[i].info.gpuPdis, false), gpuPdis)) {
      return failBool(TOPOLOGY_MISMATCH, "switches[" + i.toString() + "] does not connect exactly the given GPUs");
    }
  }
  return true;
}
