// The image as a new owner meets it: power on, open https://hearth.local, trust the device's CA,
// claim the device with the setup code from hearth.txt, naming it "kitchen", log in, and reach it
// as https://kitchen.local. Then, over SSH (enabled by the key the test put in hearth.txt), what
// the owner does not see: mDNS for the new name, the grown data partition, the hardened service
// with its systemd watchdog and its restart, the listening ports, the A/B boot state, memory.
// Last, a backup to the USB drive ci/image-test.sh plugs in (a FAT32 stick labelled HEARTH-BACK),
// and what the owner keeps of it for test/image/restore.image.ts.
// Run by ci/image-test.sh against a QEMU guest booted from the flashed image.
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import tls from 'node:tls';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { device, DEVICE_HOST, guest, guestOutput, onGuest, recordFigure, saveFromGuest, sessionCookie, sleep, useDeviceHost, waitFor } from './guest.ts';

const BOOT_TO_WIZARD_TARGET_S = 120;
// How long TCG may take on a busy machine before the boot counts as failed. The 120 s target is
// printed by ci/image-test.sh; it fails the test only with HEARTH_IMAGE_STRICT_TARGETS=1, as
// emulation speed depends on what else the machine runs.
const BOOT_TIMEOUT_MS = 900_000;
const strictTargets = process.env.HEARTH_IMAGE_STRICT_TARGETS === '1';
const MEMORY_TARGET_MB = 250;
// Setup and login hash the passphrase (scrypt) and rate its strength: seconds on a Pi, far more
// under emulation.
const PASSPHRASE_WORK_MS = 180_000;
const OWNER = { name: 'Ada Lovelace', passphrase: 'copper lantern drifts over quiet meadows' };
/** The name the owner gives the device in the wizard: it becomes the host name, kitchen.local. */
const DEVICE_NAME = 'kitchen';
const NAMED_HOST = `${DEVICE_NAME}.local`;
/** The label of the USB stick ci/image-test.sh attaches (FAT32 labels hold at most 11 characters). */
const USB_LABEL = 'HEARTH-BACK';
// restic's key derivation, the database copy and the upload, under emulation.
const BACKUP_WORK_MS = 600_000;

let caPem = '';
/** The owner's session, from the sign-in at kitchen.local. */
let ownerCookie = '';

/** The certificate the device serves for a name, checked as a browser would (chain and name). */
function servedCertificate(servername: string): Promise<tls.PeerCertificate> {
  return new Promise<tls.PeerCertificate>((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: guest.httpsPort, servername, ca: caPem }, () => {
      const certificate = socket.getPeerCertificate();
      const nameError = tls.checkServerIdentity(servername, certificate);
      socket.end();
      if (!socket.authorized) reject(new Error(`not trusted: ${socket.authorizationError}`));
      else if (nameError) reject(nameError);
      else resolve(certificate);
    });
    socket.setTimeout(30_000, () => socket.destroy(new Error('no TLS handshake in 30 s')));
    socket.on('error', reject);
  });
}

