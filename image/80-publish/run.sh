#!/usr/bin/env bash
# Step 80: what gets published, in out/: the compressed image, its SHA-256, a block map for
# bmaptool (skips the empty parts when flashing) and the manifest.
. "$(dirname "$0")/../lib.sh"

name=hearth-$HEARTH_VERSION-arm64
img=$WORK_DIR/hearth.img
rm -f "$OUT_DIR/$name".img.* "$OUT_DIR/$name".manifest.txt

info "block map: $name.img.bmap"
bmaptool -q create -o "$OUT_DIR/$name.img.bmap" "$img"
info "compressing with xz -$HEARTH_XZ_LEVEL (all cores)"
xz --compress --stdout --threads=0 "-$HEARTH_XZ_LEVEL" "$img" > "$OUT_DIR/$name.img.xz"
(cd "$OUT_DIR" && sha256sum "$name.img.xz" > "$name.img.xz.sha256")
cp "$WORK_DIR/manifest.txt" "$OUT_DIR/$name.manifest.txt"

bytes=$(stat -c %s "$OUT_DIR/$name.img.xz")
{
  echo "    out/$name.img.xz  $((bytes / 1024 / 1024)) MiB compressed (target ≤ 350 MB), $(( $(stat -c %s "$img") / 1024 / 1024 )) MiB written to the card"
  echo "    out/$name.img.xz.sha256  $(cut -d' ' -f1 "$OUT_DIR/$name.img.xz.sha256")"
  echo "    out/$name.img.bmap"
  echo "    out/$name.manifest.txt"
  echo "    flash with: bmaptool copy out/$name.img.xz /dev/sdX  (or Raspberry Pi Imager, balenaEtcher, xzcat | dd)"
} > "$WORK_DIR/summary"
[ "$bytes" -le 350000000 ] || die "the compressed image is $bytes bytes, over the 350 MB target"
