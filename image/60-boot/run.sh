#!/usr/bin/env bash
# Step 60: the files of partition 1 (FAT32, HEARTH-BOOT): the Pi firmware (raspi-firmware), U-Boot
# (u-boot-rpi), the Pis' device trees from Debian's kernel, config.txt, cmdline.txt, boot.scr,
# and the owner's hearth.txt and usercfg.txt (the A/B boot state is not a file: see step 70).
. "$(dirname "$0")/../lib.sh"
here=$IMAGE_DIR/60-boot

rm -rf "$BOOTFS"
mkdir -p "$BOOTFS"

# The firmware (bootcode.bin for the Pi 3, start*.elf and fixup*.dat) and its licence.
find "$ROOTFS/usr/lib/raspi-firmware" -maxdepth 1 -type f -exec cp {} "$BOOTFS/" \;
cp "$ROOTFS/usr/share/doc/raspi-firmware/copyright" "$BOOTFS/LICENCE.raspi-firmware.txt"
# U-Boot's one arm64 build for Pi 3, 4, 400, CM4 and Zero 2 W; config.txt names it as the kernel.
cp "$ROOTFS/usr/lib/u-boot/rpi_arm64/u-boot.bin" "$BOOTFS/u-boot.bin"
# The device trees the firmware gives U-Boot (upstream names, see config.txt). Linux gets the one
# from its own root slot (boot.scr), so firmware and kernel may differ without harm.
for dtb in "$ROOTFS"/boot/dtbs/broadcom/bcm2711-*.dtb "$ROOTFS"/boot/dtbs/broadcom/bcm2837-*.dtb; do
  cp "$dtb" "$BOOTFS/"
done

cp "$here/config.txt" "$here/usercfg.txt" "$here/cmdline.txt" "$BOOTFS/"
cp "$ROOTFS/usr/share/hearth/hearth.txt" "$BOOTFS/hearth.txt"
# boot.cmd finds the A/B state at the offsets config.sh sets, in 512-byte sectors.
sed -e "s/@BOOT_ENV_SECTOR@/$(printf '0x%x' $((HEARTH_BOOT_ENV_OFFSET / 512)))/" \
  -e "s/@BOOT_ENV_SECTORS@/$(printf '0x%x' $((HEARTH_BOOT_ENV_SIZE / 512)))/" \
  -e "s/@BOOT_ENV_SIZE@/$HEARTH_BOOT_ENV_SIZE/" "$here/boot.cmd" > "$WORK_DIR/boot.cmd"
SOURCE_DATE_EPOCH=$HEARTH_BOOT_FILES_EPOCH mkimage -A arm64 -O linux -T script -C none -n "Hearth A/B boot" -d "$WORK_DIR/boot.cmd" "$BOOTFS/boot.scr" >/dev/null

# A test build (HEARTH_TEST_BREAK, step 48) gets a boot partition of its own, so that the update
# test has a bundle whose boot partition differs from the image's and must be written.
[ -z "${HEARTH_TEST_BREAK:-}" ] || echo "A test build of Hearth (HEARTH_TEST_BREAK=$HEARTH_TEST_BREAK)." > "$BOOTFS/test-build.txt"

# One time for every file, whatever commit built it: a boot partition whose files are the same is
# then the same bytes, and an update does not write it again (system.conf, install-same).
find "$BOOTFS" -exec touch --no-dereference --date="@$HEARTH_BOOT_FILES_EPOCH" {} +

info "$(find "$BOOTFS" -type f | wc -l) files, $(du -sh "$BOOTFS" | cut -f1): $(cd "$BOOTFS" && ls *.dtb | tr '\n' ' ')"
