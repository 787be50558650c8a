#!/bin/sh
# Installs the Debian packages MaintDesk uses, when this user may (root or sudo).
#   libpango-1.0-0, libpangoft2-1.0-0  WeasyPrint's text layout
#   libharfbuzz-subset0                 font subsetting about 4x faster than the fallback
#   poppler-utils, qpdf                 reading PDFs back in tests (pdftotext, pdftoppm, qpdf --check)
#   xvfb                                a virtual screen for looking at the GUI
#   fonts-dejavu-core                   the letters' font
#   fonts-dejavu-extra                  its condensed face, for the lobby poster's columns
#   libxcb-cursor0, libxcb-icccm4, …    what Qt's X11 (xcb) platform plugin and Qt's GUI libraries
#   libegl1, libgl1, libfontconfig1, …  load (from `ldd` of libqxcb.so, libQt6XcbQpa, libQt6Gui):
#                                       without them the window cannot open on an X11 desktop
#   x11-utils                           xwininfo, to wait for the window in the real-window test
#   dovecot-imapd                       a real IMAP server the mailbox tests start on loopback (bounces,
#                                       replies); its system service is not used
#   postgresql                          an office's shared database: the tests start their own server
#                                       (initdb + pg_ctl in a temporary folder, on 127.0.0.1); the
#                                       package's own cluster and service are not used
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils qpdf xvfb fonts-dejavu-core fonts-dejavu-extra
 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-image0 libxcb-render-util0 libxcb-shape0
 libxcb-xkb1 libxcb-randr0 libxcb1 libxcb-glx0 libxcb-render0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0
 libx11-6 libx11-xcb1 libxkbcommon0 libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 x11-utils
 dovecot-imapd postgresql"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
command -v apt-get >/dev/null 2>&1 || { echo "note: not a Debian system; install the equivalents of:$missing"; exit 0; }

if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "note: cannot install Debian packages without root; please install:$missing"
    exit 0
fi
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
