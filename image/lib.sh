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
