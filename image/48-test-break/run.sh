#!/usr/bin/env bash
# Step 48: for make update-test only, a system that fails on purpose: HEARTH_TEST_BREAK=hearthd
# makes hearth.service exit at once (the update health gate must roll back). Unset, as in every
# image and release bundle, it does nothing, and takes away what an earlier test build of the
# same work folder added. (The test's bundle whose kernel cannot boot needs no system: see
# ci/update-test.sh.)
. "$(dirname "$0")/../lib.sh"

dropin=$ROOTFS/etc/systemd/system/hearth.service.d/test-break.conf
rm -f "$dropin"
rmdir "$(dirname "$dropin")" 2>/dev/null || true

case ${HEARTH_TEST_BREAK:-} in
  '') ;;
  hearthd)
    mkdir -p "$(dirname "$dropin")"
    printf '[Service]\nExecStart=\nExecStart=/bin/sh -c "echo \\"hearthd: this test build (HEARTH_TEST_BREAK=hearthd) never starts\\" >&2; exit 1"\n' > "$dropin"
    info "TEST BUILD: hearthd exits at once (HEARTH_TEST_BREAK=hearthd)" ;;
  *) die "HEARTH_TEST_BREAK is hearthd or unset, not '$HEARTH_TEST_BREAK'" ;;
esac
