#!/bin/sh
# mmdebstrap essential hook: runs in the new root ($1) after the essential packages and before
# the rest. Keeps the rest's maintainer scripts from slow work that is redone or thrown away:
# - Every kernel, firmware or initramfs-tools package would rebuild the initramfs in its own
#   postinst, and each rebuild takes minutes under emulation: update-initramfs is diverted to
#   a no-op now and run once in the customize hook.
# - openssh-server's postinst makes RSA, ECDSA and Ed25519 host keys (most of a minute under
#   emulation) that the image must not ship anyway (each device makes its own at first boot):
#   empty placeholders make it skip them; the customize hook removes them.
set -eu
root=$1
chroot "$root" dpkg-divert --quiet --local --rename --add /usr/sbin/update-initramfs
printf '#!/bin/sh\nexit 0\n' > "$root/usr/sbin/update-initramfs"
chmod 0755 "$root/usr/sbin/update-initramfs"

mkdir -p "$root/etc/ssh"
for type in rsa ecdsa ed25519; do
  : > "$root/etc/ssh/ssh_host_${type}_key"
done
