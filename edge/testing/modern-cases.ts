// Conformance cases whose expected haproxy.cfg uses directives HAProxy 2.1+ removed (reqirep,
// rspirep, rspadd in marathon-lb's default templates). mesonet emits the modern equivalent for
// them; the conformance test checks this list is exact and modern-haproxy.test.ts validates
// their modern output with `haproxy -c`.
export const MODERN_CASES: readonly string[] = [
  '021-config-simple-app-long-backend-proxypass', '025-config-simple-app-multiple-vhost-path-redirect-hsts',
  '029-config-simple-app-proxypass', '030-config-simple-app-proxypass-health-check', '032-config-simple-app-revproxy',
  '033-config-simple-app-revproxy-health-check', '067-additional-options-config-simple-app-long-backend-proxypass',
  '071-additional-options-config-simple-app-multiple-vhost-path-redirect-hsts', '075-additional-options-config-simple-app-proxypass',
  '076-additional-options-config-simple-app-proxypass-health-check', '078-additional-options-config-simple-app-revproxy',
  '079-additional-options-config-simple-app-revproxy-health-check', '113-duplicated-options-config-simple-app-long-backend-proxypass',
  '117-duplicated-options-config-simple-app-multiple-vhost-path-redirect-hsts', '121-duplicated-options-config-simple-app-proxypass',
  '122-duplicated-options-config-simple-app-proxypass-health-check', '124-duplicated-options-config-simple-app-revproxy',
  '125-duplicated-options-config-simple-app-revproxy-health-check', 'G18-auth-sticky-hsts-redirect',
];
