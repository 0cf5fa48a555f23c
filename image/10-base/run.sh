#!/usr/bin/env bash
# Step 10: the base layer — Debian arm64 with the packages in ./packages, built by mmdebstrap
# under qemu-user emulation. Slow (tens of minutes cold), so the result is cached as a tarball
# named by the hash of everything that goes into it; a warm build only unpacks it.
#
# What makes it slow is every maintainer script and tool running under emulation; the options
# below cut what they do: dpkg does not fsync each file (the tarball is written at the end), no
# manuals, translations or docs, and no udev hardware database (hwdb.d: 9 MB of vendor and
# model names that udev's postinst compiles into a 13 MB hwdb.bin for a minute; Hearth's rules
# need none of it). The hooks beside this file keep the SSH host keys and the initramfs from
# being made more than once, or at all, here (see them).
. "$(dirname "$0")/../lib.sh"
here=$IMAGE_DIR/10-base

# The layer's own time stamp for reproducible output (file times, the initramfs): the last commit
# that changed this recipe, not the build's. A cached layer is reused by builds of later commits,
# and must be the same whichever of them made it.
base_epoch=$(git -C "$REPO_DIR" log -1 --format=%ct -- image/10-base 2>/dev/null || true)
base_epoch=${base_epoch:-$SOURCE_DATE_EPOCH}

key=$(
  {
    echo "arm64 minbase $base_epoch"
    mirror_lines
    mmdebstrap --version
    cat "$here/run.sh" "$here/packages" "$here/essential-hook.sh" "$here/customize-hook.sh" "$here/initramfs.sh"
    (cd "$here/files" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-16
)
base=$CACHE_DIR/base-$HEARTH_SUITE-arm64-$key.tar
echo "$base" > "$WORK_DIR/base-layer"

if [ -f "$base" ]; then
  info "cached: $(basename "$base") (delete it, or change an input, to build anew)"
  exit 0
fi

info "not cached: building $(basename "$base") with mmdebstrap (tens of minutes under emulation)"
mkdir -p "$CACHE_DIR" "$OUT_DIR/tmp"
packages=$(package_list "$here/packages" | paste -sd, -)
SOURCE_DATE_EPOCH=$base_epoch TMPDIR=$OUT_DIR/tmp mmdebstrap \
  --mode=root --arch=arm64 --variant=minbase \
  --include="$packages" \
  --aptopt='APT::Install-Recommends "false"' \
  --aptopt='Acquire::Languages "none"' \
  --dpkgopt='force-unsafe-io' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --dpkgopt='path-exclude=/usr/lib/udev/hwdb.d/*' \
  --essential-hook="$here/essential-hook.sh" \
  --customize-hook="$here/customize-hook.sh" \
  --format=tar "$HEARTH_SUITE" "$base.partial" - < <(mirror_lines)
mv "$base.partial" "$base"
info "cached: $(basename "$base") ($(du -h "$base" | cut -f1))"
