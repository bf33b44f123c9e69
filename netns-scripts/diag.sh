#!/usr/bin/env bash
# usage: diag.sh PREFIX
# Dumps, for every namespace PREFIX-*: addresses, routes, neighbours, FDB, iptables-save, ipset list,
# and conntrack counts. Read-only.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
prefix=${1:-}
lab_check_prefix "$prefix"
for ns in $(lab_namespaces "$prefix"); do
  echo "===== $ns"
  echo "--- addresses"; ip -n "$ns" -br addr
  echo "--- routes"; ip -n "$ns" route
  echo "--- neighbours"; ip -n "$ns" neigh
  echo "--- fdb"; ip netns exec "$ns" bridge fdb show 2>/dev/null | grep -v 'permanent$' | head -100
  echo "--- iptables-save"; ip netns exec "$ns" iptables-save 2>/dev/null
  echo "--- ipset list"; ip netns exec "$ns" ipset list 2>/dev/null
  echo "--- conntrack"; ip netns exec "$ns" conntrack -C 2>/dev/null || echo "(conntrack unavailable)"
  echo "--- processes"; ip netns pids "$ns" 2>/dev/null | xargs -r ps -o pid=,args= -p 2>/dev/null
done
