#!/usr/bin/env bash
# Step 25: fixed names for what boot.scr loads from a root slot: /boot/vmlinuz, /boot/initrd.img
# and /boot/dtbs (the device trees of Debian's kernel, Raspberry Pis under broadcom/).
. "$(dirname "$0")/../lib.sh"

cd "$ROOTFS/boot"
kernels=(vmlinuz-*)
[ "${#kernels[@]}" -eq 1 ] && [ -f "${kernels[0]}" ] || die "expected one kernel in /boot, found: ${kernels[*]}"
version=${kernels[0]#vmlinuz-}
[ -f "initrd.img-$version" ] || die "no initramfs for kernel $version"
[ -d "../usr/lib/linux-image-$version/broadcom" ] || die "kernel $version ships no Raspberry Pi device trees"
ln -sfn "vmlinuz-$version" vmlinuz
ln -sfn "initrd.img-$version" initrd.img
ln -sfn "../usr/lib/linux-image-$version" dtbs
# U-Boot's booti takes a plain or gzip-compressed arm64 Image (not an EFI zboot image).
kind=$(file --brief --dereference vmlinuz)
case "$kind" in
  *gzip*|*"Linux kernel ARM64 boot executable Image"*) ;;
  *) die "/boot/vmlinuz is neither an arm64 Image nor gzip ($kind): boot.scr's booti cannot start it" ;;
esac
info "kernel $version ($(du -h --dereference vmlinuz | cut -f1), $kind), initramfs $(du -h --dereference initrd.img | cut -f1)"
echo "$version" > "$WORK_DIR/kernel-version"
