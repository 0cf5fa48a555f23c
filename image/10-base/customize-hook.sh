#!/bin/sh
# mmdebstrap customize hook: runs in the finished root ($1). Puts the base layer's files in place,
# builds the initramfs once (initramfs.sh), and leaves no caches or build-host traces in the
# tarball.
set -eu
root=$1
here=$(dirname "$0")

cp -a "$here/files/." "$root/"

rm -f "$root/usr/sbin/update-initramfs"
chroot "$root" dpkg-divert --quiet --local --rename --remove /usr/sbin/update-initramfs
echo "I: building the initramfs (once; minutes under emulation)"
"$here/initramfs.sh" "$root"

# The essential hook's placeholders for SSH host keys (the image ships none).
rm -f "$root"/etc/ssh/ssh_host_*_key "$root"/etc/ssh/ssh_host_*_key.pub

# raspi-firmware's kernel hooks copy the kernel into /boot/firmware; on Hearth that directory is
# only the mount point of partition 1, which the image build fills itself.
find "$root/boot/firmware" -mindepth 1 -delete 2>/dev/null || true

rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin "$root/var/cache/apt/archives/"*.deb \
  "$root/var/cache/debconf/"*-old "$root/var/lib/dpkg/"*-old "$root/var/log/"*.log "$root/var/log/apt/"*
