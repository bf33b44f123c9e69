// mesonet native: the SYN data path. One worker thread owns a NETLINK_NETFILTER socket bound to
// the NFQUEUE range and (optionally) a conntrack-event socket. Per wakeup it reads queued SYNs in
// a batch (recvmmsg), picks a backend for each from the table JS pushed, and answers the whole
// batch with ONE sendmsg carrying, per packet: ctnetlink DELETE (a stale entry from a reused client
// port, see reference ffi-nfqueue.md: EEXIST trap), ctnetlink NEW with the DNAT (and SNAT) and a
// short timeout, and the ACCEPT verdict. The kernel handles the messages in order, so the SYN
// meets its conntrack entry and everything after it is NATed by the kernel. Errors come back
// asynchronously and are counted by kind. Bytes and verdicts only; policy lives in JS.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>
#include "table.h"

namespace mesonet {

struct DataplaneOptions {
  uint16_t queueFirst = 50, queueLast = 58;
  uint32_t maxLen = 16384;
  uint32_t ctTimeoutSec = 2;
  uint32_t connectThresholdMs = 400;
  bool passiveHealth = true;
  bool snat = true;
  HealthConfig health;
};

// Counters, readable from JS at any time.
#define MESONET_COUNTERS(X)                                                                  \
  X(packets) X(batches) X(maxBatch) X(mapped) X(noBackend) X(unknownVip) X(notSyn)             \
  X(ctNew) X(ctDelete) X(ctNewEexist) X(ctNewErrors) X(ctDeleteEnoent) X(ctDeleteErrors)      \
  X(verdictErrors) X(otherErrors) X(sendErrors) X(recvErrors) X(events) X(eventOverruns)       \
  X(healthSuccess) X(healthFailure) X(healthExpired) X(retransmits) X(tables)

struct Counters {
#define MESONET_DECL(n) std::atomic<uint64_t> n{0};
  MESONET_COUNTERS(MESONET_DECL)
#undef MESONET_DECL
};

struct PendingKey {
  uint32_t src, dst;
  uint16_t sport, dport;
  bool operator==(const PendingKey& o) const { return src == o.src && dst == o.dst && sport == o.sport && dport == o.dport; }
};
struct PendingHash {
  size_t operator()(const PendingKey& k) const {
    uint64_t x = (uint64_t(k.src) << 32 | k.dst) ^ (uint64_t(k.sport) << 16 | k.dport) * 0x9e3779b97f4a7c15ULL;
    return size_t(x ^ (x >> 29));
  }
};
struct Pending {
  uint64_t backend;  // BackendKey
  int64_t t0;
};

class Dataplane {
 public:
  // Opens the sockets, binds the queues and starts the worker; on failure returns null and sets error.
  static std::unique_ptr<Dataplane> Open(const DataplaneOptions& o, std::string& error);
  ~Dataplane();
  bool SetTable(const uint32_t* a, size_t n, std::string& error);
  void Close();
  const Counters& counters() const { return counters_; }
  // Copy of the health map (under the lock).
  std::vector<Health> HealthSnapshot(int64_t& now, bool& trippedValid);
  size_t vipCount();
  const DataplaneOptions& options() const { return opts_; }

 private:
  explicit Dataplane(const DataplaneOptions& o) : opts_(o), rng_(0) {}
  void Run();
  void HandleQueueBatch();
  void HandleEvents();
  void ExpirePending(int64_t now);
  void ResolvePending(const PendingKey& k, bool success, int64_t now);

  DataplaneOptions opts_;
  int qfd_ = -1, evfd_ = -1, wakefd_ = -1;
  std::thread worker_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;  // guards table_, health_, pending_, rng_
  std::unique_ptr<Table> table_;
  HealthMap health_;
  std::unordered_map<PendingKey, Pending, PendingHash> pending_;
  int64_t lastOverrunNs_ = 0;
  uint32_t portid_ = 0;  // our queue socket's netlink port id (events we caused carry it)
  Rng rng_;
  Counters counters_;
  std::vector<char> rxbuf_, txbuf_;
};

int64_t NowNs();

}  // namespace mesonet
