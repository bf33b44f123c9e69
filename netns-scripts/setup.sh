#!/usr/bin/env bash
# usage: setup.sh PREFIX N
# Builds a lab of N hosts: namespaces PREFIX-h1..PREFIX-hN, each with eth0 (198.18.0.(10+i)/20) on a
# bridge br0 that lives in the underlay namespace PREFIX-ul. Nothing is created in the root namespace.
# Idempotent: running it twice leaves the same lab. Prints one line per host: `host <ns> <ip>`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
prefix=${1:-}; n=${2:-}
lab_check_prefix "$prefix"
[[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 200)) || { echo "N must be 1-200 (got '$n')" >&2; exit 2; }

ul=$(lab_underlay "$prefix")
ip netns list | grep -qw "^$ul" || ip netns add "$ul"
ip -n "$ul" link set lo up
ip -n "$ul" link show br0 >/dev/null 2>&1 || ip -n "$ul" link add br0 type bridge
ip -n "$ul" link set br0 up

for ((i = 1; i <= n; i++)); do
  h=$(lab_host "$prefix" "$i"); addr=$(lab_host_ip "$i")
  ip netns list | grep -qw "^$h" || ip netns add "$h"
  ip -n "$h" link set lo up
  if ! ip -n "$ul" link show "h$i" >/dev/null 2>&1; then
    ip -n "$h" link del eth0 2>/dev/null || true
    ip -n "$ul" link add "h$i" type veth peer name eth0 netns "$h"
  fi
  ip -n "$ul" link set "h$i" master br0 up
  ip -n "$h" addr replace "$addr/20" dev eth0
  ip -n "$h" link set eth0 up
  ip netns exec "$h" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  echo "host $h $addr"
done
