#!/usr/bin/env bash
# Sets a fresh Debian machine up for mesonet (as root): the kernel tooling and peers from Debian,
# the npm dependencies, the native addon and the TypeScript build. Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(iptables ipset conntrack iproute2 iputils-ping dnsutils haproxy procps kmod openssl curl containernetworking-plugins
      libnetfilter-queue-dev libnetfilter-conntrack-dev libmnl-dev libnfnetlink-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing Debian packages (${missing[*]}); run this script as root" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "setup: build"
npm run --silent build:ts
echo "setup: ready"
