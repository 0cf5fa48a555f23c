# Build settings shared by every step. Each can be overridden from the environment.
# shellcheck shell=bash

# Debian 13 (trixie) arm64, from Debian's own archive.
HEARTH_SUITE=${HEARTH_SUITE:-trixie}
HEARTH_MIRROR=${HEARTH_MIRROR:-http://deb.debian.org/debian}
HEARTH_SECURITY_MIRROR=${HEARTH_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
HEARTH_COMPONENTS=${HEARTH_COMPONENTS:-main non-free-firmware}

# Partition sizes (MiB). Root slots hold the whole system and leave room for growth; the data
# partition starts small and fills the card on first boot. The boot partition (about 30 MiB of
# firmware, U-Boot and device trees) lives in a region twice its size: an update writes the new
# boot partition into the unused half and then points the MBR's first entry at it (RAUC's
# boot-mbr-switch), so a power cut at any moment leaves one whole boot partition on the card.
HEARTH_BOOT_MIB=${HEARTH_BOOT_MIB:-128}
HEARTH_BOOT_REGION_START_MIB=4
HEARTH_ROOT_MIB=${HEARTH_ROOT_MIB:-2048}
# The root file system inside its slot: the system takes about 800 MiB of it. An update writes (and
# RAUC hashes, compares and checks) the whole file system image, so it is no larger than the
# system needs; the partition leaves room for later versions to grow into.
HEARTH_ROOT_FS_MIB=${HEARTH_ROOT_FS_MIB:-1024}
HEARTH_DATA_MIB=${HEARTH_DATA_MIB:-128}

# The time stamp of every file on the boot partition (FAT's times mean nothing to the firmware or
# U-Boot): fixed, so that the partition's bytes change only when its files do.
HEARTH_BOOT_FILES_EPOCH=1735689600

# The A/B boot state (U-Boot's binary environment format, 16 KiB) lives in raw sectors between the
# MBR and the boot region, at 1 MiB: not on the boot partition, which an update replaces.
HEARTH_BOOT_ENV_OFFSET=0x100000
HEARTH_BOOT_ENV_SIZE=0x4000

# Bundles are installed only on a system with the same compatible string.
HEARTH_COMPATIBLE=${HEARTH_COMPATIBLE:-hearth-rpi-arm64}

# The MBR disk identifier: partitions are found by PARTUUID=<id>-0N (boot.scr, fstab).
HEARTH_DISK_ID=${HEARTH_DISK_ID:-0x4e415254}

# xz level of the published image. 1 compresses this image's 0.7 GiB of data in about two
# minutes on two cores and stays well under the 350 MB target; 6 saves about a fifth of the
# size and takes ten times as long.
HEARTH_XZ_LEVEL=${HEARTH_XZ_LEVEL:-1}
