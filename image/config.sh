# Build settings shared by every step. Each can be overridden from the environment.
# shellcheck shell=bash

# Debian 13 (trixie) arm64, from Debian's own archive.
HEARTH_SUITE=${HEARTH_SUITE:-trixie}
HEARTH_MIRROR=${HEARTH_MIRROR:-http://deb.debian.org/debian}
HEARTH_SECURITY_MIRROR=${HEARTH_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
HEARTH_COMPONENTS=${HEARTH_COMPONENTS:-main non-free-firmware}

# Partition sizes (MiB). Root slots hold the whole system and leave room for growth; the data
# partition starts small and fills the card on first boot.
HEARTH_BOOT_MIB=${HEARTH_BOOT_MIB:-256}
HEARTH_ROOT_MIB=${HEARTH_ROOT_MIB:-2048}
HEARTH_DATA_MIB=${HEARTH_DATA_MIB:-128}

# The MBR disk identifier: partitions are found by PARTUUID=<id>-0N (boot.scr, fstab).
HEARTH_DISK_ID=${HEARTH_DISK_ID:-0x4e415254}

# xz level of the published image. 1 compresses this image's 0.7 GiB of data in about two
# minutes on two cores and stays well under the 350 MB target; 6 saves about a fifth of the
# size and takes ten times as long.
HEARTH_XZ_LEVEL=${HEARTH_XZ_LEVEL:-1}
