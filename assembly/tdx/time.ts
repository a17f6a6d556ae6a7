// ISO 8601 UTC timestamps as Intel PCS writes them ("2025-06-19T10:16:03Z", optionally with fractional
// seconds, which are dropped), converted to Unix seconds with integer arithmetic only. Anything else
// (offsets, missing Z, out-of-range fields) is rejected: collateral windows decide acceptance, so a
// lenient parser would be a way to stretch them.
import { daysFromCivil, TIME_INVALID } from "../encoding/der";

export { TIME_INVALID };

const BASIC_LENGTH: i32 = 20; // YYYY-MM-DDTHH:MM:SSZ
const MAX_FRACTION_DIGITS: i32 = 9;

function digitsAt(s: string, at: i32, count: i32): i32 {
  let v = 0;
  for (let i = 0; i < count; i++) {
    const c = s.charCodeAt(at + i) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function isLeap(y: i32): bool { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

function monthDays(y: i32, m: i32): i32 {
  if (m == 2) return isLeap(y) ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

/** Unix seconds of an ISO 8601 UTC timestamp, or TIME_INVALID. */
export function parseIsoTime(s: string): i64 {
  const n = s.length;
  if (n < BASIC_LENGTH) return TIME_INVALID;
  if (s.charCodeAt(4) != 0x2d || s.charCodeAt(7) != 0x2d || s.charCodeAt(10) != 0x54 ||
      s.charCodeAt(13) != 0x3a || s.charCodeAt(16) != 0x3a || s.charCodeAt(n - 1) != 0x5a) return TIME_INVALID;
  if (n > BASIC_LENGTH) {
    // ".fff…" between the seconds and the Z
    const digits = n - BASIC_LENGTH - 1;
    if (s.charCodeAt(19) != 0x2e || digits < 1 || digits > MAX_FRACTION_DIGITS || digitsAt(s, 20, digits) < 0) return TIME_INVALID;
  }
  const year = digitsAt(s, 0, 4), month = digitsAt(s, 5, 2), day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2), minute = digitsAt(s, 14, 2), second = digitsAt(s, 17, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > monthDays(year, month) || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59) return TIME_INVALID;
  return daysFromCivil(year, month, day) * 86400 + <i64>(hour * 3600 + minute * 60 + second);
}

/** "2025-06-19T10:16:03Z" for Unix seconds (>= 0), for messages and the verdict. */
export function formatIsoTime(t: i64): string {
  if (t < 0) return "invalid";
  const days = t / 86400;
  const rem = <i32>(t % 86400);
  // civil_from_days (H. Hinnant), shifted so the era starts on 0000-03-01
  const z = days + 719468;
  const era = z / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = <i32>(doy - (153 * mp + 2) / 5 + 1);
  const m = <i32>(mp < 10 ? mp + 3 : mp - 9);
  const y = <i32>(yoe + era * 400) + (m <= 2 ? 1 : 0);
  return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(rem / 3600, 2) + ":" + pad((rem / 60) % 60, 2) + ":" + pad(rem % 60, 2) + "Z";
}

function pad(v: i32, width: i32): string {
  let s = v.toString();
  while (s.length < width) s = "0" + s;
  return s;
}
