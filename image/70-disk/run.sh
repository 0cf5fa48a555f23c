#!/usr/bin/env bash
# Step 70: the disk image. Makes each filesystem from its folder without mounting anything
# (mkfs.vfat + mcopy, mke2fs -d, debugfs), then genimage writes them behind an MBR partition table.
# Fixed UUIDs, hash seeds and time stamps (SOURCE_DATE_EPOCH) keep the result reproducible.
. "$(dirname "$0")/../lib.sh"
here=$IMAGE_DIR/70-disk
parts=$WORK_DIR/parts

# What changes with every release of Hearth itself (hearthd, the web UI, the version and the
# manifest); everything else in the root file system changes only with Debian's packages, Node.js
# or the npm dependencies. mke2fs -d lays files out in the order it meets them (sorted, depth
# first), each in the first free blocks, so a hearthd a few blocks longer moved every file after
# /opt/hearth/dist (node_modules, Node.js, all of /usr): between two commits only 10 % of the
# root image's used blocks stayed in place, and an update rewrote about 680 MiB of its 1 GiB,
# although RAUC's adaptive install writes only the blocks that differ from what the slot already
# holds at the same place. So the root image is made in two passes: mke2fs -d without these
# paths, then debugfs adds them behind everything else (see add_late below).
late_paths=(opt/hearth/dist opt/hearth/setup-wizard opt/hearth/package.json opt/hearth/package-lock.json usr/share/hearth)
late=$WORK_DIR/late
# Puts back what the first pass set aside (also after a build interrupted in between).
restore_late() {
  local path
  for path in "${late_paths[@]}"; do
    [ -e "$late/$path" ] || [ -L "$late/$path" ] || continue
    [ ! -e "$ROOTFS/$path" ] || die "both $late/$path and $ROOTFS/$path exist; remove the wrong one"
    mv "$late/$path" "$ROOTFS/$path"
  done
  rm -rf "$late"
}
restore_late
trap restore_late EXIT

rm -rf "$parts" "$WORK_DIR/genimage-tmp" "$WORK_DIR/hearth.img" "$DATAFS"
mkdir -p "$parts" "$DATAFS" "$WORK_DIR/empty"

# Nothing newer than the build's time stamp.
find "$ROOTFS" "$BOOTFS" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0r touch --no-dereference --date="@$SOURCE_DATE_EPOCH"
export E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH

# The image's own mke2fs (Debian 13's e2fsprogs, run under qemu-user like the rest of the build)
# clamps every inode's times to SOURCE_DATE_EPOCH. An older host's copies each file's ctime and
# atime, the moment this build wrote it, and two builds of one commit differed in every inode.
# About a minute under emulation.
mke2fs_13() { QEMU_LD_PREFIX=$ROOTFS "$ROOTFS/usr/sbin/mke2fs" "$@"; }
debugfs_13() { QEMU_LD_PREFIX=$ROOTFS "$ROOTFS/usr/sbin/debugfs" "$@"; }
e2fsck_13() { QEMU_LD_PREFIX=$ROOTFS "$ROOTFS/usr/sbin/e2fsck" "$@"; }

# A stable UUID per filesystem, derived from the disk id and its name.
fs_uuid() { printf '%s %s' "$HEARTH_DISK_ID" "$1" | sha256sum | sed -E 's/^(.{8})(.{4}).(.{3}).(.{3})(.{12}).*/\1-\2-4\3-8\4-\5/'; }
make_ext4() { # name label size-MiB source-folder [extended options, comma-separated]
  local name=$1 label=$2 size=$3 source=$4 extended=${5:+,$5}
  local uuid; uuid=$(fs_uuid "$name")
  # One -E: mke2fs keeps only the last one, which had dropped the hash seed of the data partition.
  # Without Debian 13's two newer default features, so U-Boot's ext4 reader (it loads the kernel
  # from a root slot) sees the features it was tested with.
  mke2fs_13 -q -F -t ext4 -O ^orphan_file,^metadata_csum_seed -L "$label" -U "$uuid" -E "hash_seed=$uuid$extended" -m 1 \
    -d "$source" "$parts/$name" "${size}M" >/dev/null
}

