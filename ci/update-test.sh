#!/usr/bin/env bash
# make update-test: over-the-air updates on the real image in QEMU (after make image, as root).
# Builds this commit's test bundles on the root file system make image left in out/work (from
# step 40 on: a version suffix, and for one of them a test-only break, image/48-test-break), a
# small one whose kernel cannot boot, and small bundles that must be refused (tampered, another
# key, another compatible, a downgrade, cut short); flashes out/'s image onto a fresh 8 GiB card with an owner's hearth.txt; then
# test/image/update.image.ts runs the machine through updates, power cuts and rollbacks.
# Prints the figures; the last line is "N passed, N failed".
cd "$(dirname "$0")/.."
# shellcheck source=image/lib.sh
. image/lib.sh
# After image/lib.sh: its die would not end with the summary line.
# shellcheck source=ci/lib.sh
. ci/lib.sh

image_version=$HEARTH_VERSION
# The feed offers only a newer version (build metadata does not order), so the bundles from the
# second on are the next patch release; going back to the first then asks for allowDowngrade.
next_version=$(awk -F. '{ print $1 "." $2 "." $3 + 1 }' <<<"${image_version%%[-+]*}")
name=hearth-$image_version-arm64
xz_image=out/$name.img.xz
bmap=out/$name.img.bmap
[ "$(id -u)" -eq 0 ] || die "make update-test builds bundles, which needs root (like make image): sudo make update-test"
[ -f "$xz_image" ] && [ -f "$bmap" ] && [ -d out/work/rootfs ] || die "no $xz_image (and its work folder): run make image first"
started=$(date +%s)

say "host tools"
host_tools qemu-system-arm u-boot-qemu mtools bmap-tools openssh-client xz-utils fdisk rauc squashfs-tools
[ -d node_modules/uvu ] || { info "installing the test tools (npm ci)"; npm ci --no-audit --no-fund >/dev/null; }

work=out/update-test
# full: every case (over an hour under emulation); ci: setup, the refusals and A → B (.ci/run).
scope=${HEARTH_UPDATE_TEST_SCOPE:-full}
case $scope in full | ci) ;; *) die "HEARTH_UPDATE_TEST_SCOPE is full or ci, not '$scope'" ;; esac
signing_material
# HEARTH_UPDATE_TEST_REUSE=1 keeps the bundles and the feed of an earlier run of this commit (while
# working on the test itself); a fresh card is flashed either way.
if [ "${HEARTH_UPDATE_TEST_REUSE:-0}" = 1 ] && [ -f "$work/bundles/no-kernel.raucb" ] && [ -f "$work/feed/current.json" ]; then
  say "reusing the bundles and the feed in $work (HEARTH_UPDATE_TEST_REUSE=1)"
  rm -f "$work"/card.img "$work"/serial-*.log "$work"/ssh-key* "$work"/qmp.sock
  feed=$work/feed
  feed_port=$(sed -n 's|.*"url":"http://10.0.2.2:\([0-9]*\)/.*|\1|p' "$feed/current.index.json")
  bundles_s=0
