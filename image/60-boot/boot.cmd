# Hearth's U-Boot script (compiled to boot.scr by mkimage). One script for every board: the
# Raspberry Pi's U-Boot (u-boot-rpi) and QEMU's (u-boot-qemu, which CI boots).
#
# Two root slots, A (partition 2) and B (partition 3), and a boot counter, kept in the variables
# RAUC's U-Boot backend uses: BOOT_ORDER ("A B": try A first), BOOT_A_LEFT and BOOT_B_LEFT
# (attempts left). Every boot takes one attempt from the first slot in BOOT_ORDER that has any
# left; once the system is up and healthy, hearth-update-gate gives the slot its attempts back.
# A slot that fails to come up three times in a row is skipped, so the other one boots.
#
# The variables live in U-Boot's binary environment format (a CRC32, then name=value pairs) in
# raw sectors of the card between the MBR and the boot partition (image/config.sh), not on the
# boot partition: an update replaces that partition whole (RAUC's boot-mbr-switch), and the state
# must outlive it. Not in U-Boot's own environment store either: the Pi keeps that in uboot.env,
# QEMU in flash. Linux reads and writes the same sectors with fw_printenv/fw_setenv
# (/etc/fw_env.config), as RAUC's U-Boot backend does. A state that does not read back (a power
# cut while it was written) is replaced by the default: A first, three attempts each.

setenv bootenv_size @BOOT_ENV_SIZE@
setenv bootenv_sector @BOOT_ENV_SECTOR@
setenv bootenv_sectors @BOOT_ENV_SECTORS@
setenv BOOT_ORDER
setenv BOOT_A_LEFT
setenv BOOT_B_LEFT
${devtype} dev ${devnum}
if ${devtype} read ${ramdisk_addr_r} ${bootenv_sector} ${bootenv_sectors}; then
  env import -c ${ramdisk_addr_r} ${bootenv_size} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
fi
if test -z "${BOOT_ORDER}"; then setenv BOOT_ORDER "A B"; fi
if test -z "${BOOT_A_LEFT}"; then setenv BOOT_A_LEFT 3; fi
if test -z "${BOOT_B_LEFT}"; then setenv BOOT_B_LEFT 3; fi

setenv slot
for s in ${BOOT_ORDER}; do
  if test -z "${slot}" && test "${s}" = "A" && test ${BOOT_A_LEFT} -gt 0; then
    setexpr BOOT_A_LEFT ${BOOT_A_LEFT} - 1
    setenv slot A
    setenv rootpart 2
  fi
  if test -z "${slot}" && test "${s}" = "B" && test ${BOOT_B_LEFT} -gt 0; then
    setexpr BOOT_B_LEFT ${BOOT_B_LEFT} - 1
    setenv slot B
    setenv rootpart 3
  fi
done

if test -z "${slot}"; then
  echo "Hearth: no slot has boot attempts left; giving both three more and starting again"
  setenv BOOT_A_LEFT 3
  setenv BOOT_B_LEFT 3
  env export -c -s ${bootenv_size} ${ramdisk_addr_r} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
  ${devtype} write ${ramdisk_addr_r} ${bootenv_sector} ${bootenv_sectors}
  reset
fi

echo "Hearth: booting slot ${slot} (attempts left: A=${BOOT_A_LEFT} B=${BOOT_B_LEFT}, order: ${BOOT_ORDER})"
env export -c -s ${bootenv_size} ${ramdisk_addr_r} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
${devtype} write ${ramdisk_addr_r} ${bootenv_sector} ${bootenv_sectors}

# The kernel command line. On a Pi the firmware puts cmdline.txt (the owner-editable part) into
# the device tree it hands to U-Boot; QEMU passes none, so use its PL011 serial console and what
# cmdline.txt has besides (quiet; no crypto self-tests at boot: seconds under emulation). QEMU's
# CPU is emulated and does not speculate, so no Spectre/Meltdown mitigations there: with them the
# kernel isolates its page tables (KPTI, forced by KASLR), and every system call then flushes
# QEMU's whole software TLB, which made systemd alone take minutes. Real Pis keep them.
setenv fw_bootargs
fdt addr ${fdtcontroladdr}
fdt get value fw_bootargs /chosen bootargs
if test -z "${fw_bootargs}"; then setenv fw_bootargs "console=ttyAMA0,115200 quiet cryptomgr.notests mitigations=off module_blacklist=aes_ce_blk,aes_ce_cipher,ghash_ce,polyval_ce,sha1_ce,sha2_ce,crct10dif_ce"; fi
# panic=10: a kernel that cannot go on (no root file system, say) restarts the board after 10 s,
# and the next boot takes another attempt, so a broken slot falls back to the other on its own.
part uuid ${devtype} ${devnum}:${rootpart} rootuuid
setenv bootargs "${fw_bootargs} root=PARTUUID=${rootuuid} rootfstype=ext4 rootwait rw rootflags=noatime panic=10 rauc.slot=${slot}"

# Kernel, initramfs and device tree all come from the slot, so they always match each other.
# Debian's arm64 kernel is gzip-compressed: booti unpacks it through kernel_comp_addr_r. The
# addresses keep 64 MiB for the unpacked kernel above kernel_addr_r on every board.
setexpr hearth_fdt_addr ${kernel_addr_r} + 0x04000000
setexpr hearth_initrd_addr ${kernel_addr_r} + 0x04200000
setexpr kernel_comp_addr_r ${kernel_addr_r} + 0x0a000000
load ${devtype} ${devnum}:${rootpart} ${kernel_addr_r} /boot/vmlinuz
setenv kernel_comp_size ${filesize}
load ${devtype} ${devnum}:${rootpart} ${hearth_initrd_addr} /boot/initrd.img
setenv hearth_initrd_size ${filesize}

# A Pi's U-Boot names its board's device tree in fdtfile (e.g. broadcom/bcm2711-rpi-4-b.dtb);
# QEMU builds its own device tree for the virtual machine, which U-Boot already runs on.
if test -n "${fdtfile}" && load ${devtype} ${devnum}:${rootpart} ${hearth_fdt_addr} /boot/dtbs/${fdtfile}; then
  echo "Hearth: device tree /boot/dtbs/${fdtfile} from slot ${slot}"
  setenv hearth_fdt ${hearth_fdt_addr}
else
  setenv hearth_fdt ${fdtcontroladdr}
fi

booti ${kernel_addr_r} ${hearth_initrd_addr}:${hearth_initrd_size} ${hearth_fdt}
echo "Hearth: slot ${slot} did not boot; resetting to try again"
reset
