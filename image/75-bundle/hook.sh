#!/bin/sh
# Runs on the device while RAUC installs this bundle (RAUC's slot hooks), so that an update keeps
# what the owner set up on the running system.
#
# - The new root slot has been written and RAUC has mounted it: the settings hearth.txt applied
#   to the running root slot (Wi-Fi, the SSH key and the device's own SSH host key, the setup
#   code) and the machine's identity go with it; without them a device on Wi-Fi would be out of
#   reach after its first update.
# - The new boot partition has been written into the unused half of its region, and the MBR does
#   not point at it yet: hearth.txt and usercfg.txt come over from the boot partition in use.
set -eu
[ "$1" = slot-post-install ] || exit 0

case ${RAUC_SLOT_CLASS:-} in
  rootfs)
    new=$RAUC_SLOT_MOUNT_POINT
    for path in /etc/machine-id /etc/hearth/hearthd.env /etc/wpa_supplicant/wpa_supplicant-wlan0.conf \
      /etc/modprobe.d/hearth-wifi.conf /root/.ssh/authorized_keys /etc/ssh/ssh_host_ed25519_key \
      /etc/ssh/ssh_host_ed25519_key.pub; do
      [ -f "$path" ] || continue
      mkdir -p "$new$(dirname "$path")"
      cp -p "$path" "$new$path"
      echo "kept $path in the new root slot"
    done
    ;;
  bootloader)
    # mtools reads the FAT at the new partition's offset on the whole card; that region is no
    # partition yet, so its geometry is not the card's.
    export MTOOLS_SKIP_CHECK=1
    for file in hearth.txt usercfg.txt; do
      [ -f "/boot/firmware/$file" ] || continue
      mcopy -o -i "$RAUC_SLOT_DEVICE@@$RAUC_BOOT_PARTITION_START" "/boot/firmware/$file" "::$file"
      echo "kept $file on the new boot partition"
    done
    ;;
esac
