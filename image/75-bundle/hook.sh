#!/bin/sh
# Runs on the device while RAUC installs this bundle (RAUC's slot hooks). The new boot partition
# has been written into the unused half of its region, and the MBR does not point at it yet: carry
# the owner's files over from the boot partition in use, so an update keeps hearth.txt and
# usercfg.txt as the owner left them.
set -eu
[ "$1" = slot-post-install ] || exit 0
[ "${RAUC_SLOT_CLASS:-}" = bootloader ] || exit 0
# mtools reads the FAT at the new partition's offset on the whole card; that region is no
# partition yet, so its geometry is not the card's.
export MTOOLS_SKIP_CHECK=1
for file in hearth.txt usercfg.txt; do
  [ -f "/boot/firmware/$file" ] || continue
  mcopy -o -i "$RAUC_SLOT_DEVICE@@$RAUC_BOOT_PARTITION_START" "/boot/firmware/$file" "::$file"
  echo "kept $file on the new boot partition"
done
