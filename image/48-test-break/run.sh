#!/usr/bin/env bash
# Step 48: for make update-test only, a system that fails on purpose. HEARTH_TEST_BREAK=hearthd
# makes hearth.service exit at once (the update health gate must roll back); =kernel replaces the
# slot's kernel with bytes U-Boot cannot boot (U-Boot's counter must bring the other slot back).
# Unset, as in every image and release bundle, it does nothing, and puts back what an earlier
# test build of the same work folder broke.
. "$(dirname "$0")/../lib.sh"

dropin=$ROOTFS/etc/systemd/system/hearth.service.d/test-break.conf
kernel=$ROOTFS/boot/vmlinuz
rm -f "$dropin"
rmdir "$(dirname "$dropin")" 2>/dev/null || true
[ ! -f "$kernel.unbroken" ] || mv "$kernel.unbroken" "$kernel"

case ${HEARTH_TEST_BREAK:-} in
  '') ;;
  hearthd)
    mkdir -p "$(dirname "$dropin")"
    printf '[Service]\nExecStart=\nExecStart=/bin/sh -c "echo \\"hearthd: this test build (HEARTH_TEST_BREAK=hearthd) never starts\\" >&2; exit 1"\n' > "$dropin"
    info "TEST BUILD: hearthd exits at once (HEARTH_TEST_BREAK=hearthd)" ;;
  kernel)
    mv "$kernel" "$kernel.unbroken"
    head -c 1048576 /dev/zero > "$kernel"
    info "TEST BUILD: the kernel is 1 MiB of zeros (HEARTH_TEST_BREAK=kernel)" ;;
  *) die "HEARTH_TEST_BREAK is hearthd or kernel, not '$HEARTH_TEST_BREAK'" ;;
esac