else
  rm -rf "$work"
  mkdir -p "$work/bundles"

  # test_bundle NAME VERSION SUFFIX [BREAK]: this commit as VERSION with a suffix, from step 40 of make image.
  test_bundle() {
    local started_at
    started_at=$(date +%s)
    HEARTH_VERSION=$2 HEARTH_VERSION_SUFFIX=$3 run_test runtime/build.ts >/dev/null
    HEARTH_VERSION=$2 HEARTH_VERSION_SUFFIX=$3 HEARTH_TEST_BREAK=${4:-} HEARTH_BUILD_FROM=40 image/build.sh bundle > "$work/build-$1.log" 2>&1 \
      || { tail -n 30 "$work/build-$1.log"; die "the $1 bundle did not build (out/update-test/build-$1.log)"; }
    mv "out/hearth-$2+$3-arm64.raucb" "$work/bundles/$1.raucb"
    info "$1: $2+$3${4:+, broken: $4} ($(( $(stat -c %s "$work/bundles/$1.raucb") / 1024 / 1024 )) MiB, $(( $(date +%s) - started_at )) s)"
  }
  say "this commit's test bundles"
  test_bundle first "$image_version" update.1
  if [ "$scope" = full ]; then
    test_bundle second "$next_version" update.2
    test_bundle unhealthy "$next_version" unhealthy hearthd
  fi
  # Put back the build of this commit as it is (the clone's owner keeps its files).
  run_test runtime/build.ts >/dev/null
  chown -R --reference=package.json dist

  # small_bundle NAME VERSION COMPATIBLE CERT KEY [IMAGE]: a bundle with a small root image (1 MiB
  # of noise unless IMAGE is given).
  small_bundle() {
    local content=$work/small-$1
    mkdir -p "$content"
    if [ -n "${6:-}" ]; then cp "$6" "$content/root.ext4"; else head -c 1048576 /dev/urandom > "$content/root.ext4"; fi
    printf '[update]\ncompatible=%s\nversion=%s\n\n[bundle]\nformat=verity\n\n[image.rootfs]\nfilename=root.ext4\n' "$3" "$2" > "$content/manifest.raucm"
    rauc bundle --cert="$4" --key="$5" --mksquashfs-args="-no-progress -quiet" "$content" "$work/bundles/$1.raucb" >/dev/null 2>&1 \
      || die "rauc bundle failed for the $1 bundle"
  }
  say "bundles the device must refuse"
  make_signing_keys "$work/other-keys" "Someone else"
  small_bundle tampered 9.9.9 "$HEARTH_COMPATIBLE" "$SIGNING_CERT" "$SIGNING_KEY"
  # One byte of the payload changed after signing: the signature (over the verity root hash) holds,
  # the payload does not.
  printf '\xff' | dd of="$work/bundles/tampered.raucb" bs=1 seek=65536 conv=notrunc status=none
  small_bundle other-key 9.9.9 "$HEARTH_COMPATIBLE" "$work/other-keys/signing.cert.pem" "$work/other-keys/signing.key.pem"
  small_bundle other-compatible 9.9.9 hearth-another-board "$SIGNING_CERT" "$SIGNING_KEY"
  small_bundle downgrade 0.0.1 "$HEARTH_COMPATIBLE" "$SIGNING_CERT" "$SIGNING_KEY"
  small_bundle truncated 9.9.9 "$HEARTH_COMPATIBLE" "$SIGNING_CERT" "$SIGNING_KEY"
  truncate --size $(( $(stat -c %s "$work/bundles/truncated.raucb") / 2 )) "$work/bundles/truncated.raucb"
  info "tampered, other-key, other-compatible, downgrade (0.0.1), truncated"

  say "a bundle whose kernel cannot boot"
  # A root file system with a kernel of zeros: U-Boot loads it, cannot start it, and tries again.
  mkdir -p "$work/no-kernel-root/boot"
  head -c 1048576 /dev/zero > "$work/no-kernel-root/boot/vmlinuz"
  head -c 262144 /dev/urandom > "$work/no-kernel-root/boot/initrd.img"
  mke2fs -q -F -t ext4 -d "$work/no-kernel-root" "$work/no-kernel.ext4" 16M
  small_bundle no-kernel "$next_version+no-kernel" "$HEARTH_COMPATIBLE" "$SIGNING_CERT" "$SIGNING_KEY" "$work/no-kernel.ext4"
  info "no-kernel: $next_version+no-kernel, a 16 MiB root file system whose kernel is zeros"
  bundles_s=$(( $(date +%s) - started ))

  feed=$work/feed
  feed_port=0
  if [ "$scope" = full ]; then
    say "the update feed: indexes signed with the release key, an older one, and one signed by another key"
    feed=$work/feed
    feed_port=$(free_port)
    mkdir -p "$feed"
    ln "$work/bundles/second.raucb" "$feed/second.raucb"
    # feed_index NAME SEQUENCE KEY CERT: an index offering the second bundle, signed.
    feed_index() {
      cat > "$feed/$1.index.json" <<INDEX
    {"issued":"$(date -u +%Y-%m-%dT%H:%M:%SZ)","sequence":$2,"compatible":"$HEARTH_COMPATIBLE","versions":[
     {"version":"$next_version+update.2","notes":"The second test bundle of this commit.","url":"http://10.0.2.2:$feed_port/second.raucb",
      "size":$(stat -c %s "$feed/second.raucb"),"sha256":"$(sha256sum "$feed/second.raucb" | cut -d' ' -f1)"}]}
INDEX
      run_test ci/sign-feed.ts --key "$3" --cert "$4" "$feed/$1.index.json" > "$feed/$1.json"
    }
    feed_index current 2 "$SIGNING_KEY" "$SIGNING_CERT"
    feed_index older 1 "$SIGNING_KEY" "$SIGNING_CERT"
    feed_index foreign 3 "$work/other-keys/signing.key.pem" "$work/other-keys/signing.cert.pem"
    info "current (sequence 2), older (sequence 1), foreign (another key); served on the host's port $feed_port"
  fi
