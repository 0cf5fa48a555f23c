#!/usr/bin/env bash
# Builds the Hearth SD card image: out/hearth-<version>-arm64.img.xz (+ .sha256, .bmap, manifest)
# and the update bundle of the same system, out/hearth-<version>-arm64.raucb.
# `image/build.sh bundle` (make bundle) stops before the image is published: the bundle alone.
#
# Runs the numbered steps beside this file in order (NN-name/run.sh), each small and
# single-purpose, and prints how long each took. Needs root (chroot, file ownership in the root
# filesystem) and a Debian or Ubuntu host; step 00 installs the host tools with apt.
# See image/README.md.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "building the image needs root (chroot and root-owned files); run: sudo make image"
[ -f "$REPO_DIR/dist/hearthd/hearth.mjs" ] || die "dist/hearthd/hearth.mjs is missing; run: make build"

target=${1:-image}
case $target in image | bundle) ;; *) die "unknown target '$target' (image or bundle)" ;; esac
export HEARTH_BUILD_TARGET=$target
mkdir -p "$OUT_DIR" "$CACHE_DIR" "$WORK_DIR"
rm -f "$WORK_DIR"/summary*
say "Hearth $HEARTH_VERSION image for arm64 (Debian $HEARTH_SUITE, Node.js $NODE_VERSION, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
build_start=$(date +%s)
timings=()
for step in "$IMAGE_DIR"/[0-9][0-9]-*/run.sh; do
  name=$(basename "$(dirname "$step")")
  [ "$target" = bundle ] && [ "$name" = 80-publish ] && continue
  # HEARTH_BUILD_FROM=40: again from step 40 on the root file system an earlier build left in
  # out/work (make update-test's bundles of one commit differ only from there on).
  [ "${name%%-*}" -lt "${HEARTH_BUILD_FROM:-0}" ] && [ "${name%%-*}" -gt 10 ] && continue
  say "step $name"
  step_start=$(date +%s)
  "$step"
  seconds=$(( $(date +%s) - step_start ))
  timings+=("$(printf '%-14s %4d s' "$name" "$seconds")")
  info "done in ${seconds}s"
done

say "built in $(( $(date +%s) - build_start ))s"
printf '    %s\n' "${timings[@]}"
cat "$WORK_DIR"/summary*
