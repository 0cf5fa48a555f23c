#!/usr/bin/env bash
# Step 10: the base layer — Debian arm64 with the packages in ./packages, built by mmdebstrap
# under qemu-user emulation. Slow (tens of minutes cold), so the result is cached as a tarball
# named by the hash of everything that goes into it; a warm build only unpacks it.
. "$(dirname "$0")/../lib.sh"
here=$IMAGE_DIR/10-base

key=$(
  {
    echo "arm64 minbase"
    mirror_lines
    mmdebstrap --version
    cat "$here/packages" "$here/essential-hook.sh" "$here/customize-hook.sh"
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
TMPDIR=$OUT_DIR/tmp mmdebstrap \
  --mode=root --arch=arm64 --variant=minbase \
  --include="$packages" \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --essential-hook="$here/essential-hook.sh" \
  --customize-hook="$here/customize-hook.sh" \
  --format=tar "$HEARTH_SUITE" "$base.partial" - < <(mirror_lines)
mv "$base.partial" "$base"
info "cached: $(basename "$base") ($(du -h "$base" | cut -f1))"
