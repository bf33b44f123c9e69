// mesonet native: the SYN data path (see dataplane.h). Longer than 250 lines: the netlink
// message building, the queue loop and the event loop belong together.
#include "dataplane.h"

#include <arpa/inet.h>
#include <initializer_list>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>

namespace mesonet {

namespace {
constexpr int kBatch = 64;
constexpr size_t kSlot = 2048;           // one queued SYN is < 400 bytes (copy range 128)
constexpr size_t kTx = 64 * 1024;        // one batch of DELETE+NEW+VERDICT is < 40 KiB
constexpr size_t kPendingMax = 262144;
constexpr uint16_t kCopyRange = 128;

void Bump(std::atomic<uint64_t>& c, uint64_t n = 1) { c.fetch_add(n, std::memory_order_relaxed); }

void SetBuf(int fd, int force, int plain, int bytes) {
  if (setsockopt(fd, SOL_SOCKET, force, &bytes, sizeof bytes) < 0) setsockopt(fd, SOL_SOCKET, plain, &bytes, sizeof bytes);
}

int OpenNetlink(std::initializer_list<unsigned> groups, std::string& error) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_NETFILTER);
  if (fd < 0) { error = std::string("netlink socket: ") + strerror(errno); return -1; }
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) { error = std::string("netlink bind: ") + strerror(errno); close(fd); return -1; }
  int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  SetBuf(fd, SO_RCVBUFFORCE, SO_RCVBUF, 16 << 20);
  SetBuf(fd, SO_SNDBUFFORCE, SO_SNDBUF, 4 << 20);
  for (unsigned group : groups) {
    if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0) {
      error = std::string("conntrack events: ") + strerror(errno);
      close(fd);
      return -1;
    }
  }
  return fd;
}

// Send one config message for `queue` and wait for its ack; stray queued packets are accepted.
bool QueueConfig(int fd, uint16_t queue, uint32_t seq, void (*fill)(nlmsghdr*, const DataplaneOptions&), const DataplaneOptions& o, std::string& error) {
  char buf[MNL_SOCKET_BUFFER_SIZE];
  nlmsghdr* nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, queue);
  nlh->nlmsg_flags |= NLM_F_ACK;
  nlh->nlmsg_seq = seq;
  fill(nlh, o);
  if (send(fd, nlh, nlh->nlmsg_len, 0) < 0) { error = std::string("queue config send: ") + strerror(errno); return false; }
  int64_t deadline = NowNs() + 2'000'000'000LL;
  while (NowNs() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    ssize_t got = recv(fd, buf, sizeof buf, 0);
    if (got < 0) { if (errno == EAGAIN || errno == EINTR) continue; error = std::string("queue config recv: ") + strerror(errno); return false; }
    int n = int(got);
    for (nlmsghdr* m = reinterpret_cast<nlmsghdr*>(buf); mnl_nlmsg_ok(m, n); m = mnl_nlmsg_next(m, &n)) {
      if (m->nlmsg_type == NLMSG_ERROR && m->nlmsg_seq == seq) {
        int e = -static_cast<nlmsgerr*>(mnl_nlmsg_get_payload(m))->error;
        if (e) { error = "bind NFQUEUE " + std::to_string(queue) + ": " + strerror(e); return false; }
        return true;
      }
      if (NFNL_SUBSYS_ID(m->nlmsg_type) == NFNL_SUBSYS_QUEUE && NFNL_MSG_TYPE(m->nlmsg_type) == NFQNL_MSG_PACKET) {
        nlattr* attr[NFQA_MAX + 1] = {};
        if (nfq_nlmsg_parse(m, attr) < 0 || !attr[NFQA_PACKET_HDR]) continue;
        auto* ph = static_cast<nfqnl_msg_packet_hdr*>(mnl_attr_get_payload(attr[NFQA_PACKET_HDR]));
        char vb[256];
        nlmsghdr* v = nfq_nlmsg_put(vb, NFQNL_MSG_VERDICT, ntohs(static_cast<nfgenmsg*>(mnl_nlmsg_get_payload(m))->res_id));
        nfq_nlmsg_verdict_put(v, ntohl(ph->packet_id), NF_ACCEPT);
        send(fd, v, v->nlmsg_len, 0);
      }
    }
  }
  error = "bind NFQUEUE " + std::to_string(queue) + ": no answer from the kernel";
  return false;
}

