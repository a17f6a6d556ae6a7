// TCB status values (Intel PCS "tcbStatus" strings plus the two TD-relaunch results of Intel's QVL),
// as small integers so convergence rules are plain comparisons. Names are the Verdict's "status".

export const STATUS_UP_TO_DATE: i32 = 0;
export const STATUS_SW_HARDENING_NEEDED: i32 = 1;
export const STATUS_CONFIGURATION_NEEDED: i32 = 2;
export const STATUS_CONFIGURATION_AND_SW_HARDENING_NEEDED: i32 = 3;
export const STATUS_OUT_OF_DATE: i32 = 4;
export const STATUS_OUT_OF_DATE_CONFIGURATION_NEEDED: i32 = 5;
export const STATUS_REVOKED: i32 = 6;
/** TD 1.5 only: the platform was updated under a running TD; relaunching it makes it UpToDate. */
export const STATUS_TD_RELAUNCH_ADVISED: i32 = 7;
export const STATUS_TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED: i32 = 8;
export const STATUS_INVALID: i32 = -1;

const NAMES: StaticArray<string> = [
  "UpToDate", "SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded", "OutOfDate",
  "OutOfDateConfigurationNeeded", "Revoked", "TDRelaunchAdvised", "TDRelaunchAdvisedConfigurationNeeded",
];

export const STATUS_COUNT: i32 = 9;

export function statusName(status: i32): string {
  return status >= 0 && status < STATUS_COUNT ? NAMES[status] : "Invalid";
}

/** Any status name (policy input), or STATUS_INVALID. */
export function statusFromName(name: string): i32 {
  for (let i = 0; i < STATUS_COUNT; i++) if (NAMES[i] == name) return i;
  return STATUS_INVALID;
}

/** A platform TCB level status as Intel publishes it (not the QVL-only relaunch results). */
export function platformStatusFromName(name: string): i32 {
  const s = statusFromName(name);
  return s >= STATUS_UP_TO_DATE && s <= STATUS_REVOKED ? s : STATUS_INVALID;
}

/** TDX module and QE identity levels only use UpToDate, OutOfDate and Revoked. */
export function identityStatusFromName(name: string): i32 {
  const s = statusFromName(name);
  return s == STATUS_UP_TO_DATE || s == STATUS_OUT_OF_DATE || s == STATUS_REVOKED ? s : STATUS_INVALID;
}

export function isConfigurationNeeded(status: i32): bool {
  return status == STATUS_CONFIGURATION_NEEDED || status == STATUS_CONFIGURATION_AND_SW_HARDENING_NEEDED ||
    status == STATUS_OUT_OF_DATE_CONFIGURATION_NEEDED || status == STATUS_TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED;
}
