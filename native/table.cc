// mesonet native: table parsing and backend choice (see table.h).
#include "table.h"

namespace mesonet {

namespace {
// First pass: check the layout without touching anything.
bool Validate(const uint32_t* a, size_t n, std::string& error) {
  if (n < 2 || a[0] != kTableMagic) { error = "table: bad magic"; return false; }
  size_t i = 2;
  for (uint32_t v = 0; v < a[1]; v++) {
    if (i + 4 > n) { error = "table: truncated VIP"; return false; }
    uint32_t port = a[i + 1], proto = a[i + 2], nb = a[i + 3];
    i += 4;
    if (port == 0 || port > 65535 || (proto != 6 && proto != 17)) { error = "table: bad VIP port or protocol"; return false; }
    if (nb > (n - i) / 5) { error = "table: truncated backends"; return false; }
    for (uint32_t b = 0; b < nb; b++, i += 5) {
      if (a[i + 1] == 0 || a[i + 1] > 65535) { error = "table: bad backend port"; return false; }
    }
  }
  if (i != n) { error = "table: trailing data"; return false; }
  return true;
}
}  // namespace

bool ParseTable(const uint32_t* a, size_t n, HealthMap& health, Table& out, std::string& error) {
  if (!Validate(a, n, error)) return false;
  for (auto& kv : health) kv.second.referenced = false;
  size_t i = 2;
  for (uint32_t v = 0; v < a[1]; v++) {
    uint32_t ip = a[i], port = a[i + 1], proto = a[i + 2], nb = a[i + 3];
    i += 4;
    Vip& vip = out.vips[VipKey(ip, uint16_t(port), uint8_t(proto))];
    vip.backends.reserve(vip.backends.size() + nb);
    for (uint32_t b = 0; b < nb; b++, i += 5) {
      Backend be{a[i], uint16_t(a[i + 1]), a[i + 2], a[i + 3], (a[i + 4] & kFlagLocal) != 0, nullptr};
      Health& h = health[BackendKey(be.ip, be.port)];
      h.ip = be.ip;
      h.port = be.port;
      h.referenced = true;
      be.health = &h;
      vip.backends.push_back(be);
      out.backendCount++;
    }
  }
  return true;
}

void CollectHealth(HealthMap& health) {
  for (auto it = health.begin(); it != health.end();) {
    if (!it->second.referenced && it->second.pending <= 0) it = health.erase(it);
    else ++it;
  }
}

namespace {
int Draw(const Vip& vip, const int* pool, int n, double total, Rng& rng) {
  double x = rng.Uniform() * total;
  for (int k = 0; k < n; k++) {
    x -= vip.backends[pool[k]].weight;
    if (x < 0) return k;
  }
  return n - 1;
}
}  // namespace

int Choose(const Vip& vip, int64_t now, const HealthConfig& c, Rng& rng) {
  const int nb = int(vip.backends.size());
  if (nb == 0) return -1;
  std::vector<int> open, weighted;
  open.reserve(nb);
  weighted.reserve(nb);
  double openTotal = 0, weightedTotal = 0;
  for (int i = 0; i < nb; i++) {
    const Backend& b = vip.backends[i];
    if (b.weight == 0) continue;
    weighted.push_back(i);
    weightedTotal += b.weight;
    if (!Tripped(*b.health, now, c)) { open.push_back(i); openTotal += b.weight; }
  }
  std::vector<int>& pool = open.empty() ? weighted : open;
  double total = open.empty() ? weightedTotal : openTotal;
  const int n = int(pool.size());
  if (n == 0) return -1;
  const int k1 = Draw(vip, pool.data(), n, total, rng);
  const int first = pool[k1];
  if (n == 1) return first;
  // Second draw among the others: move the first to the end and draw from the rest.
  std::swap(pool[k1], pool[n - 1]);
  const int second = pool[Draw(vip, pool.data(), n - 1, total - vip.backends[first].weight, rng)];
  auto cost = [&](int i) { return double(vip.backends[i].health->pending + 1) / vip.backends[i].weight; };
  return cost(second) < cost(first) ? second : first;
}

}  // namespace mesonet
