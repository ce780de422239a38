#!/usr/bin/env bash
# Sets up what batchkit's tests and local runs need on a Debian machine:
#   - Debian's docker.io engine, started as `dockerd --bridge=none --iptables=false` when none answers
#   - Debian's busybox-static, imported as the local test image `local/busybox:test` (no registry needed)
#   - Debian's awscli (the AWS CLI v2), a real client of `batchkit local serve`
#   - Debian's docker-registry, which the image asset tests start on 127.0.0.1 themselves (not here)
#   - Debian's chromium, which the report and dashboard tests drive headless with playwright-core
# Idempotent: re-running it only does what is missing. Needs root (or sudo) for apt-get and dockerd.
set -euo pipefail

IMAGE="${BATCHKIT_TEST_IMAGE:-local/busybox:test}"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

log() { echo "[dev-setup] $*" >&2; }

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need_pkgs+=(busybox-static)
command -v aws >/dev/null 2>&1 || need_pkgs+=(awscli)
command -v docker-registry >/dev/null 2>&1 || need_pkgs+=(docker-registry)
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "installing ${need_pkgs[*]} from Debian"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi
# On systemd machines the package starts a registry on :5000; the tests start their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  log "stopping the docker-registry service the package started (tests run their own)"
  $SUDO systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd --bridge=none --iptables=false"
  $SUDO sh -c 'nohup dockerd --bridge=none --iptables=false >/var/log/batchkit-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then break; fi
    sleep 1
  done
  docker info >/dev/null 2>&1 || { log "dockerd did not answer in 60 s; see /var/log/batchkit-dockerd.log"; exit 1; }
fi
log "docker engine: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "building $IMAGE from Debian's busybox-static"
  busybox=$(command -v busybox || echo /bin/busybox)
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/data"
  chmod 1777 "$root/tmp"
  cp "$busybox" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  rm -rf "$root"
fi
log "test image $IMAGE ready"
