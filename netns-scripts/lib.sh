# Shared by setup.sh, teardown.sh and diag.sh. Lab addresses come only from 198.18.0.0/15:
# underlay 198.18.0.0/20 (host i = 198.18.0.(10+i)), VTEPs 198.18.16.0/20, VIPs 198.18.128.0/17,
# overlay 198.19.0.0/16.
lab_check_prefix() {
  local p=${1:-}
  if [[ ! $p =~ ^[a-z][a-z0-9]{1,9}$ ]]; then
    echo "prefix must be 2-10 characters [a-z0-9], starting with a letter (got '$p')" >&2
    exit 2
  fi
}
lab_underlay() { echo "$1-ul"; }
lab_host() { echo "$1-h$2"; }
lab_host_ip() { echo "198.18.0.$((10 + $1))"; }
lab_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$1-" || true; }