void PutTuple(nlmsghdr* nlh, uint16_t type, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport) {
  nlattr* t = mnl_attr_nest_start(nlh, type);
  nlattr* ip = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
  mnl_attr_put_u32(nlh, CTA_IP_V4_SRC, htonl(src));
  mnl_attr_put_u32(nlh, CTA_IP_V4_DST, htonl(dst));
  mnl_attr_nest_end(nlh, ip);
  nlattr* pr = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
  mnl_attr_put_u8(nlh, CTA_PROTO_NUM, IPPROTO_TCP);
  mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(sport));
  mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(dport));
  mnl_attr_nest_end(nlh, pr);
  mnl_attr_nest_end(nlh, t);
}

void PutNat(nlmsghdr* nlh, uint16_t type, uint32_t ip, uint16_t pmin, uint16_t pmax) {
  nlattr* n = mnl_attr_nest_start(nlh, type);
  mnl_attr_put_u32(nlh, CTA_NAT_V4_MINIP, htonl(ip));
  mnl_attr_put_u32(nlh, CTA_NAT_V4_MAXIP, htonl(ip));
  nlattr* p = mnl_attr_nest_start(nlh, CTA_NAT_PROTO);
  mnl_attr_put_u16(nlh, CTA_PROTONAT_PORT_MIN, htons(pmin));
  mnl_attr_put_u16(nlh, CTA_PROTONAT_PORT_MAX, htons(pmax));
  mnl_attr_nest_end(nlh, p);
  mnl_attr_nest_end(nlh, n);
}

nlmsghdr* CtHeader(char* at, uint16_t msg, uint16_t flags) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(at);
  nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | msg;
  nlh->nlmsg_flags = NLM_F_REQUEST | flags;
  auto* g = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nfgenmsg)));
  g->nfgen_family = AF_INET;
  g->version = NFNETLINK_V0;
  g->res_id = 0;
  return nlh;
}

// Attributes in [start, end) into tb[0..max] (libmnl's for_each macros are C-only).
void Attrs(const void* start, const void* end, const nlattr** tb, int max) {
  for (int i = 0; i <= max; i++) tb[i] = nullptr;
  const nlattr* a = static_cast<const nlattr*>(start);
  while (mnl_attr_ok(a, int(static_cast<const char*>(end) - reinterpret_cast<const char*>(a)))) {
    int t = mnl_attr_get_type(a);
    if (t <= max) tb[t] = a;
    a = mnl_attr_next(a);
  }
}

void Nested(const nlattr* nest, const nlattr** tb, int max) {
  Attrs(mnl_attr_get_payload(nest), reinterpret_cast<const char*>(nest) + mnl_attr_get_len(nest), tb, max);
}
}  // namespace

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec;
}

