#!/bin/bash
# Prepares what a conformance run boots: the host packages, a Debian 6.12
# kernel unpacked (never installed into /boot) and an initramfs base with
# busybox, the mkfs tools, ndctl and the modules (conform/vm/init comes with
# each run's programs). Run as
# root on Debian 12. Everything lands in $CACHE/<kernel version>-<this
# script's and init's hash>/, so a second run finds it and starts at the boot.
#
#   setup.sh CACHE          prints the ready directory on stdout (last line)
#
# Exit 2 with one line naming what is missing when it cannot be installed.
set -euo pipefail
CACHE=${1:?usage: setup.sh CACHE}
HERE=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
missing() { echo "conform setup: $*" >&2; exit 2; }
log() { echo "conform setup: $*" >&2; }

# ---- host packages -----------------------------------------------------------
# package:file it provides, so that an installed tool is not reinstalled.
NEED="qemu-system-x86:/usr/bin/qemu-system-x86_64 busybox-static:/bin/busybox xfsprogs:/sbin/mkfs.xfs
e2fsprogs:/sbin/mke2fs ndctl:/usr/bin/ndctl cpio:/usr/bin/cpio kmod:/sbin/depmod gcc:/usr/bin/gcc
libc6-dev:/usr/lib/x86_64-linux-gnu/libc.a xz-utils:/usr/bin/xz"
want=()
for pf in $NEED; do [ -e "${pf#*:}" ] || want+=("${pf%%:*}"); done
if [ ${#want[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || missing "not root, cannot install: ${want[*]} (run as root, or apt-get install them)"
  command -v apt-get >/dev/null || missing "no apt-get (a Debian 12 host is needed) to install: ${want[*]}"
  # (no `| grep -q`: under pipefail its early exit fails the pipeline)
  has_candidate() { case "$(apt-cache policy "$1" 2>/dev/null)" in *"Candidate: (none)"*|"") return 1 ;; *Candidate:*) return 0 ;; *) return 1 ;; esac; }
  nocand=()
  for p in "${want[@]}"; do
    has_candidate "$p" || nocand+=("$p")
  done
  if [ ${#nocand[@]} -gt 0 ]; then
    log "no candidate for ${nocand[*]}; apt-get update"
    apt-get update -q >&2 || true
    for p in "${nocand[@]}"; do
      has_candidate "$p" || missing "Debian package $p has no install candidate (apt-cache policy $p)"
    done
  fi
  log "installing ${want[*]}"
  apt-get install -y -q --no-install-recommends "${want[@]}" >&2 || missing "apt-get install ${want[*]} failed"
fi
for pf in $NEED; do [ -e "${pf#*:}" ] || missing "${pf#*:} is missing after installing ${pf%%:*}"; done

# ---- kernel package ----------------------------------------------------------
kpkgs() { apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' | awk '{print $1}' | sort -V; }
KPKG=${DAXCHECK_KERNEL_PACKAGE:-$(kpkgs | tail -1)}
if [ -z "$KPKG" ]; then
  log "no linux-image-6.12 package known; apt-get update"
  apt-get update -q >&2 || true
  KPKG=$(kpkgs | tail -1)
  [ -n "$KPKG" ] || missing "no Debian package linux-image-6.12.*+deb12-amd64-unsigned (is bookworm-security in the apt sources?)"
fi
KPKGVER=$(apt-cache policy "$KPKG" | awk '/Candidate:/{print $2}')
# init is not in the base: each run's archive brings it (conform/vm.ts), so editing it rebuilds nothing.
HASH=$( (cat "$HERE/setup.sh"; echo "$KPKG $KPKGVER") | sha256sum | cut -c1-12)
OUT=$CACHE/${KPKG#linux-image-}-$HASH
if [ -f "$OUT/ready" ]; then echo "$OUT"; exit 0; fi
log "building $OUT"
mkdir -p "$CACHE"; WORK=$(mktemp -d "$CACHE/.build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && apt-get download "$KPKG" >&2) || missing "apt-get download $KPKG failed"
dpkg -x "$WORK"/*.deb "$WORK/k"
KV=$(ls "$WORK/k/lib/modules")
# The package ships no modules.dep (it is made at install time).
depmod -b "$WORK/k" "$KV"

# ---- initramfs base ----------------------------------------------------------
R=$WORK/root
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,mnt,etc,lib/modules,run,conform}
cp /bin/busybox "$R/bin/"
for a in $(/bin/busybox --list); do [ -e "$R/bin/$a" ] || ln -s busybox "$R/bin/$a"; done
copybin() {  # a binary and its shared libraries, at the host's paths
  install -D "$1" "$R$1"
  ldd "$1" | awk '/=> \//{print $3} /^\t\/lib/{print $1}' | while read -r l; do
    [ -e "$R$l" ] || install -D "$(readlink -f "$l")" "$R$l"; done
}
for b in /sbin/mke2fs /sbin/mkfs.xfs /usr/bin/ndctl; do copybin "$b"; done
ln -sf mke2fs "$R/sbin/mkfs.ext4"
cp /etc/mke2fs.conf "$R/etc/"
M=$WORK/k/lib/modules/$KV
# In dependency order; init loads them with insmod in the order of this list.
# xts and cts: fscrypt's AES-256-XTS contents and AES-256-CTS names (CONFIG_FS_ENCRYPTION_ALGS=m), for unfit=encrypted.
MODS="libnvdimm nd_btt nd_pmem nfit nd_e820 dax_pmem crc16 mbcache jbd2 crc32c_generic libcrc32c xts cts ext4 xfs"
: > "$R/lib/modules/order"
for m in $MODS; do
  f=$(grep -E "(^|/)$m\.ko(\.xz)?:" "$M/modules.dep" | cut -d: -f1 || true)
  [ -n "$f" ] || { grep -q "/$m.ko" "$M/modules.builtin" 2>/dev/null && continue; missing "module $m not in $KPKG"; }
  case $f in *.xz) xz -dc "$M/$f" > "$R/lib/modules/$m.ko" ;; *) cp "$M/$f" "$R/lib/modules/$m.ko" ;; esac
  echo "$m" >> "$R/lib/modules/order"
done
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -6) > "$WORK/base.cpio.gz"
mkdir -p "$OUT"
cp "$WORK/k/boot/vmlinuz-$KV" "$OUT/vmlinuz"
mv "$WORK/base.cpio.gz" "$OUT/"
echo "$KV" > "$OUT/kernel-version"
echo "$KPKG $KPKGVER" > "$OUT/kernel-package"
touch "$OUT/ready"
echo "$OUT"
