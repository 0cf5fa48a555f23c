# Helpers shared by the build steps: progress lines, paths, the mirror list.
# shellcheck shell=bash
set -euo pipefail

IMAGE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$IMAGE_DIR")
OUT_DIR=${HEARTH_OUT_DIR:-$REPO_DIR/out}
# The slow layers (Debian base, Node.js, production node_modules). CI can keep them across fresh
# clones by pointing this outside the work tree, e.g. HEARTH_CACHE_DIR=/var/cache/hearth-image.
CACHE_DIR=${HEARTH_CACHE_DIR:-$OUT_DIR/cache}
WORK_DIR=$OUT_DIR/work
ROOTFS=$WORK_DIR/rootfs
BOOTFS=$WORK_DIR/bootfs
DATAFS=$WORK_DIR/datafs
# shellcheck source=config.sh
. "$IMAGE_DIR/config.sh"

HEARTH_VERSION=${HEARTH_VERSION:-$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$REPO_DIR/package.json")}
# make build puts the same suffix into hearthd (semver build metadata: 0.1.0+update.1). Once: a
# HEARTH_VERSION given in the environment reaches the steps, which read this file again.
case $HEARTH_VERSION in
  *+*) ;;
  *) HEARTH_VERSION=$HEARTH_VERSION${HEARTH_VERSION_SUFFIX:++$HEARTH_VERSION_SUFFIX} ;;
esac
NODE_VERSION=${NODE_VERSION:-$(sed -n 's/^    "node": "\(.*\)",$/\1/p' "$REPO_DIR/package.json")}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$REPO_DIR" log -1 --format=%ct 2>/dev/null || date +%s)}
export LC_ALL=C.UTF-8 TZ=UTC

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The apt sources of the image, one "deb" line each, as mmdebstrap takes them.
mirror_lines() {
  printf 'deb %s %s %s\n' "$HEARTH_MIRROR" "$HEARTH_SUITE" "$HEARTH_COMPONENTS"
  printf 'deb %s %s-updates %s\n' "$HEARTH_MIRROR" "$HEARTH_SUITE" "$HEARTH_COMPONENTS"
  printf 'deb %s %s-security %s\n' "$HEARTH_SECURITY_MIRROR" "$HEARTH_SUITE" "$HEARTH_COMPONENTS"
}

# Package names from a list file: one a line, "#" comments and blank lines ignored.
package_list() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1" | tr -d ' \t'; }

# The key bundles are signed with, its certificate, and the keyring the device checks them
# against (/etc/rauc/keyring.pem). A release build gives HEARTH_SIGNING_KEY and HEARTH_SIGNING_CERT
# (and HEARTH_SIGNING_KEYRING, the CA that issued the certificate, when it is not self-signed).
# Otherwise a development CA and signing key are made once under out/keys/ (never committed):
# bundles signed with them install only on images built with them.
signing_material() {
  if [ -n "${HEARTH_SIGNING_KEY:-}" ] || [ -n "${HEARTH_SIGNING_CERT:-}" ]; then
    [ -f "${HEARTH_SIGNING_KEY:-}" ] && [ -f "${HEARTH_SIGNING_CERT:-}" ] \
      || die "HEARTH_SIGNING_KEY and HEARTH_SIGNING_CERT must both name files"
    SIGNING_KEY=$HEARTH_SIGNING_KEY
    SIGNING_CERT=$HEARTH_SIGNING_CERT
    SIGNING_KEYRING=${HEARTH_SIGNING_KEYRING:-$HEARTH_SIGNING_CERT}
    return
  fi
  local keys=$OUT_DIR/keys
  SIGNING_KEY=$keys/signing.key.pem
  SIGNING_CERT=$keys/signing.cert.pem
  SIGNING_KEYRING=$keys/ca.cert.pem
  [ -f "$SIGNING_KEY" ] && [ -f "$SIGNING_CERT" ] && [ -f "$SIGNING_KEYRING" ] && return
  info "making a development signing key and CA in $keys (not for release: see image/README.md)"
  make_signing_keys "$keys" "Hearth development"
}

# make_signing_keys DIR NAME: a CA (ca.cert.pem, ca.key.pem) and a bundle-signing key and
# certificate it issued (signing.key.pem, signing.cert.pem), ECDSA P-256, ten years.
make_signing_keys() {
  local dir=$1 name=$2
  mkdir -p "$dir"
  chmod 0700 "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -keyout "$dir/ca.key.pem" -out "$dir/ca.cert.pem" -subj "/O=$name/CN=$name update CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/signing.key.pem" -out "$dir/signing.csr" -subj "/O=$name/CN=$name bundle signer" 2>/dev/null
  openssl x509 -req -in "$dir/signing.csr" -CA "$dir/ca.cert.pem" -CAkey "$dir/ca.key.pem" -CAcreateserial \
    -days 3650 -out "$dir/signing.cert.pem" \
    -extfile <(printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n') 2>/dev/null
  rm -f "$dir/signing.csr" "$dir/ca.cert.srl"
}
