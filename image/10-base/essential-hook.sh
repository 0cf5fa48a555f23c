#!/bin/sh
# mmdebstrap essential hook: runs in the new root ($1) after the essential packages and before
# the rest. Every kernel, firmware or initramfs-tools package would rebuild the initramfs in its
# own postinst, and each rebuild takes minutes under emulation: divert update-initramfs to a
# no-op now and run it once in the customize hook.
set -eu
root=$1
chroot "$root" dpkg-divert --quiet --local --rename --add /usr/sbin/update-initramfs
printf '#!/bin/sh\nexit 0\n' > "$root/usr/sbin/update-initramfs"
chmod 0755 "$root/usr/sbin/update-initramfs"
