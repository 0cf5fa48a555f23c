#!/usr/bin/env bash
# Step 45: what the device needs to take updates. RAUC's system.conf (compatible string, the two
# root slots, the boot partition's switch region, the U-Boot backend), the keyring that checks
# a bundle's signature, and the version this root file system carries (hearth-update-gate and
# the bundle's manifest read it).
. "$(dirname "$0")/../lib.sh"
here=$IMAGE_DIR/45-update

signing_material
install -D -m 0644 "$SIGNING_KEYRING" "$ROOTFS/etc/rauc/keyring.pem"
sed -e "s/@COMPATIBLE@/$HEARTH_COMPATIBLE/" \
  -e "s/@BOOT_REGION_START@/${HEARTH_BOOT_REGION_START_MIB}M/" \
  -e "s/@BOOT_REGION_SIZE@/$((2 * HEARTH_BOOT_MIB))M/" \
  -e "s/@PARTUUID@/${HEARTH_DISK_ID#0x}/" "$here/system.conf" > "$ROOTFS/etc/rauc/system.conf"
chmod 0644 "$ROOTFS/etc/rauc/system.conf"
printf '%s\n' "$HEARTH_VERSION" > "$ROOTFS/usr/share/hearth/version"
info "compatible $HEARTH_COMPATIBLE, version $HEARTH_VERSION, keyring: $(openssl x509 -in "$SIGNING_KEYRING" -noout -subject | sed 's/^subject=//')"
