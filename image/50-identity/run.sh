#!/usr/bin/env bash
# Step 50: no device identity in the image. Each device makes its own at first boot: systemd a
# new machine-id (an empty /etc/machine-id means "first boot"), SSH its host keys the first time
# it starts (hearth-ssh-keys.service), hearthd its certificate authority.
. "$(dirname "$0")/../lib.sh"

: > "$ROOTFS/etc/machine-id"
rm -f "$ROOTFS/var/lib/dbus/machine-id" "$ROOTFS"/etc/ssh/ssh_host_*_key "$ROOTFS"/etc/ssh/ssh_host_*_key.pub \
  "$ROOTFS/var/lib/systemd/random-seed" "$ROOTFS/var/lib/systemd/credential.secret"
ln -sfn /etc/machine-id "$ROOTFS/var/lib/dbus/machine-id"

# /usr is as the build left it: nothing for the first boot to redo (ldconfig, the journal's
# catalog; services with ConditionNeedsUpdate=). systemd-update-done's own record of that.
usr_mtime=$(stat -c %.9Y "$ROOTFS/usr")
for dir in etc var; do
  printf '# Written by Hearth'"'"'s image build, as systemd-update-done would.\nTIMESTAMP_NSEC=%s\n' "${usr_mtime/./}" > "$ROOTFS/$dir/.updated"
done

# No account can log in with a password: every password field is locked ("!…" or "*").
with_password=$(awk -F: '$2 !~ /^[!*]/ { print $1 }' "$ROOTFS/etc/shadow")
[ -z "$with_password" ] || die "accounts with a password (or an empty one) in the image: $with_password"
info "no passwords in the image; no machine-id, SSH host keys or random seed either"
