#!/usr/bin/env bash
# Step 75: the update bundle, out/hearth-<version>-arm64.raucb: a RAUC bundle (verity format) with
# the root file system image of step 70 (the same bytes as the card's root A) and the boot
# partition's image, signed with the key of signing_material (lib.sh). The root image carries a
# block-hash index (RAUC's adaptive updates): blocks the slot already holds at the same offset are
# not written again (step 70 keeps all but Hearth's own files in place from one release to the next).
# RAUC installs the images in the manifest's order: the boot partition first (it must serve both
# slots anyway, as the old slot boots through it until the new one is made primary at the end).
. "$(dirname "$0")/../lib.sh"
here=$IMAGE_DIR/75-bundle
parts=$WORK_DIR/parts
content=$WORK_DIR/bundle
bundle=$OUT_DIR/hearth-$HEARTH_VERSION-arm64.raucb

signing_material
rm -rf "$content" "$bundle"
mkdir -p "$content"
# Hard links: the images stay where step 70 made them, sparse.
ln "$parts/root-a.ext4" "$content/root.ext4"
ln "$parts/boot.vfat" "$content/boot.vfat"
install -m 0755 "$here/hook.sh" "$content/hook.sh"
commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
cat > "$content/manifest.raucm" <<MANIFEST
[update]
compatible=$HEARTH_COMPATIBLE
version=$HEARTH_VERSION
description=Hearth $HEARTH_VERSION
build=$commit $(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M%S)

[bundle]
format=verity

[hooks]
filename=hook.sh

[image.bootloader]
filename=boot.vfat
hooks=post-install

[image.rootfs]
filename=root.ext4
adaptive=block-hash-index
hooks=post-install
MANIFEST

info "signing with $(openssl x509 -in "$SIGNING_CERT" -noout -subject | sed 's/^subject=//')"
rauc bundle --cert="$SIGNING_CERT" --key="$SIGNING_KEY" --keyring="$SIGNING_KEYRING" \
  --mksquashfs-args="-comp zstd -Xcompression-level 6 -no-progress -quiet" "$content" "$bundle" >"$WORK_DIR/rauc-bundle.log" 2>&1 \
  || { cat "$WORK_DIR/rauc-bundle.log" >&2; die "rauc bundle failed"; }
rm -rf "$content"
info "$(basename "$bundle"): $(( $(stat -c %s "$bundle") / 1024 / 1024 )) MiB"
printf '    out/%s  the update bundle (make bundle; install it from Settings → Updates)\n' "$(basename "$bundle")" > "$WORK_DIR/summary-bundle"
