#!/usr/bin/env bash
# make image-test: the image as an owner meets it. Flashes out/'s image with bmaptool onto an
# 8 GiB virtual card, checks the boot partition without booting (test/image/bootPartition), puts
# a setup code and a throw-away SSH key into hearth.txt as an owner would, boots the card in QEMU
# (-M virt, cortex-a72, TCG) through U-Boot from u-boot-qemu, so the image's own boot.scr with
# its A/B slots runs, with a FAT32 USB stick labelled HEARTH-BACK plugged in (QEMU's xHCI and
# usb-storage), and checks the running device from this host (test/image/firstBoot), a backup
# to the stick included. Then a freshly flashed card with the same stick restores that backup in
# the first-run wizard (test/image/restore).
# Prints boot-to-wizard time, memory and image size; the last line is "N passed, N failed".
cd "$(dirname "$0")/.."
# shellcheck source=ci/lib.sh
. ci/lib.sh

version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)
name=hearth-$version-arm64
xz_image=out/$name.img.xz
bmap=out/$name.img.bmap
[ -f "$xz_image" ] && [ -f "$bmap" ] || die "no $xz_image (and .bmap): run make image first"
uboot=/usr/lib/u-boot/qemu_arm64/u-boot.bin

say "host tools"
host_tools qemu-system-arm u-boot-qemu mtools bmap-tools openssh-client xz-utils fdisk dosfstools
[ -f "$uboot" ] || die "$uboot is missing (package u-boot-qemu)"
[ -d node_modules/uvu ] || { info "installing the test tools (npm ci)"; npm ci --no-audit --no-fund >/dev/null; }