fi

say "flashing $xz_image onto an 8 GiB virtual card, with the owner's hearth.txt"
card=$work/card.img
flash_card "$xz_image" "$bmap" "$card"
owner_hearth_txt "$card" "$work"

say "updates on the running machine (test/image/update.image.ts, $scope)"
figures=$work/figures
: > "$figures"
HEARTH_IMAGE_HTTPS_PORT=$(free_port) HEARTH_IMAGE_HTTP_PORT=$(free_port) HEARTH_IMAGE_SSH_PORT=$(free_port) \
HEARTH_IMAGE_SSH_KEY=$work/ssh-key HEARTH_IMAGE_SETUP_CODE=$SETUP_CODE HEARTH_IMAGE_FIGURES=$figures \
HEARTH_UPDATE_TEST_SCOPE=$scope HEARTH_IMAGE_CARD=$card HEARTH_UPDATE_BUNDLES=$work/bundles HEARTH_UPDATE_FEED_DIR=$feed HEARTH_UPDATE_FEED_PORT=$feed_port \
HEARTH_UPDATE_IMAGE_VERSION=$image_version HEARTH_UPDATE_FIRST_VERSION=$image_version+update.1 \
HEARTH_UPDATE_SECOND_VERSION=$next_version+update.2 HEARTH_UPDATE_UNHEALTHY_VERSION=$next_version+unhealthy \
HEARTH_UPDATE_NO_KERNEL_VERSION=$next_version+no-kernel \
  timeout --kill-after=30 "${HEARTH_UPDATE_TEST_TIMEOUT:-3600}" \
  node --disable-warning=ExperimentalWarning --import tsx test/image/update.image.ts 2>&1 | tee "$work/update.log" || true
tally "$work/update.log"
pkill -f "qemu-system-aarch64.*$work/card.img" 2>/dev/null || true

figure() { sed -n "s/^$1=//p" "$figures" | tail -n 1; }
say "figures"
info "bundle                     $(figure bundle_mib) MiB (root image and boot partition, zstd squashfs, verity)"
info "test bundles built in      ${bundles_s} s (three from step 40 of make image, six small ones)"
info "writing the root slot      $(figure slot_write_s) s under QEMU TCG (A→B)"
info "downtime the owner sees    $(figure downtime_s) s (last answer from the old version → first from the new, TCG)"
info "written to the card        $(figure bytes_written_first_mib) MiB by the first update (all of the empty slot B; the boot partition, unchanged, not written)"
# The ci scope stops after the first update; only the full scope measures the second.
second_mib=$(figure bytes_written_second_mib)
[ -n "$second_mib" ] &&
  info "                           $second_mib MiB by the second (slot A held the image's version: adaptive, blocks already there not written)"
info "whole update test          $(( $(date +%s) - started )) s; host load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