std::unique_ptr<Dataplane> Dataplane::Open(const DataplaneOptions& o, std::string& error) {
  std::unique_ptr<Dataplane> d(new Dataplane(o));
  d->rng_ = Rng(uint64_t(NowNs()) ^ (uint64_t(getpid()) << 32));
  d->table_ = std::make_unique<Table>();
  d->rxbuf_.resize(kBatch * kSlot);
  d->txbuf_.resize(kTx);
  d->wakefd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (d->wakefd_ < 0) { error = std::string("eventfd: ") + strerror(errno); return nullptr; }
  d->qfd_ = OpenNetlink({}, error);
  if (d->qfd_ < 0) return nullptr;
  sockaddr_nl self{};
  socklen_t slen = sizeof self;
  getsockname(d->qfd_, reinterpret_cast<sockaddr*>(&self), &slen);
  d->portid_ = self.nl_pid;
  int one = 1;
  setsockopt(d->qfd_, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
  uint32_t seq = 1;
  for (uint32_t q = o.queueFirst; q <= o.queueLast; q++) {
    auto bindq = [](nlmsghdr* n, const DataplaneOptions&) { nfq_nlmsg_cfg_put_cmd(n, AF_INET, NFQNL_CFG_CMD_BIND); };
    auto params = [](nlmsghdr* n, const DataplaneOptions& op) {
      nfq_nlmsg_cfg_put_params(n, NFQNL_COPY_PACKET, kCopyRange);
      nfq_nlmsg_cfg_put_qmaxlen(n, op.maxLen);
    };
    if (!QueueConfig(d->qfd_, uint16_t(q), seq++, bindq, o, error)) return nullptr;
    if (!QueueConfig(d->qfd_, uint16_t(q), seq++, params, o, error)) return nullptr;
  }
  if (o.passiveHealth) {
    // UPDATE: the reply (SYN-ACK) or a reset; DESTROY: an entry killed at once by a reset to the SYN.
    d->evfd_ = OpenNetlink({NFNLGRP_CONNTRACK_UPDATE, NFNLGRP_CONNTRACK_DESTROY}, error);
    if (d->evfd_ < 0) return nullptr;
  }
  d->worker_ = std::thread([p = d.get()] { p->Run(); });
  return d;
}

Dataplane::~Dataplane() { Close(); }

void Dataplane::Close() {
  if (!stop_.exchange(true) && worker_.joinable()) {
    uint64_t one = 1;
    (void)!write(wakefd_, &one, sizeof one);
    worker_.join();
  }
  for (int* fd : {&qfd_, &evfd_, &wakefd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

bool Dataplane::SetTable(const uint32_t* a, size_t n, std::string& error) {
  auto t = std::make_unique<Table>();
  std::lock_guard<std::mutex> lock(mu_);
  if (!ParseTable(a, n, health_, *t, error)) return false;
  table_.swap(t);
  t.reset();  // the old table's health pointers may dangle after collection
  CollectHealth(health_);
  Bump(counters_.tables);
  return true;
}

size_t Dataplane::vipCount() {
  std::lock_guard<std::mutex> lock(mu_);
  return table_->vips.size();
}

std::vector<Health> Dataplane::HealthSnapshot(int64_t& now, bool&) {
  std::lock_guard<std::mutex> lock(mu_);
  now = NowNs();
  std::vector<Health> out;
  out.reserve(health_.size());
  for (auto& kv : health_) out.push_back(kv.second);
  return out;
}

void Dataplane::Run() {
  pollfd fds[3] = {{wakefd_, POLLIN, 0}, {qfd_, POLLIN, 0}, {evfd_, POLLIN, 0}};
  const int nfds = evfd_ >= 0 ? 3 : 2;
  int64_t lastExpire = 0;
  while (!stop_.load()) {
    int r = poll(fds, nfds, 20);
    if (stop_.load()) break;
    if (r > 0 && (fds[1].revents & POLLIN)) HandleQueueBatch();
    if (r > 0 && nfds == 3 && (fds[2].revents & POLLIN)) HandleEvents();
    int64_t now = NowNs();
    if (opts_.passiveHealth && now - lastExpire > 10'000'000) {
      ExpirePending(now);
      lastExpire = now;
    }
  }
}

void Dataplane::HandleQueueBatch() {
  mmsghdr msgs[kBatch];
  iovec iov[kBatch];
  for (int i = 0; i < kBatch; i++) {
    iov[i] = {rxbuf_.data() + i * kSlot, kSlot};
    msgs[i] = {};
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  int got = recvmmsg(qfd_, msgs, kBatch, MSG_DONTWAIT, nullptr);
  if (got <= 0) {
    if (got < 0 && errno != EAGAIN && errno != EINTR) Bump(counters_.recvErrors);
    return;
  }
  Bump(counters_.batches);
  uint64_t prev = counters_.maxBatch.load();
  while (uint64_t(got) > prev && !counters_.maxBatch.compare_exchange_weak(prev, uint64_t(got))) {}
  char* tx = txbuf_.data();
  size_t off = 0;
  auto flush = [&] {
    if (off && send(qfd_, tx, off, 0) < 0) Bump(counters_.sendErrors);
    off = 0;
  };
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = NowNs();
  for (int i = 0; i < got; i++) {
    int len = int(msgs[i].msg_len);
    for (nlmsghdr* m = reinterpret_cast<nlmsghdr*>(rxbuf_.data() + i * kSlot); mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
      if (m->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<nlmsgerr*>(mnl_nlmsg_get_payload(m));
        if (e->error == 0) continue;
        const uint16_t t = e->msg.nlmsg_type;
        if (NFNL_SUBSYS_ID(t) == NFNL_SUBSYS_CTNETLINK && NFNL_MSG_TYPE(t) == IPCTNL_MSG_CT_DELETE) Bump(-e->error == ENOENT ? counters_.ctDeleteEnoent : counters_.ctDeleteErrors);
        else if (NFNL_SUBSYS_ID(t) == NFNL_SUBSYS_CTNETLINK && NFNL_MSG_TYPE(t) == IPCTNL_MSG_CT_NEW) Bump(-e->error == EEXIST ? counters_.ctNewEexist : counters_.ctNewErrors);
        else if (NFNL_SUBSYS_ID(t) == NFNL_SUBSYS_QUEUE) Bump(counters_.verdictErrors);
        else Bump(counters_.otherErrors);
        continue;
      }
      if (NFNL_SUBSYS_ID(m->nlmsg_type) != NFNL_SUBSYS_QUEUE || NFNL_MSG_TYPE(m->nlmsg_type) != NFQNL_MSG_PACKET) continue;
      nlattr* attr[NFQA_MAX + 1] = {};
      if (nfq_nlmsg_parse(m, attr) < 0 || !attr[NFQA_PACKET_HDR]) continue;
      Bump(counters_.packets);
      auto* ph = static_cast<nfqnl_msg_packet_hdr*>(mnl_attr_get_payload(attr[NFQA_PACKET_HDR]));
      const uint16_t queue = ntohs(static_cast<nfgenmsg*>(mnl_nlmsg_get_payload(m))->res_id);
      if (off + 1024 > kTx) flush();
      // Parse IPv4 + TCP; anything else is accepted unchanged.
      const uint8_t* p = attr[NFQA_PAYLOAD] ? static_cast<const uint8_t*>(mnl_attr_get_payload(attr[NFQA_PAYLOAD])) : nullptr;
      const int plen = attr[NFQA_PAYLOAD] ? int(mnl_attr_get_payload_len(attr[NFQA_PAYLOAD])) : 0;
      const int ihl = p && plen >= 20 ? (p[0] & 15) * 4 : 0;
      const bool syn = p && plen >= 20 && (p[0] >> 4) == 4 && ihl >= 20 && plen >= ihl + 14 && p[9] == IPPROTO_TCP &&
                       (((p[6] << 8) | p[7]) & 0x1fff) == 0 && (p[ihl + 13] & 0x17) == 0x02;
      if (!syn) Bump(counters_.notSyn);
      const Backend* be = nullptr;
      uint32_t src = 0, dst = 0;
      uint16_t sport = 0, dport = 0;
      if (syn) {
        src = uint32_t(p[12]) << 24 | p[13] << 16 | p[14] << 8 | p[15];
        dst = uint32_t(p[16]) << 24 | p[17] << 16 | p[18] << 8 | p[19];
        sport = uint16_t(p[ihl] << 8 | p[ihl + 1]);
        dport = uint16_t(p[ihl + 2] << 8 | p[ihl + 3]);
        auto it = table_->vips.find(VipKey(dst, dport, IPPROTO_TCP));
        if (it == table_->vips.end()) Bump(counters_.unknownVip);
        else {
          int idx = Choose(it->second, now, opts_.health, rng_);
          if (idx < 0) Bump(counters_.noBackend);
          else be = &it->second.backends[size_t(idx)];
        }
      }
      if (be) {
        const bool localClient = ph->hook == NF_INET_LOCAL_OUT;
        uint32_t snat = 0;
        if (opts_.snat) snat = be->local ? (localClient ? 0x7f000001u : 0u) : be->snat;
        // A stale entry for this tuple (reused client port) would swallow the SYN un-NATed: delete first.
        nlmsghdr* del = CtHeader(tx + off, IPCTNL_MSG_CT_DELETE, 0);
        PutTuple(del, CTA_TUPLE_ORIG, src, dst, sport, dport);
        off += del->nlmsg_len;
        nlmsghdr* nw = CtHeader(tx + off, IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_EXCL);
        PutTuple(nw, CTA_TUPLE_ORIG, src, dst, sport, dport);
        PutTuple(nw, CTA_TUPLE_REPLY, dst, src, dport, sport);
        mnl_attr_put_u32(nw, CTA_TIMEOUT, htonl(opts_.ctTimeoutSec));
        nlattr* pi = mnl_attr_nest_start(nw, CTA_PROTOINFO);
        nlattr* pt = mnl_attr_nest_start(nw, CTA_PROTOINFO_TCP);
        mnl_attr_put_u8(nw, CTA_PROTOINFO_TCP_STATE, TCP_CONNTRACK_SYN_SENT);
        mnl_attr_nest_end(nw, pt);
        mnl_attr_nest_end(nw, pi);
        PutNat(nw, CTA_NAT_DST, be->ip, be->port, be->port);
        if (snat) PutNat(nw, CTA_NAT_SRC, snat, 1024, 65535);
        off += nw->nlmsg_len;
        Bump(counters_.ctDelete);
        Bump(counters_.ctNew);
        Bump(counters_.mapped);
        if (opts_.passiveHealth) {
          PendingKey k{src, dst, sport, dport};
          auto pit = pending_.find(k);
          if (pit != pending_.end()) {  // a retransmitted SYN: the previous attempt got no answer
            Bump(counters_.retransmits);
            ResolvePending(k, false, now);
          }
          if (pending_.size() < kPendingMax) {
            pending_[k] = Pending{BackendKey(be->ip, be->port), now};
            be->health->pending++;
          }
        }
      }
      nlmsghdr* v = nfq_nlmsg_put(tx + off, NFQNL_MSG_VERDICT, queue);
      nfq_nlmsg_verdict_put(v, int(ntohl(ph->packet_id)), NF_ACCEPT);
      off += v->nlmsg_len;
    }
  }
  flush();
}

void Dataplane::ResolvePending(const PendingKey& k, bool success, int64_t now) {
  auto it = pending_.find(k);
  if (it == pending_.end()) return;
  auto h = health_.find(it->second.backend);
  if (h != health_.end()) {
    h->second.pending--;
    if (success) RecordSuccess(h->second, double(now - it->second.t0) / 1000.0);
    else RecordFailure(h->second, now);
  }
  Bump(success ? counters_.healthSuccess : counters_.healthFailure);
  pending_.erase(it);
}

void Dataplane::ExpirePending(int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t limit = int64_t(opts_.connectThresholdMs) * 1'000'000LL;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (now - it->second.t0 <= limit) { ++it; continue; }
    Bump(counters_.healthExpired);
    auto h = health_.find(it->second.backend);
    // Lost events (socket overrun) must not count as backend failures.
    if (it->second.t0 > lastOverrunNs_) {
      if (h != health_.end()) RecordFailure(h->second, now);
      Bump(counters_.healthFailure);
    }
    if (h != health_.end()) h->second.pending--;
    it = pending_.erase(it);
  }
}

void Dataplane::HandleEvents() {
  for (int round = 0; round < 16; round++) {
    mmsghdr msgs[kBatch];
    iovec iov[kBatch];
    for (int i = 0; i < kBatch; i++) {
      iov[i] = {rxbuf_.data() + i * kSlot, kSlot};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int got = recvmmsg(evfd_, msgs, kBatch, MSG_DONTWAIT, nullptr);
    if (got <= 0) {
      if (got < 0 && errno == ENOBUFS) {
        Bump(counters_.eventOverruns);
        std::lock_guard<std::mutex> lock(mu_);
        lastOverrunNs_ = NowNs();
        continue;
      }
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t now = NowNs();
    for (int i = 0; i < got; i++) {
      int len = int(msgs[i].msg_len);
      for (nlmsghdr* m = reinterpret_cast<nlmsghdr*>(rxbuf_.data() + i * kSlot); mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
        if (NFNL_SUBSYS_ID(m->nlmsg_type) != NFNL_SUBSYS_CTNETLINK) continue;
        Bump(counters_.events);
        const nlattr* top[CTA_MAX + 1];
        Attrs(mnl_nlmsg_get_payload_offset(m, sizeof(nfgenmsg)), mnl_nlmsg_get_payload_tail(m), top, CTA_MAX);
        if (!top[CTA_TUPLE_ORIG]) continue;
        const nlattr* tup[CTA_TUPLE_MAX + 1];
        const nlattr* ip[CTA_IP_MAX + 1];
        const nlattr* pr[CTA_PROTO_MAX + 1];
        Nested(top[CTA_TUPLE_ORIG], tup, CTA_TUPLE_MAX);
        if (!tup[CTA_TUPLE_IP] || !tup[CTA_TUPLE_PROTO]) continue;
        Nested(tup[CTA_TUPLE_IP], ip, CTA_IP_MAX);
        Nested(tup[CTA_TUPLE_PROTO], pr, CTA_PROTO_MAX);
        if (!ip[CTA_IP_V4_SRC] || !ip[CTA_IP_V4_DST] || !pr[CTA_PROTO_NUM] || mnl_attr_get_u8(pr[CTA_PROTO_NUM]) != IPPROTO_TCP) continue;
        if (!pr[CTA_PROTO_SRC_PORT] || !pr[CTA_PROTO_DST_PORT]) continue;
        PendingKey k{ntohl(mnl_attr_get_u32(ip[CTA_IP_V4_SRC])), ntohl(mnl_attr_get_u32(ip[CTA_IP_V4_DST])),
                     ntohs(mnl_attr_get_u16(pr[CTA_PROTO_SRC_PORT])), ntohs(mnl_attr_get_u16(pr[CTA_PROTO_DST_PORT]))};
        if (pending_.find(k) == pending_.end()) continue;
        if (NFNL_MSG_TYPE(m->nlmsg_type) == IPCTNL_MSG_CT_DELETE) {
          // Destroyed by the kernel before any reply was seen (a reset answered the SYN). Our own
          // DELETEs of stale entries carry our port id and are not the backend's doing.
          if (m->nlmsg_pid != portid_) ResolvePending(k, false, now);
          continue;
        }
        int state = -1;
        if (top[CTA_PROTOINFO]) {
          const nlattr* pi[CTA_PROTOINFO_MAX + 1];
          Nested(top[CTA_PROTOINFO], pi, CTA_PROTOINFO_MAX);
          if (pi[CTA_PROTOINFO_TCP]) {
            const nlattr* tcp[CTA_PROTOINFO_TCP_MAX + 1];
            Nested(pi[CTA_PROTOINFO_TCP], tcp, CTA_PROTOINFO_TCP_MAX);
            if (tcp[CTA_PROTOINFO_TCP_STATE]) state = mnl_attr_get_u8(tcp[CTA_PROTOINFO_TCP_STATE]);
          }
        }
        const uint32_t status = top[CTA_STATUS] ? ntohl(mnl_attr_get_u32(top[CTA_STATUS])) : 0;
        if (state == TCP_CONNTRACK_CLOSE) ResolvePending(k, false, now);  // reset by the backend
        else if (status & IPS_SEEN_REPLY) ResolvePending(k, true, now);
      }
    }
  }
}

}  // namespace mesonet
