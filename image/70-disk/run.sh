#!/usr/bin/env bash
# Step 70: the disk image. Makes each filesystem from its folder without mounting anything
# (mkfs.vfat + mcopy, mke2fs -d), then genimage writes them behind an MBR partition table.
# Fixed UUIDs, hash seeds and time stamps (SOURCE_DATE_EPOCH) keep the result reproducible.
. "$(dirname "$0")/../lib.sh"
here=$IMAGE_DIR/70-disk
parts=$WORK_DIR/parts
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

info "p2 root-a.ext4 (${HEARTH_ROOT_FS_MIB} MiB file system in a ${HEARTH_ROOT_MIB} MiB slot, $(du -sh "$ROOTFS" | cut -f1) used)"
make_ext4 root-a.ext4 hearth-root-a "$HEARTH_ROOT_FS_MIB" "$ROOTFS"
# A bundle (image/build.sh bundle) needs only the two images above.
[ "${HEARTH_BUILD_TARGET:-image}" = image ] || exit 0
info "p3 root-b.ext4 (${HEARTH_ROOT_FS_MIB} MiB, empty)"
make_ext4 root-b.ext4 hearth-root-b "$HEARTH_ROOT_FS_MIB" "$WORK_DIR/empty"
info "p4 data.ext4 (${HEARTH_DATA_MIB} MiB, grows on first boot)"
hearth_ids=$(awk -F: '$1 == "hearth" { print $3 ":" $4 }' "$ROOTFS/etc/passwd")
[ -n "$hearth_ids" ] || die "no hearth user in the root filesystem"
chmod 0700 "$DATAFS"
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
