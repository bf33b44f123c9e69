// mesonet native addon: NFQUEUE and ctnetlink for l4lb. Bytes and verdicts only, no policy.
// Loaded by exactly one file: l4lb/io/nfqueue.ts. Exports:
//   version()                      → { version, abi, napi, libmnl, libnetfilterQueue, libnetfilterConntrack }
//   new Dataplane(options)         opens the queues (throws Error with the reason) and starts the worker
//     .setTable(Uint32Array)       → number of VIPs (throws on a malformed table; the old one stays)
//     .stats()                     → { counters: {...}, backends: [{ ip, port, pending, … }] }
//     .close()
//   simulate(Uint32Array, vipIp, vipPort, n, seed, pendingPerPick) → picks per backend, from the
//     same Choose() the data path uses (tests the C balancer without netlink or root).
// ABI 2: the Dataplane class and simulate() were added.
#include <napi.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <memory>
#include "dataplane.h"

#define MESONET_NATIVE_VERSION "0.2.0"
#define MESONET_NATIVE_ABI 2

using mesonet::Dataplane;
using mesonet::DataplaneOptions;

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

static std::string IpText(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." + std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

static uint32_t NumberOr(const Napi::Object& o, const char* key, uint32_t def) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : def;
}
static bool BoolOr(const Napi::Object& o, const char* key, bool def) {
  Napi::Value v = o.Get(key);
  return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : def;
}

class DataplaneWrap : public Napi::ObjectWrap<DataplaneWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Dataplane", {
      InstanceMethod("setTable", &DataplaneWrap::SetTable),
      InstanceMethod("stats", &DataplaneWrap::Stats),
      InstanceMethod("close", &DataplaneWrap::Close),
    });
  }

  explicit DataplaneWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<DataplaneWrap>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject()) { Napi::TypeError::New(env, "Dataplane(options) needs an options object").ThrowAsJavaScriptException(); return; }
    Napi::Object o = info[0].As<Napi::Object>();
    DataplaneOptions d;
    d.queueFirst = uint16_t(NumberOr(o, "queueFirst", 50));
    d.queueLast = uint16_t(NumberOr(o, "queueLast", 58));
    d.maxLen = NumberOr(o, "maxLen", 16384);
    d.ctTimeoutSec = NumberOr(o, "ctTimeoutSec", 2);
    d.connectThresholdMs = NumberOr(o, "connectThresholdMs", 400);
    d.passiveHealth = BoolOr(o, "passiveHealth", true);
    d.snat = BoolOr(o, "snat", true);
    d.health.failureThreshold = NumberOr(o, "failureThreshold", 5);
    d.health.backoffNs = int64_t(NumberOr(o, "backoffMs", 30000)) * 1'000'000LL;
    if (d.queueLast < d.queueFirst) { Napi::RangeError::New(env, "queueLast < queueFirst").ThrowAsJavaScriptException(); return; }
    std::string error;
    dp_ = Dataplane::Open(d, error);
    if (!dp_) Napi::Error::New(env, error).ThrowAsJavaScriptException();
  }

 private:
  Napi::Value SetTable(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!dp_) { Napi::Error::New(env, "dataplane is closed").ThrowAsJavaScriptException(); return env.Undefined(); }
    if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
      Napi::TypeError::New(env, "setTable(Uint32Array)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Uint32Array a = info[0].As<Napi::Uint32Array>();
    std::string error;
    if (!dp_->SetTable(a.Data(), a.ElementLength(), error)) { Napi::Error::New(env, error).ThrowAsJavaScriptException(); return env.Undefined(); }
    return Napi::Number::New(env, double(dp_->vipCount()));
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object out = Napi::Object::New(env);
    if (!dp_) return out;
    Napi::Object c = Napi::Object::New(env);
#define MESONET_GET(n) c.Set(#n, Napi::Number::New(env, double(dp_->counters().n.load())));
    MESONET_COUNTERS(MESONET_GET)
#undef MESONET_GET
    out.Set("counters", c);
    int64_t now = 0;
    bool unused = false;
    std::vector<mesonet::Health> hs = dp_->HealthSnapshot(now, unused);
    Napi::Array arr = Napi::Array::New(env, hs.size());
    for (size_t i = 0; i < hs.size(); i++) {
      const mesonet::Health& h = hs[i];
      Napi::Object b = Napi::Object::New(env);
      b.Set("ip", IpText(h.ip));
      b.Set("port", h.port);
      b.Set("pending", double(h.pending));
      b.Set("successes", double(h.successes));
      b.Set("failures", double(h.failures));
      b.Set("consecutiveFailures", double(h.consecutive));
      b.Set("tripped", mesonet::Tripped(h, now, dp_->options().health));
      b.Set("latencyEwmaUs", h.latencyEwmaUs);
      b.Set("lastLatencyUs", h.lastLatencyUs);
      arr.Set(uint32_t(i), b);
    }
    out.Set("backends", arr);
    return out;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    if (dp_) dp_->Close();
    dp_.reset();
    return info.Env().Undefined();
  }

  std::unique_ptr<Dataplane> dp_;
};

// simulate(table, vipIp, vipPort, n, seed, pendingPerPick): run Choose() n times. When
// pendingPerPick is true each pick stays pending (exercises least-pending); otherwise none does.
static Napi::Value Simulate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsTypedArray()) { Napi::TypeError::New(env, "simulate(Uint32Array, ip, port, n, seed[, pending])").ThrowAsJavaScriptException(); return env.Undefined(); }
  Napi::Uint32Array a = info[0].As<Napi::Uint32Array>();
  mesonet::HealthMap health;
  mesonet::Table table;
  std::string error;
  if (!mesonet::ParseTable(a.Data(), a.ElementLength(), health, table, error)) { Napi::Error::New(env, error).ThrowAsJavaScriptException(); return env.Undefined(); }
  const uint32_t ip = info[1].As<Napi::Number>().Uint32Value();
  const uint16_t port = uint16_t(info[2].As<Napi::Number>().Uint32Value());
  const uint32_t n = info[3].As<Napi::Number>().Uint32Value();
  mesonet::Rng rng(uint64_t(info[4].As<Napi::Number>().Int64Value()));
  const bool keepPending = info.Length() > 5 && info[5].ToBoolean().Value();
  auto it = table.vips.find(mesonet::VipKey(ip, port, 6));
  if (it == table.vips.end()) return env.Null();
  std::vector<double> counts(it->second.backends.size(), 0);
  double none = 0;
  mesonet::HealthConfig hc;
  for (uint32_t i = 0; i < n; i++) {
    int k = mesonet::Choose(it->second, mesonet::NowNs(), hc, rng);
    if (k < 0) { none++; continue; }
    counts[size_t(k)]++;
    if (keepPending) it->second.backends[size_t(k)].health->pending++;
  }
  Napi::Array out = Napi::Array::New(env, counts.size() + 1);
  for (size_t i = 0; i < counts.size(); i++) out.Set(uint32_t(i), counts[i]);
  out.Set(uint32_t(counts.size()), none);
  return out;
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("version", Napi::Function::New(env, Version));
  exports.Set("simulate", Napi::Function::New(env, Simulate));
  exports.Set("Dataplane", DataplaneWrap::Define(env));
  return exports;
}

NODE_API_MODULE(mesonet_native, Init)
