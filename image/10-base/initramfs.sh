#!/bin/sh
# Builds the initramfs of the root file system $1 once, for its one kernel, with the slow parts
# done natively on the build host instead of under emulation (run by customize-hook.sh).
#
# Debian's kernel modules are xz-compressed; mkinitramfs (MODULES=most) reads a thousand of them
# to resolve their dependencies, and under emulation decompressing them took most of its five
# minutes, then zstd -9 of the result most of the rest. So: the host decompresses the modules
# (its own xz and depmod: seconds), mkinitramfs runs under emulation on plain modules and
# compresses its archive as fast as it can, the host compresses it again properly, and the
# compressed modules are put back. The initramfs then holds plain modules, which the kernel also
# loads faster at boot.
set -eu
root=$1
kernels=$(ls "$root/usr/lib/modules")
[ "$(echo "$kernels" | wc -l)" -eq 1 ] || { echo "expected one kernel, found: $kernels" >&2; exit 1; }
version=$kernels
modules=$root/usr/lib/modules/$version
saved=$root/usr/lib/modules/.$version.xz

rm -rf "$saved"
cp -a "$modules" "$saved"
find "$modules" -name '*.ko.xz' -print0 | xargs -0 -r -n 64 -P "$(nproc)" xz --decompress
depmod --basedir="$root" "$version"

# mkinitramfs compresses as fast as zstd can for this one run (it has no "none"); the host then
# compresses it properly. The image's own initramfs.conf keeps zstd -9 for later rebuilds.
echo 'COMPRESSLEVEL=1' > "$root/etc/initramfs-tools/conf.d/zz-build-fast.conf"
chroot "$root" update-initramfs -c -k "$version"
rm -f "$root/etc/initramfs-tools/conf.d/zz-build-fast.conf"
initrd=$root/boot/initrd.img-$version
zstd --quiet --decompress --stdout "$initrd" | zstd --quiet -9 --single-thread > "$initrd.new"
mv "$initrd.new" "$initrd"

rm -rf "$modules"
mv "$saved" "$modules"
