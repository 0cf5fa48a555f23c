#!/usr/bin/env bash
# Step 30: Hearth's system configuration. Copies overlay/ (units, avahi service, first-boot
# scripts, journald, zram, network) verbatim into the root filesystem, creates hearthd's user and
# chooses which services start at boot.
. "$(dirname "$0")/../lib.sh"

info "copying overlay/"
cp -a --no-preserve=ownership "$REPO_DIR/overlay/." "$ROOTFS/"

info "creating system users (sysusers.d)"
chroot "$ROOTFS" systemd-sysusers

# Where hearth-usb-mount mounts USB drives for backups: there before hearth.service starts, so
# its ReadWritePaths= covers the drives mounted later.
install -d -m 0755 "$ROOTFS/media/hearth"

# systemctl --root only makes and removes symlinks: the host's systemctl does that without
# starting anything, and without emulation.
in_root() { systemctl --root="$ROOTFS" --quiet "$@"; }

info "choosing the services that start at boot"
in_root set-default multi-user.target
in_root enable \
  hearth.service hearth-settings.service hearth-grow-data.service hearth-update-gate.service hearth-hostname.service \
  systemd-networkd.service systemd-resolved.service systemd-timesyncd.service avahi-daemon.service
# SSH and Wi-Fi are enabled, but their drop-ins (overlay/) let them start only once hearth.txt
# gave a key or a network. No enabling at run time: that reloads systemd, which is slow.
in_root enable ssh.service
in_root disable ssh.socket wpa_supplicant.service
# Debian's sshd-keygen.service would make RSA and ECDSA host keys besides at first boot (RSA takes
# long seconds on a Pi Zero); hearth-ssh-keys.service makes the one Ed25519 key sshd uses.
in_root mask sshd-keygen.service
mkdir -p "$ROOTFS/etc/systemd/system/sys-subsystem-net-devices-wlan0.device.wants"
ln -sfn /usr/lib/systemd/system/wpa_supplicant@.service \
  "$ROOTFS/etc/systemd/system/sys-subsystem-net-devices-wlan0.device.wants/wpa_supplicant@wlan0.service"
# Updates come as whole-system bundles, not from apt on the device: no apt or dpkg timers.
in_root mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer
# What a headless appliance without passwords does not use. Each unit is a process or a mount
# at boot, and every one of them delays the wizard (seconds each under QEMU, some on a Pi):
# kernel modules and file systems for debugging, FUSE, DRM, configfs and EFI; login prompts
# nobody can use (no account has a password) and logind, which only tracks such logins; the
# network generator for ip= on the kernel command line; ext4 snapshot checks (no LVM); password
# prompts for encrypted disks (there are none); the rfkill state (Wi-Fi is on when configured);
# SysV's /dev/initctl; binfmt_misc, POSIX message queues; system extensions and credentials.
in_root mask \
  modprobe@drm.service modprobe@efi_pstore.service modprobe@fuse.service modprobe@configfs.service \
  dev-hugepages.mount dev-mqueue.mount sys-kernel-debug.mount sys-kernel-tracing.mount \
  sys-fs-fuse-connections.mount sys-kernel-config.mount proc-sys-fs-binfmt_misc.automount \
  kmod-static-nodes.service systemd-pstore.service getty.target systemd-logind.service \
  systemd-user-sessions.service systemd-network-generator.service systemd-udev-load-credentials.service \
  e2scrub_reap.service e2scrub_all.timer systemd-ask-password-console.path systemd-ask-password-wall.path \
  systemd-rfkill.socket systemd-rfkill.service systemd-initctl.socket systemd-sysext.socket systemd-creds.socket
# Static device nodes are made once, by systemd-tmpfiles-setup-dev-early ("gracefully": it skips
# nodes for users that do not exist yet). Its second pass, after systemd-sysusers, exists for users
# made at boot; Hearth's are made by the build, and udev (and with it every disk) waits for it.
in_root mask systemd-tmpfiles-setup-dev.service
# Generators run at every boot before any unit starts. Hearth keeps the ones for fstab, zram and
# debugging (systemd.mask= on the kernel command line); the others look for GPT partitions,
# TPMs, hibernation, SysV scripts, rc.local, serial consoles, SSH on AF_UNIX/vsock sockets.
mkdir -p "$ROOTFS/etc/systemd/system-generators"
for generator in systemd-gpt-auto-generator systemd-hibernate-resume-generator systemd-rc-local-generator \
  systemd-run-generator systemd-system-update-generator systemd-sysv-generator systemd-tpm2-generator \
  systemd-getty-generator systemd-ssh-generator; do
  ln -sfn /dev/null "$ROOTFS/etc/systemd/system-generators/$generator"
done

# resolved's stub resolver (DNS from DHCP through systemd-networkd).
ln -sfn ../run/systemd/resolve/stub-resolv.conf "$ROOTFS/etc/resolv.conf"

# raspi-firmware is installed for its files (step 60 copies them to partition 1). Its kernel and
# initramfs hooks would rewrite partition 1 for booting without U-Boot; they are conffiles, and a
# deleted conffile stays deleted through upgrades.
rm -f "$ROOTFS"/etc/kernel/*.d/z50-raspi-firmware "$ROOTFS"/etc/initramfs/*.d/z50-raspi-firmware
