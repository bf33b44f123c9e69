// mesonet native: the VIP table JS pushes (see l4lb/native-table.ts for the layout), per-backend
// health, and the backend choice. Same semantics as l4lb/balancer.ts and l4lb/health.ts:
// power of two choices on pending connections, weight 0 = drain, tripped backends skipped unless
// all weighted ones are tripped, draws proportional to weight, cost (pending+1)/weight.
// No locking here: the caller (dataplane.cc) holds its mutex around every use.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace mesonet {

constexpr uint32_t kTableMagic = 0x4d4e5431;  // "MNT1"
constexpr uint32_t kFlagLocal = 1;

// Backend key: IPv4 (host order) << 16 | port.
inline uint64_t BackendKey(uint32_t ip, uint16_t port) { return (uint64_t(ip) << 16) | port; }
// VIP key: BackendKey << 8 | protocol.
inline uint64_t VipKey(uint32_t ip, uint16_t port, uint8_t proto) { return (BackendKey(ip, port) << 8) | proto; }

struct Health {
  uint32_t ip = 0;
  uint16_t port = 0;
  int64_t pending = 0;
  uint64_t successes = 0, failures = 0;
  uint32_t consecutive = 0;
  int64_t lastFailureNs = 0;
  double latencyEwmaUs = 0, lastLatencyUs = 0;
  bool referenced = false;
};

struct HealthConfig {
  uint32_t failureThreshold = 5;
  int64_t backoffNs = 30'000'000'000LL;
};

inline bool Tripped(const Health& h, int64_t now, const HealthConfig& c) {
  return h.consecutive >= c.failureThreshold && h.lastFailureNs != 0 && now - h.lastFailureNs < c.backoffNs;
}
inline void RecordSuccess(Health& h, double latencyUs) {
  h.consecutive = 0;
  h.successes++;
  h.lastLatencyUs = latencyUs;
  h.latencyEwmaUs = h.successes == 1 ? latencyUs : h.latencyEwmaUs * 0.8 + latencyUs * 0.2;
}
inline void RecordFailure(Health& h, int64_t now) {
  h.consecutive++;
  h.failures++;
  h.lastFailureNs = now;
}

struct Backend {
  uint32_t ip;      // host order
  uint16_t port;
  uint32_t weight;
  uint32_t snat;    // host order, 0 = none
  bool local;
  Health* health;   // owned by HealthMap; stable (node-based map)
};

struct Vip {
  std::vector<Backend> backends;
};

struct Table {
  std::unordered_map<uint64_t, Vip> vips;
  size_t backendCount = 0;
};

using HealthMap = std::unordered_map<uint64_t, Health>;

// Parse the Uint32Array layout. It is validated first: on error nothing changes, false + `error`.
// Health pointers are filled
// from (and missing entries added to) `health`.
bool ParseTable(const uint32_t* a, size_t n, HealthMap& health, Table& out, std::string& error);

// Drop health entries no longer referenced by any table and with nothing pending.
void CollectHealth(HealthMap& health);

// xorshift64* PRNG: the data path's randomness.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed ? seed : 0x9e3779b97f4a7c15ULL) {}
  uint64_t Next() { s ^= s >> 12; s ^= s << 25; s ^= s >> 27; return s * 2685821657736338717ULL; }
  double Uniform() { return double(Next() >> 11) * (1.0 / 9007199254740992.0); }
};

// Index of the chosen backend, or -1 when none may take a new connection.
int Choose(const Vip& vip, int64_t now, const HealthConfig& c, Rng& rng);

}  // namespace mesonet
