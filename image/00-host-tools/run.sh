#!/usr/bin/env bash
# Step 00: the build host's tools. Installs what is missing with apt (Debian/Ubuntu), and makes
# sure the kernel runs arm64 programs through qemu-user (binfmt_misc), which mmdebstrap and the
# chroot steps need.
. "$(dirname "$0")/../lib.sh"
here=$IMAGE_DIR/00-host-tools

missing=()
for package in $(package_list "$here/packages"); do
  # npm may come from elsewhere (Node.js's own packages, say): only its command matters.
  if [ "$package" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing host tools (${missing[*]}) and no apt-get: install them by hand"
  info "installing host tools with apt-get: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  info "host tools present"
fi

if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  info "mounting binfmt_misc"
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if ! arch-test arm64 >/dev/null 2>&1; then
  info "enabling qemu-aarch64 in binfmt_misc"
  update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
fi
arch-test arm64 >/dev/null 2>&1 || die "this host cannot run arm64 programs (qemu-user-static and binfmt_misc)"
info "arm64 programs run through $(head -n 2 /proc/sys/fs/binfmt_misc/qemu-aarch64 | tail -n 1)"
