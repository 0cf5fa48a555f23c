#!/usr/bin/env bash
# Step 20: a fresh root filesystem from the cached base layer (step 10), so every build starts
# from the same packages and nothing from an earlier build lingers.
. "$(dirname "$0")/../lib.sh"

base=$(cat "$WORK_DIR/base-layer")
rm -rf "$ROOTFS"
mkdir -p "$ROOTFS"
info "unpacking $(basename "$base")"
tar --extract --file "$base" --directory "$ROOTFS" --numeric-owner --xattrs --xattrs-include='*'
info "root filesystem: $(du -sh "$ROOTFS" | cut -f1)"
