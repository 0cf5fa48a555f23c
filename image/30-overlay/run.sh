#!/usr/bin/env bash
# Step 30: Hearth's system configuration. Copies overlay/ (units, avahi service, first-boot
# scripts, journald, zram, network) verbatim into the root filesystem, creates hearthd's user and
# chooses which services start at boot.
. "$(dirname "$0")/../lib.sh"

info "copying overlay/"
cp -a --no-preserve=ownership "$REPO_DIR/overlay/." "$ROOTFS/"

info "creating system users (sysusers.d)"
chroot "$ROOTFS" systemd-sysusers

# systemctl --root only makes and removes symlinks: the host's systemctl does that without
# starting anything, and without emulation.
in_root() { systemctl --root="$ROOTFS" --quiet "$@"; }

info "choosing the services that start at boot"
in_root set-default multi-user.target
in_root enable \
  hearth.service hearth-settings.service hearth-grow-data.service hearth-boot-ok.service \
  systemd-networkd.service systemd-resolved.service systemd-timesyncd.service avahi-daemon.service
# SSH and Wi-Fi are enabled, but their drop-ins (overlay/) let them start only once hearth.txt
# gave a key or a network. No enabling at run time: that reloads systemd, which is slow.
in_root enable ssh.service
in_root disable ssh.socket wpa_supplicant.service
mkdir -p "$ROOTFS/etc/systemd/system/sys-subsystem-net-devices-wlan0.device.wants"
ln -sfn /usr/lib/systemd/system/wpa_supplicant@.service \
  "$ROOTFS/etc/systemd/system/sys-subsystem-net-devices-wlan0.device.wants/wpa_supplicant@wlan0.service"
# Updates come as whole-system bundles, not from apt on the device: no apt timers. No SSH on
# AF_UNIX or vsock sockets either (systemd's generator for them).
in_root mask apt-daily.timer apt-daily-upgrade.timer
mkdir -p "$ROOTFS/etc/systemd/system-generators"
ln -sfn /dev/null "$ROOTFS/etc/systemd/system-generators/systemd-ssh-generator"

# resolved's stub resolver (DNS from DHCP through systemd-networkd).
ln -sfn ../run/systemd/resolve/stub-resolv.conf "$ROOTFS/etc/resolv.conf"

# raspi-firmware is installed for its files (step 60 copies them to partition 1). Its kernel and
# initramfs hooks would rewrite partition 1 for booting without U-Boot; they are conffiles, and a
# deleted conffile stays deleted through upgrades.
rm -f "$ROOTFS"/etc/kernel/*.d/z50-raspi-firmware "$ROOTFS"/etc/initramfs/*.d/z50-raspi-firmware
