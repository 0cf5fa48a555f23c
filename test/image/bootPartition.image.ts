// The flashed card, read without booting or mounting it (QEMU does not run the Pi firmware, so
// what only the firmware reads is checked here): the partition table of DESIGN.md with the boot
// partition's switch region and the A/B boot state beside it, and on p1 config.txt,
// cmdline.txt, U-Boot, boot.scr and a device tree for every supported board.
// Run by ci/image-test.sh on the card image before it boots; HEARTH_IMAGE_CARD names it.
import { execFileSync } from 'node:child_process';
import { openSync, readSync, closeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const card = process.env.HEARTH_IMAGE_CARD;
if (!card) throw new Error('HEARTH_IMAGE_CARD is not set: run the image tests through ci/image-test.sh');

interface Partition {
  node: string;
  start: number;
  size: number;
  type: string;
  bootable?: boolean;
}
const table = JSON.parse(execFileSync('sfdisk', ['--json', card], { encoding: 'utf8' })).partitiontable as {
  label: string;
  id: string;
  sectorsize?: number;
  partitions: Partition[];
};
const bootOffset = (table.partitions[0]?.start ?? 0) * (table.sectorsize ?? 512);
/** mtools on partition 1 of the card image, at its byte offset: no mount, no loop device. */
const onBoot = (command: string, ...args: string[]) => execFileSync(command, ['-i', `${card}@@${bootOffset}`, ...args], { encoding: 'latin1' });
const bootFile = (name: string) => onBoot('mtype', `::${name}`);

// The boards Hearth supports and the upstream device tree each needs (config.txt: upstream_kernel=1).
const BOARD_DEVICE_TREES = {
  'Pi 3B': 'bcm2837-rpi-3-b.dtb',
  'Pi 3B+': 'bcm2837-rpi-3-b-plus.dtb',
  'Pi 3A+': 'bcm2837-rpi-3-a-plus.dtb',
  'Pi 4B': 'bcm2711-rpi-4-b.dtb',
  'Pi 400': 'bcm2711-rpi-400.dtb',
  'CM4 (IO board)': 'bcm2711-rpi-cm4-io.dtb',
  'Zero 2 W': 'bcm2837-rpi-zero-2-w.dtb',
};

test('MBR with FAT32 boot, root A, root B and data partitions', () => {
  assert.is(table.label, 'dos');
  assert.is(table.id, '0x4e415254');
  assert.equal(
    table.partitions.map((partition) => partition.type),
    ['c', '83', '83', '83'],
  );
  assert.ok(table.partitions[0]!.bootable, 'p1 is marked bootable');
  assert.is(onBoot('mlabel', '-s', '::').match(/Volume label is (\S+)/)?.[1], 'HEARTH-BOOT');
});

test('the boot partition is the first half of a region twice its size, which nothing else uses (RAUC boot-mbr-switch)', () => {
  const MIB = 2048;
  const [boot, rootA] = [table.partitions[0]!, table.partitions[1]!];
  assert.is(boot.start, 4 * MIB, 'the region starts at 4 MiB');
  assert.is(boot.size, 128 * MIB, 'the boot partition is 128 MiB');
  assert.is(rootA.start, boot.start + 2 * boot.size, 'root A starts right after the region');
});

test('the A/B boot state is U-Boot environment at 1 MiB, outside every partition: A first, three attempts each', () => {
  const state = Buffer.alloc(0x4000);
  const fd = openSync(card, 'r');
  try {
    readSync(fd, state, 0, state.length, 0x100000);
  } finally {
    closeSync(fd);
  }
  assert.is(state.readUInt32LE(0), crc32(state.subarray(4)), 'its CRC32 matches');
  // name=value pairs, each ended by a NUL, the list by a second one; padding after it.
  const data = state.subarray(4).toString('latin1');
  const variables = data.slice(0, data.indexOf('\0\0')).split('\0').sort();
  assert.equal(variables, ['BOOT_A_LEFT=3', 'BOOT_B_LEFT=3', 'BOOT_ORDER=A B']);
});

test('config.txt starts U-Boot in 64-bit mode with upstream device trees and a serial console', () => {
  const settings = bootFile('config.txt')
    .split(/\r?\n/)
    .filter((line) => line.trim() && !line.startsWith('#'));
  for (const setting of ['arm_64bit=1', 'kernel=u-boot.bin', 'upstream_kernel=1', 'enable_uart=1', 'include usercfg.txt']) {
    assert.ok(settings.includes(setting), `config.txt has ${setting}`);
  }
  assert.ok(
    settings.every((line) => /^\[[a-z0-9]+\]$|^[a-z_0-9]+=\S+$|^include [a-z]+\.txt$/.test(line)),
    'every line is a section, name=value or an include',
  );
});

test('cmdline.txt is one line of kernel arguments with a serial console and no root', () => {
  const text = bootFile('cmdline.txt');
  const lines = text.split(/\r?\n/).filter(Boolean);
  assert.is(lines.length, 1, 'the firmware reads only the first line');
  assert.match(lines[0]!, /(^| )console=ttyS1,115200( |$)/);
  assert.not.match(lines[0]!, /root=/, 'boot.scr adds the root slot');
});

test('the firmware, U-Boot, boot.scr, hearth.txt and the owner\'s usercfg.txt are on p1', () => {
  const files = onBoot('mdir', '-b', '::/').split('\n').map((line) => line.replace(/^::\//, '').trim());
  for (const name of ['bootcode.bin', 'start.elf', 'fixup.dat', 'start4.elf', 'fixup4.dat', 'u-boot.bin', 'boot.scr', 'hearth.txt', 'usercfg.txt', 'config.txt', 'cmdline.txt']) {
    assert.ok(files.includes(name), `${name} on p1`);
  }
  // boot.scr: a U-Boot script image (legacy header magic 0x27051956, type script).
  const script = Buffer.from(bootFile('boot.scr'), 'latin1');
  assert.is(script.readUInt32BE(0), 0x27051956);
  assert.is(script[30], 6, 'image type: script');
  assert.ok(script.includes('BOOT_ORDER') && script.includes('BOOT_A_LEFT') && script.includes('BOOT_B_LEFT'));
  const hearthTxt = bootFile('hearth.txt');
  assert.match(hearthTxt, /#SETUP_CODE=/);
  assert.match(hearthTxt, /#SSH_AUTHORIZED_KEY=/);
});

test('a device tree for every supported board', () => {
  for (const [board, name] of Object.entries(BOARD_DEVICE_TREES)) {
    const blob = Buffer.from(bootFile(name), 'latin1');
    assert.is(blob.readUInt32BE(0), 0xd00dfeed, `${name} (${board}) is a flattened device tree`);
    assert.is(blob.readUInt32BE(4), blob.length, `${name} (${board}) is whole`);
  }
});

test.run();
