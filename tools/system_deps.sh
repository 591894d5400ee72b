#!/usr/bin/env bash
# Install the system tools that `make test` drives as a user would (stock minisign, poppler,
# zbar, LibreOffice headless, NSIS, SoftHSM2 + OpenSC, zip). As root on Debian/Ubuntu it
# installs what is missing with apt-get; otherwise it stops at once with the exact command.
# A test never skips because a tool is missing: it is installed here, or `make test` fails.
set -euo pipefail

# command -> Debian package that provides it
declare -A PKG=(
  [minisign]=minisign
  [pdftotext]=poppler-utils
  [pdffonts]=poppler-utils
  [pdftoppm]=poppler-utils
  [pdfsig]=poppler-utils
  [zbarimg]=zbar-tools
  [zip]=zip
  [unzip]=unzip
  [makensis]=nsis
  [soffice]=libreoffice-calc-nogui
  [softhsm2-util]=softhsm2
  [pkcs11-tool]=opensc
  [openssl]=openssl
  [unshare]=util-linux
)
# packages needed without a command of their own
EXTRA="libreoffice-writer-nogui"
# `make run` (the app in a real window) on Linux: the X11 libraries Qt's xcb plugin loads
GUI_EXTRA="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0"
GUI=0
if [ "${1:-}" = "--gui" ]; then
  GUI=1
  EXTRA="$GUI_EXTRA"
  [ "$(uname -s)" = Linux ] || exit 0
fi

missing=""
for cmd in "${!PKG[@]}"; do
  [ "$GUI" = 0 ] || break
  command -v "$cmd" >/dev/null 2>&1 || missing="$missing ${PKG[$cmd]}"
done
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $EXTRA; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
fi
missing=$(echo "$missing" | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/^ *//;s/ *$//')
[ -z "$missing" ] && exit 0

cmdline="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system tools the tests use: $missing"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  exit 0
fi
echo "The test suite needs these system packages: $missing" >&2
echo "Install them (as root), then run make again:" >&2
echo "  sudo sh -c '$cmdline'" >&2
exit 1