info "p1 boot.vfat (${HEARTH_BOOT_MIB} MiB FAT32 HEARTH-BOOT)"
# -h: the sectors before the partition (the boot region's first half), as FAT expects; none of
# the Pi firmware, U-Boot or Linux reads it, so the same file serves the second half too.
mkfs.vfat -F 32 -n HEARTH-BOOT -i "${HEARTH_DISK_ID#0x}" -h $((HEARTH_BOOT_REGION_START_MIB * 2048)) --invariant -C "$parts/boot.vfat" $((HEARTH_BOOT_MIB * 1024)) >/dev/null
mcopy -i "$parts/boot.vfat" -s -p -m -Q "$BOOTFS"/* ::/

# add_late IMAGE: the second pass. debugfs creates each late path, parents first, in the inodes and
# blocks after the last ones the first pass used (libext2fs takes the first free ones), with the
# owner, mode and clamped times mke2fs -d would have given it (set_inode_extra in its
# create_inode.c; step 40 writes these files without extended attributes or hard links).
add_late() {
  local image=$1 rel path mode uid gid atime mtime ctime links commands=$WORK_DIR/late.debugfs
  clamp() { [ "$1" -gt "$SOURCE_DATE_EPOCH" ] && echo "$SOURCE_DATE_EPOCH" || echo "$1"; }
  (cd "$ROOTFS" && find "${late_paths[@]}" -print0 | LC_ALL=C sort -z) | while IFS= read -r -d '' rel; do
    case $rel in *[[:space:]\"\\]*) die "a late path debugfs cannot quote: $rel" ;; esac
    path=$ROOTFS/$rel
    read -r mode uid gid atime mtime ctime links < <(stat -c '%f %u %g %X %Y %Z %h' "$path")
    if [ -L "$path" ]; then
      echo "symlink /$rel $(readlink "$path")"
    elif [ -d "$path" ]; then
      echo "mkdir /$rel"
    elif [ -f "$path" ] && [ "$links" -eq 1 ]; then
      echo "write $path /$rel"
    else
      die "$rel: not a directory, symlink or file with one link"
    fi
    printf 'sif /%s mode 0%o\nsif /%s uid %s\nsif /%s gid %s\n' "$rel" "0x$mode" "$rel" "$uid" "$rel" "$gid"
    printf 'sif /%s atime @%s\nsif /%s mtime @%s\nsif /%s ctime @%s\n' \
      "$rel" "$(clamp "$atime")" "$rel" "$(clamp "$mtime")" "$rel" "$(clamp "$ctime")"
  done > "$commands"
  # debugfs exits 0 whatever a command did: any line on stderr but its banner is a failure.
  debugfs_13 -w -f "$commands" "$image" >"$WORK_DIR/late.log" 2>"$WORK_DIR/late.err"
  if grep -v '^debugfs [0-9]' "$WORK_DIR/late.err" >&2; then die "debugfs could not add the late paths ($commands)"; fi
  # Read-only check of the whole file system (a few seconds under emulation).
  e2fsck_13 -f -n "$image" >"$WORK_DIR/late.fsck" 2>&1 || { cat "$WORK_DIR/late.fsck" >&2; die "$(basename "$image") is not clean after debugfs"; }
}

info "p2 root-a.ext4 (${HEARTH_ROOT_FS_MIB} MiB file system in a ${HEARTH_ROOT_MIB} MiB slot, $(du -sh "$ROOTFS" | cut -f1) used)"
mkdir -p "$late"
for path in "${late_paths[@]}"; do
  [ -e "$ROOTFS/$path" ] || die "$path is missing from the root file system"
  mkdir -p "$late/$(dirname "$path")"
  mv "$ROOTFS/$path" "$late/$path"
done
make_ext4 root-a.ext4 hearth-root-a "$HEARTH_ROOT_FS_MIB" "$ROOTFS"
restore_late
info "   then Hearth's own files behind the rest ($(cd "$ROOTFS" && du -shc "${late_paths[@]}" | tail -1 | cut -f1)): an update of them leaves the rest in place"
add_late "$parts/root-a.ext4"
# A bundle (image/build.sh bundle) needs only the two images above.
[ "${HEARTH_BUILD_TARGET:-image}" = image ] || exit 0
info "p3 root-b.ext4 (${HEARTH_ROOT_FS_MIB} MiB, empty)"
make_ext4 root-b.ext4 hearth-root-b "$HEARTH_ROOT_FS_MIB" "$WORK_DIR/empty"
info "p4 data.ext4 (${HEARTH_DATA_MIB} MiB, grows on first boot)"
# hearthd's, which the flows' user may pass through to its own folder (tmpfiles.d/hearth.conf says the same at each boot).
hearth_ids=$(awk -F: '$1 == "hearth" { print $3 }' "$ROOTFS/etc/passwd"):$(awk -F: '$1 == "hearth-flows" { print $3 }' "$ROOTFS/etc/group")
[[ $hearth_ids =~ ^[0-9]+:[0-9]+$ ]] || die "no hearth user or hearth-flows group in the root filesystem"
chmod 0710 "$DATAFS"
# RAUC's status file (system.conf's data-directory) knows the boot partition from the start: an
# update whose boot image is this one leaves it alone (install-same=false), the first one too.
mkdir -m 0755 "$DATAFS/rauc"
cat > "$DATAFS/rauc/central.raucs" <<STATUS
[slot.bootloader.0]
bundle.compatible=$HEARTH_COMPATIBLE
bundle.version=$HEARTH_VERSION
status=ok
sha256=$(sha256sum "$parts/boot.vfat" | cut -d' ' -f1)
size=$(stat -c %s "$parts/boot.vfat")
STATUS
make_ext4 data.ext4 hearth-data "$HEARTH_DATA_MIB" "$DATAFS" "root_owner=$hearth_ids"

info "boot-env.bin (the A/B boot state at $HEARTH_BOOT_ENV_OFFSET: both slots get three attempts, A first)"
# (B is empty until the first update installs into it.)
printf 'BOOT_ORDER=A B\nBOOT_A_LEFT=3\nBOOT_B_LEFT=3\n' | mkenvimage -s "$HEARTH_BOOT_ENV_SIZE" -o "$parts/boot-env.bin" -

info "assembling hearth.img with genimage"
sed -e "s/@DISK_ID@/$HEARTH_DISK_ID/" -e "s/@BOOT_ENV_OFFSET@/$((HEARTH_BOOT_ENV_OFFSET))/" \
  -e "s/@BOOT_OFFSET@/${HEARTH_BOOT_REGION_START_MIB}M/" -e "s/@BOOT_SIZE@/${HEARTH_BOOT_MIB}M/" \
  -e "s/@ROOT_A_OFFSET@/$((HEARTH_BOOT_REGION_START_MIB + 2 * HEARTH_BOOT_MIB))M/" -e "s/@ROOT_SIZE@/${HEARTH_ROOT_MIB}M/" \
  "$here/genimage.cfg" > "$WORK_DIR/genimage.cfg"
genimage --config "$WORK_DIR/genimage.cfg" --rootpath "$WORK_DIR/empty" --tmppath "$WORK_DIR/genimage-tmp" \
  --inputpath "$parts" --outputpath "$WORK_DIR" >"$WORK_DIR/genimage.log" 2>&1 \
  || { cat "$WORK_DIR/genimage.log" >&2; die "genimage failed"; }
rm -rf "$WORK_DIR/genimage-tmp"
sfdisk --dump "$WORK_DIR/hearth.img" | sed -n 's/^/    /;/hearth.img[0-9]/p'
info "hearth.img: $(du -h --apparent-size "$WORK_DIR/hearth.img" | cut -f1) ($(du -h "$WORK_DIR/hearth.img" | cut -f1) allocated)"
