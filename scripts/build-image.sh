#!/usr/bin/env bash
# Builds the image of Dockerfile locally, FROM scratch (no registry is reachable): a context holding
# the running Node 24 binary with the libraries ldd lists, and the harness with its production
# dependencies. Usage: scripts/build-image.sh [TAG]   (default connector-conformance:latest)
set -euo pipefail
cd "$(dirname "$0")/.."
tag="${1:-connector-conformance:latest}"
node_bin="$(node -p process.execPath)"
if [ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" -lt 24 ]; then
  echo "build-image: the image needs Node 24; put it first on PATH (see .ci/run)" >&2
  exit 2
fi
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
root="$context/rootfs"
mkdir -p "$root/usr/local/bin" "$root/etc" "$root/app" "$root/tmp"
chmod 1777 "$root/tmp"
cp "$node_bin" "$root/usr/local/bin/node"
for lib in $(ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }'); do
  cp --parents -L "$lib" "$root"
done
echo 'nobody:x:65534:65534:nobody:/tmp:/usr/sbin/nologin' >"$root/etc/passwd"
echo 'nogroup:x:65534:' >"$root/etc/group"
cp -r package.json package-lock.json bin src client mocks fixtures features "$root/app/"
cp -r node_modules "$root/app/"
(cd "$root/app" && npm prune --omit=dev --no-audit --no-fund >/dev/null 2>&1)
cp Dockerfile "$context/"
if ! docker build --quiet -t "$tag" "$context" >"$context/build.log" 2>&1; then
  cat "$context/build.log" >&2
  exit 1
fi
echo "build-image: $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{ printf "%.0f MiB", $1 / 1048576 }'))"
