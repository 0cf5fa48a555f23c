# What ci/image-test.sh and ci/update-test.sh share: output, host tools, the flashed card with the
# owner's hearth.txt, free ports and the tally of uvu's counts.
# shellcheck shell=bash
set -euo pipefail

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; echo "0 passed, 1 failed"; exit 1; }

# host_tools PACKAGE...: installs the missing ones with apt-get.
host_tools() {
  local missing=() package sudo_cmd=""
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  info "installing with apt-get: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# flash_card XZ BMAP CARD: the published image onto an 8 GiB card file, as an owner flashes it.
flash_card() {
  local start
  start=$(date +%s)
  bmaptool --quiet copy --bmap "$2" "$1" "$3"
  # bmaptool leaves a file the image's size; a card is bigger (the data partition grows into it).
  truncate --size 8G "$3"
  info "flashed in $(( $(date +%s) - start ))s"
}

# boot_offset CARD: where p1 starts, in bytes (for mtools' -i CARD@@OFFSET).
boot_offset() { echo $(( $(sfdisk --json "$1" | sed -n 's/.*"start": *\([0-9]*\).*/\1/p' | head -n 1) * 512 )); }

# owner_hearth_txt CARD WORKDIR: hearth.txt as an owner would edit it, with a setup code and an
# SSH key made for this test only (WORKDIR/ssh-key); sets SETUP_CODE.
owner_hearth_txt() {
  local card=$1 work=$2 p1_offset
  ssh-keygen -q -t ed25519 -N '' -C hearth-image-test -f "$work/ssh-key"
  SETUP_CODE=image-test-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
  p1_offset=$(boot_offset "$card")
  mtype -i "$card@@$p1_offset" ::hearth.txt > "$work/hearth.txt"
  sed -i -e "s|^#SETUP_CODE=.*|SETUP_CODE=$SETUP_CODE|" \
    -e "s|^#SSH_AUTHORIZED_KEY=.*|SSH_AUTHORIZED_KEY=$(cat "$work/ssh-key.pub")|" "$work/hearth.txt"
  mcopy -o -i "$card@@$p1_offset" "$work/hearth.txt" ::hearth.txt
}

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

passed=0
failed=0
tally() { # the uvu output of one test file
  local total ok
  total=$(sed -n 's/^ *Total: *\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  ok=$(sed -n 's/^ *Passed: *\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  if [ -z "$total" ] || [ -z "$ok" ]; then failed=$((failed + 1)); return; fi
  passed=$((passed + ok))
  failed=$((failed + total - ok))
}

run_test() { node --disable-warning=ExperimentalWarning --import tsx "$@"; }
