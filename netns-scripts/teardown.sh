#!/usr/bin/env bash
# usage: teardown.sh PREFIX
# Removes every namespace named PREFIX-*, stopping the processes inside them by pid, their
# /etc/netns/PREFIX-* resolver directories, and any root-namespace link named PREFIX*. Safe to run twice.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
prefix=${1:-}
lab_check_prefix "$prefix"
for ns in $(lab_namespaces "$prefix"); do
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [[ -n $pids ]] && kill $pids 2>/dev/null || true
done
for ns in $(lab_namespaces "$prefix"); do
  for _ in $(seq 1 50); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -z $pids ]] && break
    sleep 0.1
  done
  [[ -n ${pids:-} ]] && kill -9 $pids 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "/etc/netns/$ns"
done
for l in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E "^$prefix" || true); do
  ip link del "$l" 2>/dev/null || true
done
exit 0
