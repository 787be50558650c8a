#!/bin/sh
# Adds MaintDesk to the desktop's application menu for this user: the .desktop file (pointing at
# this folder) and the icon, under ~/.local/share. Run it again after moving the folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications" "$data/icons/hicolor/256x256/apps"
cp "$here/maintdesk.png" "$data/icons/hicolor/256x256/apps/maintdesk.png"
sed "s|^Exec=.*|Exec=\"$here/maintdesk-gui\"|" "$here/maintdesk.desktop" > "$data/applications/maintdesk.desktop"
echo "MaintDesk is in the applications menu now ($data/applications/maintdesk.desktop)."
