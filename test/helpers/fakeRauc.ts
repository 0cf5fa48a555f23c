// A stand-in for the `rauc` command, for hearthd's update tests on a machine without RAUC: it
// prints what rauc 1.13 prints (src/main.c, src/bundle.c, src/install.c), as its D-Bus client does.
// A "bundle" here is a JSON file saying what it is: {"compatible","version","signature":
// "ok"|"foreign","payload":"ok"|"corrupted","slowMs"?}; anything else is not a bundle.
// Run by Node itself (type stripping): hearthd spawns it through a small shell script.
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface FakeBundle {
  compatible: string;
  version: string;
  signature: 'ok' | 'foreign';
  payload: 'ok' | 'corrupted';
  slowMs?: number;
}

const [command, ...args] = process.argv.slice(2);
const log = process.env.FAKE_RAUC_LOG;
if (log) appendFileSync(log, `${[command, ...args].join(' ')}\n`);

function readBundle(file: string): FakeBundle | undefined {
  try {
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as FakeBundle;
    return typeof bundle.compatible === 'string' ? bundle : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fail = (message: string) => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

if (command === 'status') {
  const status = {
    compatible: 'hearth-rpi-arm64',
    variant: null,
    system_version: null,
    booted: 'A',
    boot_primary: 'rootfs.0',
    slots: [
      { 'rootfs.1': { class: 'rootfs', device: '/dev/mmcblk0p3', type: 'ext4', bootname: 'B', state: 'inactive', parent: null, mountpoint: null, boot_status: 'good', slot_status: { bundle: { compatible: null } } } },
      {
        'rootfs.0': {
          class: 'rootfs',
          device: '/dev/mmcblk0p2',
          type: 'ext4',
          bootname: 'A',
          state: 'booted',
          parent: null,
          mountpoint: '/',
          boot_status: 'good',
          slot_status: { bundle: { compatible: 'hearth-rpi-arm64', version: '0.1.0' }, status: 'ok' },
        },
      },
    ],
  };
  process.stdout.write(`${JSON.stringify(status)}\n`);
} else if (command === 'info') {
  const file = args.at(-1)!;
  const bundle = readBundle(file);
  if (!bundle) fail(`Invalid bundle format: Failed to read bundle ${path.basename(file)}: bundle is too small or has no signature`);
  if (bundle!.signature === 'foreign') {
    fail('signature verification failed: error:1700007D:CMS routines::certificate verify error: Verify error:unable to get local issuer certificate');
  }
  process.stdout.write(
    `${JSON.stringify({ compatible: bundle!.compatible, version: bundle!.version, description: 'Hearth', build: '20261207', format: 'verity', hooks: [], hash: 'f00d', images: [{ rootfs: { filename: 'rootfs.ext4', size: 2048 } }] })}\n`,
  );
} else if (command === 'install') {
  const file = args.at(-1)!;
  const bundle = readBundle(file)!;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say('installing');
  say('  0% Installing');
  say('  0% Determining slot states');
  say(' 20% Determining slot states done.');
  say(' 20% Checking bundle');
  say(' 20% Verifying signature');
  say(' 40% Verifying signature done.');
  say(' 40% Checking bundle done.');
  if (bundle.payload === 'corrupted') {
    say('LastError: Failed mounting bundle: bundle payload is corrupted');
    say(' 40% Installing failed.');
    say('idle');
    fail(`Installing \`${file}\` failed`);
  }
  say(' 40% Checking manifest contents');
  say(' 45% Checking manifest contents done.');
  say(' 45% Determining target install group');
  say(' 50% Determining target install group done.');
  say(' 50% Updating slots');
  say(' 50% Checking slot rootfs.1');
  say(' 55% Checking slot rootfs.1 done.');
  say(' 55% Copying image to rootfs.1');
  await sleep(bundle.slowMs ?? 0);
  say(' 95% Copying image to rootfs.1 done.');
  say(' 99% Updating slots done.');
  say('100% Installing done.');
  say('idle');
  say(`Installing \`${file}\` succeeded`);
} else {
  fail(`fake rauc: unknown command ${command}`);
}