/** Properties of a systemd unit on the guest, by name. */
function unitProperties(unit: string, properties: string): Record<string, string> {
  return Object.fromEntries(
    guestOutput(`systemctl show ${unit} --property=${properties}`)
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

test('the wizard answers on https://hearth.local within 120 s of power-on', async () => {
  const status = await waitFor('hearthd to answer over HTTPS', BOOT_TIMEOUT_MS, async () => {
    const reply = await device('/api/v1/status', { timeoutMs: 5_000 });
    return reply.status === 200 ? reply : undefined;
  });
  const seconds = (Date.now() - guest.startedAt) / 1000;
  recordFigure('boot_to_wizard_s', seconds.toFixed(1));
  assert.is(status.json.setup, 'pending');
  assert.is(status.json.setupCodeRequired, true, 'the setup code from hearth.txt is required');
  const page = await device('/');
  assert.is(page.status, 200);
  assert.match(page.text, /<html/i);
  if (strictTargets) {
    assert.ok(seconds <= BOOT_TO_WIZARD_TARGET_S, `boot to wizard took ${seconds.toFixed(1)} s (target ≤ ${BOOT_TO_WIZARD_TARGET_S} s)`);
  }
});

test('the CA from http://hearth.local/ca.crt verifies the served certificate for hearth.local', async () => {
  const ca = await device('/ca.crt', { plain: true });
  assert.is(ca.status, 200);
  caPem = ca.text;
  const authority = new X509Certificate(caPem);
  assert.ok(authority.ca, 'ca.crt is a CA certificate');
  assert.is(authority.publicKey.asymmetricKeyType, 'ec', 'an ECDSA CA, made in an instant at first start');

  const peer = await servedCertificate(DEVICE_HOST);
  assert.match(peer.subjectaltname ?? '', 'DNS:hearth.local');
  // And the same through an ordinary HTTPS request that checks chain and name.
  assert.is((await device('/api/v1/status', { ca: caPem })).status, 200);
});

test('a new owner claims the device with the setup code from hearth.txt, names it kitchen, then logs in at kitchen.local', async () => {
  const body = { owner: OWNER, device: { name: DEVICE_NAME, timezone: 'Europe/Berlin', language: 'en' } };
  const withoutCode = await device('/api/v1/setup', { body, ca: caPem, timeoutMs: PASSPHRASE_WORK_MS });
  assert.ok(withoutCode.status >= 400 && withoutCode.status < 500, `setup without the code: ${withoutCode.status}`);

  const setup = await device('/api/v1/setup', { body: { ...body, setupCode: guest.setupCode }, ca: caPem, timeoutMs: PASSPHRASE_WORK_MS });
  assert.is(setup.status, 201, setup.text);
  assert.ok(sessionCookie(setup), 'setup signs the owner in');
  assert.is(setup.json.device.hostname, NAMED_HOST);

  // The certificate follows the new name at once, signed by the CA the owner already trusts.
  const peer = await waitFor(`a certificate for ${NAMED_HOST}`, 60_000, () => servedCertificate(NAMED_HOST));
  assert.match(peer.subjectaltname ?? '', `DNS:${NAMED_HOST}`);
  useDeviceHost(NAMED_HOST);
  const status = await device('/api/v1/status', { ca: caPem });
  assert.is(status.json.setup, 'done');
  assert.is((await device('/api/v1/setup', { body: { ...body, setupCode: guest.setupCode }, ca: caPem, timeoutMs: PASSPHRASE_WORK_MS })).status, 409);

  const login = await device('/api/v1/session', { body: { name: OWNER.name, passphrase: OWNER.passphrase }, ca: caPem, timeoutMs: PASSPHRASE_WORK_MS });
  assert.is(login.status, 201, login.text);
  const cookie = sessionCookie(login);
  assert.ok(cookie, 'login sets the session cookie');
  ownerCookie = cookie!;
  const health = await device('/api/v1/health', { cookie, ca: caPem });
  assert.is(health.status, 200, health.text);
});

test('SSH is on because hearth.txt gave a key; hearth.txt was applied and blanked', async () => {
  const hostname = await waitFor('SSH with the key from hearth.txt', 120_000, () => {
    const result = onGuest('hostname', 20_000);
    return result.status === 0 ? result.stdout.trim() : undefined;
  });
  assert.ok(hostname === 'hearth' || hostname === DEVICE_NAME, `host name ${hostname}`);
  recordFigure('systemd_startup', guestOutput('systemd-analyze time').split('\n')[0]!.replace(/^Startup finished in /, ''));
  // When hearthd said it was ready (READY=1, HTTPS listening), in seconds after power-on: the
  // guest's monotonic clock, placed on this host's by reading both at once.
  const [uptime, ready] = guestOutput('cat /proc/uptime; systemctl show hearth.service --property=ActiveEnterTimestampMonotonic --value').trim().split('\n');
  const guestBootedAt = Date.now() - Number.parseFloat(uptime!) * 1000;
  recordFigure('hearthd_ready_s', ((guestBootedAt + Number(ready) / 1000 - guest.startedAt) / 1000).toFixed(1));
  saveFromGuest('boot-analysis.txt', 'systemd-analyze time; systemd-analyze critical-chain hearth.service; systemd-analyze blame | head -n 40; journalctl -b -o short-monotonic -u hearth-settings -u hearth | head -n 30');
  const hearthTxt = guestOutput('cat /boot/firmware/hearth.txt');
  assert.match(hearthTxt, /^# Applied on .*: setup-code ssh-key/m);
  assert.not.match(hearthTxt, /^(SETUP_CODE|SSH_AUTHORIZED_KEY|WIFI_PASSPHRASE)=/m, 'no active settings left');
  assert.not.match(hearthTxt, new RegExp(guest.setupCode), 'the setup code is gone from the boot partition');
});

test('the device has its own identity and no passwords', () => {
  assert.match(guestOutput('cat /etc/machine-id').trim(), /^[0-9a-f]{32}$/);
  guestOutput('test -s /etc/ssh/ssh_host_ed25519_key');
  assert.match(guestOutput('passwd --status root'), /^root L /, 'root has no password');
  assert.is(guestOutput("awk -F: '$2 !~ /^[!*]/ { print $1 }' /etc/shadow").trim(), '', 'no account has a password');
  assert.match(guestOutput('grep -h "^PasswordAuthentication" /etc/ssh/sshd_config.d/*.conf'), /no/);
});

test('the name chosen in the wizard is the host name: avahi answers for kitchen.local and announces _https._tcp', async () => {
  // hearthd wrote the name to its data partition; hearth-hostname.path (root) applied it.
  await waitFor('the host name to become kitchen', 120_000, () => (onGuest('hostname').stdout.trim() === DEVICE_NAME ? true : undefined));
  assert.is(guestOutput('cat /etc/hostname').trim(), DEVICE_NAME, 'kept across reboots');
  assert.match(guestOutput('cat /etc/hosts'), new RegExp(`^127\\.0\\.1\\.1\\s+${DEVICE_NAME}$`, 'm'));
  const resolved = await waitFor(`avahi to answer for ${NAMED_HOST}`, 120_000, () => {
    const result = onGuest(`avahi-resolve --name -4 ${NAMED_HOST}`, 30_000);
    return result.status === 0 && result.stdout.startsWith(NAMED_HOST) ? result.stdout : undefined;
  });
  assert.match(resolved, new RegExp(`^${DEVICE_NAME}\\.local\\s+\\d+\\.\\d+\\.\\d+\\.\\d+`));
  const browsed = guestOutput('avahi-browse --terminate --resolve --parsable _https._tcp', 30_000);
  // Parsable output escapes spaces as \032.
  assert.match(browsed, new RegExp(`^=;[^;]+;IPv4;Hearth\\\\032on\\\\032${DEVICE_NAME};[^;]+;local;${DEVICE_NAME}\\.local;[0-9.]+;443;`, 'm'));
  assert.is(onGuest('avahi-resolve --name -4 hearth.local', 30_000).stdout.trim(), '', 'the old name is gone');
  assert.is(guestOutput('systemctl is-failed hearth-hostname.service || true').trim(), 'inactive');
});

test('the data partition was grown to fill the card', () => {
  const [source = '', size = '0'] = guestOutput('findmnt --noheadings --bytes --output SOURCE,SIZE /var/lib/hearth').trim().split(/\s+/);
  const cardBytes = Number(guestOutput(`cat /sys/class/block/$(basename $(dirname $(readlink -f /sys/class/block/${source.replace('/dev/', '')})))/size`).trim()) * 512;
  const gib = Number(size) / 2 ** 30;
  recordFigure('data_partition_gib', gib.toFixed(2));
  // The card is 8 GiB; boot and the two root slots take about 4.4 GiB of it.
  assert.ok(Number(size) > 0.4 * cardBytes, `data filesystem is ${gib.toFixed(2)} GiB of a ${(cardBytes / 2 ** 30).toFixed(1)} GiB card`);
  // hearthd's; the flows' user may only pass through it, to its own folder.
  assert.is(guestOutput('stat -c %U:%G:%a /var/lib/hearth').trim(), 'hearth:hearth-flows:710');
  guestOutput('test -s /var/lib/hearth/hearth.db');
});

test('hearth.service tells systemd it is ready and keeps its watchdog fed', async () => {
  const unit = unitProperties('hearth.service', 'Type,NotifyAccess,WatchdogUSec,StatusText,ActiveState,SubState,ExecStart');
  assert.is(unit.Type, 'notify');
  assert.is(unit.ActiveState, 'active');
  assert.is(unit.SubState, 'running');
  // READY=1 came with "web on https port 443"; then the health the update gate waits for.
  assert.match(unit.StatusText ?? '', /^healthy: answering/);
  assert.is(unit.WatchdogUSec, '2min');
  assert.match(unit.ExecStart ?? '', /--max-semi-space-size=2 --max-old-space-size=192 /);
  // Keep-alives come every 30 s: systemd's record of the last one moves on.
  const last = () => unitProperties('hearth.service', 'WatchdogTimestampMonotonic').WatchdogTimestampMonotonic;
  const first = last();
  await waitFor('a watchdog keep-alive', 120_000, () => (last() !== first ? true : undefined));
});

test('hearth.service runs hardened as its own user and comes back after kill -9', async () => {
  const show = (properties: string) => unitProperties('hearth.service', properties);
  const before = show('MainPID,ActiveState,User,NoNewPrivileges,ProtectSystem,AmbientCapabilities,CapabilityBoundingSet,NRestarts');
  assert.is(before.ActiveState, 'active');
  assert.is(before.User, 'hearth');
  assert.is(before.NoNewPrivileges, 'yes');
  assert.is(before.ProtectSystem, 'strict');
  assert.is(before.AmbientCapabilities, 'cap_net_bind_service');
  assert.is(before.CapabilityBoundingSet, 'cap_net_bind_service');
  assert.is(guestOutput(`ps -o user= -p ${before.MainPID}`).trim(), 'hearth');

  guestOutput(`kill -9 ${before.MainPID}`);
  const after = await waitFor('hearth.service to restart', 300_000, () => {
    const state = show('MainPID,ActiveState,NRestarts');
    return state.ActiveState === 'active' && state.MainPID !== '0' && state.MainPID !== before.MainPID ? state : undefined;
  });
  assert.ok(Number(after.NRestarts) > Number(before.NRestarts), 'systemd restarted it');
  await waitFor('hearthd to answer again', 300_000, async () => {
    const reply = await device('/api/v1/status', { ca: caPem, timeoutMs: 5_000 });
    return reply.status === 200 && reply.json.setup === 'done' ? true : undefined;
  });
  assert.is(guestOutput('systemctl --failed --no-legend --plain').trim(), '', 'no failed units');
});

test('nothing listens beyond 80, 443, 8883 and 5353 (and 22, with a key)', () => {
  const allowedPorts = new Set([80, 443, 8883, 5353, 22]);
  const unexpected: string[] = [];
  for (const protocol of ['t', 'u']) {
    for (const line of guestOutput(`ss -H -${protocol}lnp`).trim().split('\n').filter(Boolean)) {
      const local = line.trim().split(/\s+/)[3] ?? '';
      const port = Number(local.slice(local.lastIndexOf(':') + 1));
      const address = local.slice(0, local.lastIndexOf(':')).replace(/^\[|\]$/g, '').replace(/%.*$/, '');
      const loopback = address.startsWith('127.') || address === '::1';
      // DHCP clients (68, 546) keep a socket for their leases; they serve nothing.
      const dhcpClient = (port === 68 || port === 546) && line.includes('systemd-network');
      if (!allowedPorts.has(port) && !loopback && !dhcpClient) unexpected.push(`${protocol === 't' ? 'tcp' : 'udp'} ${line.trim()}`);
    }
  }
  assert.equal(unexpected, [], `unexpected listeners:\n${unexpected.join('\n')}`);
  const hearthd = guestOutput('systemctl show hearth.service --property=MainPID --value').trim();
  assert.match(guestOutput('ss -H -tlnp'), new RegExp(`:443\\s.*pid=${hearthd},`), 'hearthd listens on 443');
  assert.match(guestOutput('ss -H -ulnp'), /:5353\s.*avahi-daemon/);
});

test('booted from root slot A through boot.scr; RAUC knows the slots and marked A good', async () => {
  assert.match(guestOutput('cat /proc/cmdline'), /rauc\.slot=A/);
  await waitFor('hearth-update-gate.service to decide', 120_000, () =>
    guestOutput('systemctl show hearth-update-gate.service --property=ActiveState --value').trim() === 'active' ? true : undefined,
  );
  // The A/B state in the card's raw sectors, through /dev/hearth-disk (udev) and fw_env.config.
  const state = guestOutput('fw_printenv BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT');
  assert.match(state, /BOOT_ORDER=A B/);
  assert.match(state, /BOOT_A_LEFT=3/);
  const rauc = JSON.parse(guestOutput('rauc status --output-format=json', 120_000));
  assert.is(rauc.compatible, 'hearth-rpi-arm64');
  assert.is(rauc.booted, 'A');
  assert.is(guestOutput('cat /usr/share/hearth/version').trim(), (await device('/api/v1/status')).json.version);
});

test('memory in use with hearthd idle stays under 250 MB', async () => {
  // The flows came back with hearthd after its kill -9 above: measured running, with the shipped flows.
  await waitFor('the flows to run', 300_000, () => (unitProperties('hearth-flows.service', 'StatusText').StatusText === 'flows running' ? true : undefined));
  await sleep(10_000);
  const meminfo = Object.fromEntries(
    guestOutput('cat /proc/meminfo')
      .trim()
      .split('\n')
      .map((line) => {
        const [key = '', value = '0'] = line.split(/:\s+/);
        return [key, Number.parseInt(value, 10)];
      }),
  );
  const usedMb = ((meminfo.MemTotal ?? 0) - (meminfo.MemAvailable ?? 0)) / 1024;
  const rssMb = (unit: string) => {
    const pid = guestOutput(`systemctl show ${unit} --property=MainPID --value`).trim();
    return Number(guestOutput(`awk '/^VmRSS/ { print $2 }' /proc/${pid}/status`).trim()) / 1024;
  };
  recordFigure('memory_used_mb', usedMb.toFixed(0));
  recordFigure('hearthd_rss_mb', rssMb('hearth.service').toFixed(0));
  recordFigure('flows_rss_mb', rssMb('hearth-flows.service').toFixed(0));
  assert.ok(usedMb <= MEMORY_TARGET_MB, `${usedMb.toFixed(0)} MB in use (target ≤ ${MEMORY_TARGET_MB} MB)`);
});

// After the memory figure: the kill below brings the flows back in safe mode (an early end).
test('the flows run in hearth-flows.service as a user of their own: bounded, watched, restarted, and kept out of hearthd’s data and keys', async () => {
  const show = (properties: string) => unitProperties('hearth-flows.service', properties);
  const unit = await waitFor('the flows service to be ready', 300_000, () => {
    const state = show('ActiveState,StatusText,MainPID,User,MemoryMax,CPUWeight,WatchdogUSec,ProtectSystem,NoNewPrivileges');
    return state.ActiveState === 'active' && state.StatusText === 'flows running' ? state : undefined;
  });
  assert.is(unit.User, 'hearth-flows');
  assert.is(guestOutput(`ps -o user= -p ${unit.MainPID}`).trim(), 'hearth-flows');
  assert.is(unit.MemoryMax, String(256 * 1024 * 1024));
  assert.is(unit.CPUWeight, '20');
  assert.is(unit.ProtectSystem, 'strict');
  assert.is(unit.NoNewPrivileges, 'yes');
  // Its keep-alives come from its event loop: a flow that never yields stops them, and systemd ends it.
  assert.is(unit.WatchdogUSec, '2min');
  const last = () => show('WatchdogTimestampMonotonic').WatchdogTimestampMonotonic;
  const first = last();
  await waitFor('a keep-alive from the flows', 120_000, () => (last() !== first ? true : undefined));

  // Its own folder, and nothing else of hearthd's: not the database, the keys, nor a list of what is there.
  const asFlows = (command: string) => onGuest(`runuser -u hearth-flows -- ${command}`);
  assert.is(asFlows('test -r /var/lib/hearth/flows/flows.json').status, 0, 'the flows user reads its flows');
  for (const file of ['/var/lib/hearth/hearth.db', '/var/lib/hearth/tls/ca.key', '/var/lib/hearth/secret.key']) {
    const read = asFlows(`cat ${file}`);
    assert.is.not(read.status, 0, `the flows user reads ${file}`);
    assert.match(read.stderr, /Permission denied/);
  }
  assert.is.not(asFlows('ls /var/lib/hearth').status, 0, 'the flows user lists hearthd’s data');
  assert.ok(onGuest('test -f /var/lib/hearth/tls/ca.key').status === 0, 'the CA key is where the check looked');

  // Ended from outside: systemd starts it again, hearthd stays as it was, the editor comes back.
  const hearthd = unitProperties('hearth.service', 'MainPID').MainPID;
  guestOutput(`kill -9 ${unit.MainPID}`);
  await waitFor('the flows service to restart', 300_000, () => {
    const state = show('ActiveState,MainPID');
    return state.ActiveState === 'active' && state.MainPID !== '0' && state.MainPID !== unit.MainPID ? true : undefined;
  });
  await waitFor('the flow editor to answer again', 300_000, async () => {
    const reply = await device('/flows/flows', { cookie: ownerCookie, ca: caPem, timeoutMs: 10_000 }).catch(() => undefined);
    return reply?.status === 200 ? true : undefined;
  });
  assert.is(unitProperties('hearth.service', 'MainPID').MainPID, hearthd, 'hearthd was not restarted');
});

test('the owner backs up to the USB drive HEARTH-BACK: mounted for hearthd at boot, listed, the snapshot on the drive', async () => {
  // udev (80-hearth-usb.rules) started hearth-usb-mount@<partition>.service for the stick at boot.
  const request = { cookie: ownerCookie, ca: caPem };
  const listed = await waitFor(`the drive ${USB_LABEL} to be listed`, 120_000, async () => {
    const reply = await device('/api/v1/backups/drives', request);
    return reply.status === 200 && reply.json.drives.some((drive: { label: string; mounted: boolean }) => drive.label === USB_LABEL && drive.mounted) ? reply.json.drives : undefined;
  });
  const drive = listed.find((candidate: { label: string }) => candidate.label === USB_LABEL);
  assert.is(drive.filesystem, 'vfat');
  assert.ok(drive.freeBytes > 100_000_000, JSON.stringify(drive));
  const [fstype = '', options = ''] = guestOutput(`findmnt --noheadings --output FSTYPE,OPTIONS /media/hearth/${USB_LABEL}`).trim().split(/\s+/);
  assert.is(fstype, 'vfat');
  for (const option of ['nosuid', 'nodev', 'noexec', `uid=${guestOutput('id -u hearth').trim()}`]) assert.ok(options.split(',').includes(option), options);

  const saved = await device('/api/v1/backups/settings', { ...request, method: 'PUT', body: { targets: [{ kind: 'usb', label: USB_LABEL }], schedule: null } });
  assert.is(saved.status, 200, saved.text);
  assert.equal(saved.json.targets, [{ kind: 'usb', label: USB_LABEL, folder: DEVICE_NAME }]);
  const run = await device('/api/v1/backups', { ...request, method: 'POST', timeoutMs: BACKUP_WORK_MS });
  assert.is(run.status, 200, run.text);
  const last = JSON.parse(run.text.trim().split('\n').at(-1)!);
  assert.ok(last.snapshot, run.text);
  assert.is(last.snapshot.target, `usb ${USB_LABEL}:hearth-backups/${DEVICE_NAME}`);
  const onDrive = guestOutput(`ls /media/hearth/${USB_LABEL}/hearth-backups/${DEVICE_NAME}/snapshots`).trim().split('\n');
  assert.ok(onDrive.some((id) => id.startsWith(last.snapshot.id)), `snapshot ${last.snapshot.id} on the drive: ${onDrive.join(' ')}`);
  // What the owner keeps (the emergency kit's recovery key) and knows, for the card that replaces this one.
  const kept = { recoveryKey: saved.json.recoveryKey, snapshot: last.snapshot.id, caPem, owner: OWNER, deviceName: DEVICE_NAME };
  writeFileSync(process.env.HEARTH_IMAGE_KEPT!, JSON.stringify(kept));
});

test('powers off cleanly when asked', () => {
  // The connection drops as the guest goes down; ci/image-test.sh waits for QEMU to exit.
  onGuest('systemctl poweroff', 30_000);
});

test.run();