work=out/image-test
rm -rf "$work"
mkdir -p "$work"
qemu_pid=""
cleanup() {
  if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then kill "$qemu_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

say "checking $xz_image against its SHA-256"
(cd out && sha256sum --quiet --check "$name.img.xz.sha256") || die "$xz_image does not match $name.img.xz.sha256"

say "flashing onto an 8 GiB virtual card with bmaptool"
card=$work/card.img
flash_card "$xz_image" "$bmap" "$card"

say "the boot partition, read without booting (test/image/bootPartition.image.ts)"
HEARTH_IMAGE_CARD=$card run_test test/image/bootPartition.image.ts 2>&1 | tee "$work/bootPartition.log" || true
tally "$work/bootPartition.log"

say "hearth.txt, as an owner would edit it: a setup code and an SSH key (made for this test only)"
owner_hearth_txt "$card" "$work"
https_port=$(free_port)
http_port=$(free_port)
ssh_port=$(free_port)

say "a USB stick for backups: 256 MiB, one FAT32 partition labelled HEARTH-BACK, as a shop's stick formatted by its owner"
usb=$work/usb-stick.img
truncate -s 256M "$usb"
printf 'label: dos\nstart=2048, type=c\n' | sfdisk --quiet "$usb"
mkfs.vfat -F 32 -n HEARTH-BACK --offset 2048 "$usb" $((256 * 1024 - 1024)) >/dev/null

# boot_card SERIAL_LOG: starts QEMU on the card with the stick plugged in; qemu_pid is its pid.
boot_card() {
  started_at=$(date +%s%3N)
  qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1024 -accel tcg,thread=multi \
    -bios "$uboot" \
    -drive "if=none,id=card,format=raw,cache=unsafe,file=$card" -device virtio-blk-pci,drive=card \
    -device qemu-xhci,id=xhci -drive "if=none,id=stick,format=raw,cache=unsafe,file=$usb" -device usb-storage,bus=xhci.0,drive=stick \
    -netdev "user,id=net,hostfwd=tcp:127.0.0.1:$https_port-:443,hostfwd=tcp:127.0.0.1:$http_port-:80,hostfwd=tcp:127.0.0.1:$ssh_port-:22" \
    -device virtio-net-pci,netdev=net,romfile= \
    -device virtio-rng-pci \
    -display none -monitor none -serial "file:$1" -no-reboot &
  qemu_pid=$!
  info "QEMU pid $qemu_pid; serial console in $1; https://127.0.0.1:$https_port http://127.0.0.1:$http_port ssh :$ssh_port"
}

# powered_off SERIAL_LOG: waits up to 120 s for the guest asked to power off; counts a pass or a failure.
powered_off() {
  local off=no
  for _ in $(seq 1 120); do
    kill -0 "$qemu_pid" 2>/dev/null || { off=yes; break; }
    sleep 1
  done
  if [ "$off" = yes ] && grep -q 'reboot: Power down' "$1"; then
    info "powered off cleanly"
    passed=$((passed + 1))
  else
    info "the guest did not power off cleanly within 120 s (last serial lines below)"
    tail -n 20 "$1" | sed 's/^/    | /'
    failed=$((failed + 1))
  fi
  qemu_pid=""
}

say "booting the card in QEMU (virt, cortex-a72, 2 cores, 1 GiB, TCG) through U-Boot's boot.scr"
serial=$work/serial.log
# The card is thrown away after the test: cache=unsafe spares the host's disk the guest's flushes.
boot_card "$serial"

say "the running device, as its new owner (test/image/firstBoot.image.ts)"
# Each wait in the test has its own bound (boot: 15 minutes); this one bounds them all, so CI
# never hangs on a guest that stopped answering.
first_boot_timeout=${HEARTH_IMAGE_TEST_TIMEOUT:-2700}
figures=$work/figures
: > "$figures"
HEARTH_IMAGE_HTTPS_PORT=$https_port HEARTH_IMAGE_HTTP_PORT=$http_port HEARTH_IMAGE_SSH_PORT=$ssh_port \
HEARTH_IMAGE_SSH_KEY=$work/ssh-key HEARTH_IMAGE_SETUP_CODE=$SETUP_CODE HEARTH_IMAGE_STARTED_AT=$started_at \
HEARTH_IMAGE_FIGURES=$figures HEARTH_IMAGE_KEPT=$work/kept.json \
  timeout --kill-after=30 "$first_boot_timeout" \
  node --disable-warning=ExperimentalWarning --import tsx test/image/firstBoot.image.ts 2>&1 | tee "$work/firstBoot.log" || true
tally "$work/firstBoot.log"

say "waiting for the guest to power off"
powered_off "$serial"

say "the Pi's own boot chain: U-Boot from p1 on QEMU's raspi3b with the Pi 3 device tree, until the kernel starts"
# QEMU cannot run the Pi firmware (bootcode.bin, start.elf), so it starts p1's u-boot.bin the way
# the firmware would (kernel=u-boot.bin), with the device tree the firmware would give it. Then
# the Pi's U-Boot finds boot.scr on the SD card, keeps the boot counter in its raw sectors and
# loads the slot's kernel, initramfs and ${fdtfile}. Reading them from QEMU's emulated SD host
# takes about 90 s; the kernel itself is not followed further (it starts, and -virt covers the rest).
mcopy -n -i "$card@@$(boot_offset "$card")" ::u-boot.bin ::bcm2837-rpi-3-b.dtb "$work/"
raspi_log=$work/raspi3b-serial.log
: > "$raspi_log"
qemu-system-aarch64 -M raspi3b -kernel "$work/u-boot.bin" -dtb "$work/bcm2837-rpi-3-b.dtb" \
  -drive "if=sd,format=raw,file=$card" -serial null -serial "file:$raspi_log" -display none -monitor none -no-reboot &
qemu_pid=$!
for _ in $(seq 1 300); do
  grep -q 'Starting kernel' "$raspi_log" && break
  kill -0 "$qemu_pid" 2>/dev/null || break
  sleep 1
done
cleanup
qemu_pid=""
pi_chain=(
  'Hearth: booting slot A'
  'Hearth: device tree /boot/dtbs/broadcom/bcm2837-rpi-3-b.dtb from slot A'
  'Starting kernel'
)
pi_ok=yes
for line in "${pi_chain[@]}"; do
  grep -qF "$line" "$raspi_log" || { info "missing on the raspi3b serial console: $line"; pi_ok=no; }
done
if [ "$pi_ok" = yes ]; then
  info "U-Boot for the Pi booted slot A with the counter and the board's own device tree"
  passed=$((passed + 1))
else
  tail -n 20 "$raspi_log" | sed 's/^/    | /'
  failed=$((failed + 1))
fi

# A second boot (about 4 minutes under TCG); HEARTH_IMAGE_TEST_RESTORE=0 leaves it out.
if [ "${HEARTH_IMAGE_TEST_RESTORE:-1}" != 1 ]; then
  info "the restore on a new card: left out (HEARTH_IMAGE_TEST_RESTORE=0)"
elif say "a dead card replaced: a freshly flashed card, the same USB drive and the recovery key the owner kept (test/image/restore.image.ts)" &&
  [ -s "$work/kept.json" ]; then
  flash_card "$xz_image" "$bmap" "$card"
  mkdir -p "$work/second"
  owner_hearth_txt "$card" "$work/second"
  serial=$work/serial-second.log
  boot_card "$serial"
  HEARTH_IMAGE_HTTPS_PORT=$https_port HEARTH_IMAGE_HTTP_PORT=$http_port HEARTH_IMAGE_SSH_PORT=$ssh_port \
  HEARTH_IMAGE_SSH_KEY=$work/second/ssh-key HEARTH_IMAGE_SETUP_CODE=$SETUP_CODE HEARTH_IMAGE_STARTED_AT=$started_at \
  HEARTH_IMAGE_FIGURES=$figures HEARTH_IMAGE_KEPT=$work/kept.json \
    timeout --kill-after=30 "$first_boot_timeout" \
    node --disable-warning=ExperimentalWarning --import tsx test/image/restore.image.ts 2>&1 | tee "$work/restore.log" || true
  tally "$work/restore.log"
  powered_off "$serial"
else
  info "no backup was kept by the first boot: nothing to restore"
  failed=$((failed + 1))
fi

figure() { sed -n "s/^$1=//p" "$figures" | tail -n 1; }
verdict() { # value target: "met" or "MISSED" (empty value: "not measured")
  if [ -z "$1" ]; then echo "not measured"; elif awk -v v="$1" -v t="$2" 'BEGIN { exit !(v <= t) }'; then echo met; else echo MISSED; fi
}
image_mb=$(( $(stat -c %s "$xz_image") / 1000000 ))
boot_s=$(figure boot_to_wizard_s)
memory_mb=$(figure memory_used_mb)
say "figures"
info "compressed image       ${image_mb} MB (target ≤ 350 MB: $(verdict "$image_mb" 350))"
info "boot to wizard (TCG)   ${boot_s:-?} s (target ≤ 120 s: $(verdict "$boot_s" 120)); hearthd ready at $(figure hearthd_ready_s) s"
info "systemd                $(figure systemd_startup)"
info "memory in use, idle    ${memory_mb:-?} MB, hearthd RSS $(figure hearthd_rss_mb) MB, flows $(figure flows_rss_mb) MB (target ≤ 250 MB: $(verdict "$memory_mb" 250))"
info "data partition         $(figure data_partition_gib) GiB of an 8 GiB card"
info "restore on a new card   $(figure restore_from_usb_s) s from the USB stick, in the wizard (TCG)"
info "host load average      $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (TCG speed depends on it)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
