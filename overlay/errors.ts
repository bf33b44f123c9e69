// The overlay room's error vocabulary. Expected outcomes (an exhausted subnet, an unknown agent) are
// values of these types; boundaries map them once: HTTP {code,message} with a 4xx/5xx on the master,
// CNI {cniVersion,code,msg,details} in the plugin. Pure.

/** Why a lease could not be made. */
export type LeaseErrorCode = 'subnet-exhausted' | 'vtep-exhausted' | 'bad-agent' | 'store-failed';

export interface LeaseError {
  readonly code: LeaseErrorCode;
  readonly message: string;
}

/**
 * CNI error codes. 1–11 are the spec's (SPEC.md "Error"); 100 and up are this plugin's own.
 */
export const CNI_ERR = Object.freeze({
  INCOMPATIBLE_VERSION: 1,
  UNSUPPORTED_FIELD: 2,
  UNKNOWN_CONTAINER: 3,
  INVALID_ENV: 4,
  IO_FAILURE: 5,
  DECODE_FAILURE: 6,
  INVALID_CONFIG: 7,
  TRY_AGAIN_LATER: 11,
  /** The agent's address range has no free address. */
  ADDRESS_EXHAUSTED: 100,
  /** CNI_NETNS does not name an existing network namespace. */
  NETNS_NOT_FOUND: 101,
  /** The interface (CNI_IFNAME) already exists in the container. */
  INTERFACE_EXISTS: 102,
  /** The overlay bridge is missing on this host (the overlay agent has not programmed it yet). */
  BRIDGE_MISSING: 103,
  /** CHECK found the attachment missing or different from prevResult. */
  CHECK_FAILED: 104,
  /** A kernel command failed while attaching; everything done so far was rolled back. */
  ATTACH_FAILED: 105,
});

export type CniErrorCode = (typeof CNI_ERR)[keyof typeof CNI_ERR];

/** A CNI failure as a value; rendered to the spec's error JSON by cni-spec.ts. */
export interface CniError {
  readonly code: CniErrorCode;
  readonly msg: string;
  readonly details?: string;
}

export const cniError = (code: CniErrorCode, msg: string, details?: string): CniError =>
  details === undefined ? { code, msg } : { code, msg, details };

/** Thrown only inside the plugin's imperative layer to unwind to the single boundary in cni.ts. */
export class CniFailure extends Error {
  constructor(readonly error: CniError) {
    super(error.msg);
    this.name = 'CniFailure';
  }
}
