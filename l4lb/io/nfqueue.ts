// The one file that loads the native addon (native/, built by binding.gyp into build/Release).
// Everything NFQUEUE/ctnetlink reaches the rest of mesonet through here.
import { createRequire } from 'node:module';

export interface NativeVersion {
  readonly version: string;
  readonly abi: number;
  readonly napi: number;
  readonly libmnl: number;
  readonly libnetfilterQueue: number;
  readonly libnetfilterConntrack: boolean;
}

interface NativeAddon {
  version(): NativeVersion;
}

/** The ABI this TypeScript side was written against; the addon must report the same. */
export const EXPECTED_NATIVE_ABI = 1;

let cached: NativeAddon | undefined;

function load(): NativeAddon {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  // dist/l4lb/io/nfqueue.js → repository root is three levels up.
  cached = require('../../../build/Release/mesonet_native.node') as NativeAddon;
  return cached;
}

/** Load the addon and check its ABI; throws with a clear message when it is missing or mismatched. */
export function nativeVersion(): NativeVersion {
  let addon: NativeAddon;
  try {
    addon = load();
  } catch (e) {
    throw new Error(`native addon not built (run 'npm run build:native'): ${e instanceof Error ? e.message : String(e)}`);
  }
  const v = addon.version();
  if (v.abi !== EXPECTED_NATIVE_ABI) {
    throw new Error(`native addon ABI ${v.abi} does not match expected ${EXPECTED_NATIVE_ABI}; rebuild with 'npm run build:native'`);
  }
  return v;
}
