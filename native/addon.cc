// mesonet native addon: NFQUEUE and ctnetlink for l4lb. Bytes and verdicts only, no policy.
// Loaded by exactly one file: l4lb/io/nfqueue.ts.
#include <napi.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#define MESONET_NATIVE_VERSION "0.1.0"
#define MESONET_NATIVE_ABI 1

static Napi::Value Version(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("version", MESONET_NATIVE_VERSION);
  out.Set("abi", MESONET_NATIVE_ABI);
  out.Set("napi", NAPI_VERSION);
  // Prove the three libraries are linked: take one symbol address from each.
  out.Set("libmnl", static_cast<double>(mnl_nlmsg_size(0)));
  struct nf_conntrack* ct = nfct_new();
  out.Set("libnetfilterConntrack", ct != nullptr);
  if (ct) nfct_destroy(ct);
  out.Set("libnetfilterQueue", static_cast<double>(sizeof(struct nfqnl_msg_packet_hdr)));
  return out;
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("version", Napi::Function::New(env, Version));
  return exports;
}

NODE_API_MODULE(mesonet_native, Init)
