#!/usr/bin/env bash
# Is the image reproducible? Builds it a second time, from nothing (its own empty cache, so the
# Debian base layer is made again from the archive; or REPRO_CACHE_DIR's), in out/repro/, and
# compares it with the image in out/: the package manifest, the image's SHA-256, and where they
# differ, each partition and then each file of the root file system, by content, metadata and
# time. Prints what differs; exits 1 if anything does. Needs root, like make image.
# Usage: ci/image-reproducible.sh [--compare-only]
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }

a=out
b=out/repro
version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)
name=hearth-$version-arm64
[ -f "$a/work/hearth.img" ] || { echo "error: no $a/work/hearth.img: run make image first" >&2; exit 2; }

if [ "${1:-}" != --compare-only ]; then
  say "building the image again in $b/, from an empty cache"
  rm -rf "$b"
  mkdir -p "$b/cache"
  cache=${REPRO_CACHE_DIR:-$(pwd)/$b/cache}
  # The same time stamp as the first build, even if a commit came in between.
  epoch=$(sed -n 's/^source-date-epoch \([0-9]*\) .*/\1/p' "$a/$name.manifest.txt")
  SOURCE_DATE_EPOCH=$epoch HEARTH_OUT_DIR=$(pwd)/$b HEARTH_CACHE_DIR=$cache image/build.sh
fi

differs=0
say "package manifests"
if diff <(grep -v '^\(base-layer\|commit\) ' "$a/$name.manifest.txt") <(grep -v '^\(base-layer\|commit\) ' "$b/$name.manifest.txt") > "$b/manifest.diff"; then
  info "same packages and versions ($(grep -c ' \(arm64\|all\)$' "$a/$name.manifest.txt") Debian packages, Node.js, commit, SOURCE_DATE_EPOCH)"
else
  differs=1
  info "the manifests differ:"
  sed 's/^/      /' "$b/manifest.diff"
fi
base_a=$(sed -n 's/^base-layer //p' "$a/$name.manifest.txt")
base_b=$(sed -n 's/^base-layer //p' "$b/$name.manifest.txt")
[ "$base_a" = "$base_b" ] || info "note: base layer inputs differ ($base_a, $base_b)"

say "the image"
sum_a=$(sha256sum < "$a/work/hearth.img" | cut -c1-64)
sum_b=$(sha256sum < "$b/work/hearth.img" | cut -c1-64)
if [ "$sum_a" = "$sum_b" ]; then
  info "hearth.img is bit for bit the same: $sum_a"
  cmp -s "$a/$name.img.xz" "$b/$name.img.xz" && info "and so is $name.img.xz" || info "$name.img.xz differs (xz's output, not the image)"
  exit "$differs"
fi
differs=1
info "hearth.img differs ($sum_a, $sum_b)"
for part in "$a"/work/parts/*; do
  p=$(basename "$part")
  if cmp -s "$part" "$b/work/parts/$p"; then info "  $p: same"; else info "  $p: differs"; fi
done

say "files of the root file system that differ (content, mode, owner, link target or time)"
list() { # one line per path: type, mode, owner, size, time, link target; then each file's SHA-256
  (cd "$1" && find . -printf '%p\t%y\t%m\t%U:%G\t%s\t%T@\t%l\n' | sort)
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sed 's/^\([0-9a-f]*\)  \(.*\)$/\2\tsha256 \1/')
}
list "$a/work/rootfs" > "$b/rootfs-a.list"
list "$b/work/rootfs" > "$b/rootfs-b.list"
python3 - "$b/rootfs-a.list" "$b/rootfs-b.list" > "$b/rootfs.diff" <<'PY'
import sys
def load(path):
    meta, sums = {}, {}
    for line in open(path, errors='replace'):
        fields = line.rstrip('\n').split('\t')
        if len(fields) == 2 and fields[1].startswith('sha256 '):
            sums[fields[0]] = fields[1]
        elif len(fields) >= 7:
            meta[fields[0]] = fields
    return meta, sums
(ma, sa), (mb, sb) = load(sys.argv[1]), load(sys.argv[2])
only = sorted(set(ma) ^ set(mb))
content = sorted(p for p in sa if p in sb and sa[p] != sb[p])
metadata = sorted(p for p in ma if p in mb and ma[p][1:5] + ma[p][6:] != mb[p][1:5] + mb[p][6:] and p not in content)
times = [p for p in ma if p in mb and ma[p][5] != mb[p][5]]
print(f'{len(only)} paths in one build only, {len(content)} with other content, {len(metadata)} with other mode/owner/link, {len(times)} with other times')
for p in only: print(f'  only in one: {p}')
for p in content: print(f'  content: {p}')
for p in metadata: print(f'  metadata: {p} {ma[p][1:5]} {mb[p][1:5]}')
pairs = {}
for p in times: pairs.setdefault((ma[p][5].split('.')[0], mb[p][5].split('.')[0]), []).append(p)
for (ta, tb), paths in sorted(pairs.items(), key=lambda item: -len(item[1]))[:5]:
    print(f'  times {ta} / {tb}: {len(paths)} paths, e.g. {paths[0]}')
PY
sed 's/^/    /' "$b/rootfs.diff" | head -n 60
exit "$differs"
