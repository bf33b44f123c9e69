// l4lb: Minuteman-style VIP load balancer. The room's only public door.
export { nativeVersion, EXPECTED_NATIVE_ABI, type NativeVersion } from './io/nfqueue.js';
