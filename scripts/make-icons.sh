#!/usr/bin/env bash
# Draws the product icons from the VS Code extension's activity-bar glyph
# (packages/vscode-extension/media/evo-sessions.svg): its paths in white on a rounded square of
# the gallery banner's colour, as
#   packages/vscode-extension/media/icon.png  128×128, the Marketplace icon
#   packages/mcp-server/icon.png              512×512, the Claude Desktop bundle's (build-mcpb.sh)
# The PNGs are committed; run this again only when the glyph or the colour changes. Needs
# rsvg-convert (Debian: apt-get install librsvg2-bin).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
GLYPH=packages/vscode-extension/media/evo-sessions.svg

BACKGROUND="#0b3d6b" # keep equal to galleryBanner.color in the extension's package.json
command -v rsvg-convert >/dev/null ||
  { echo "make-icons: rsvg-convert is missing; install it: apt-get install librsvg2-bin" >&2; exit 1; }

# The glyph's <path> elements, as they are in the 24×24 activity-bar icon.
paths="$(grep -o '<path [^>]*/>' "$GLYPH")"
[[ -n "$paths" ]] || { echo "make-icons: no <path> in $GLYPH" >&2; exit 1; }

svg="$(mktemp --suffix=.svg)"
trap 'rm -f "$svg"' EXIT
# 24-unit glyph scaled ×4 into the middle 96 px of 128, strokes a little heavier for small sizes.
cat >"$svg" <<SVG
<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect width="128" height="128" rx="24" fill="$BACKGROUND"/>
  <g transform="translate(16 16) scale(4)" fill="none" stroke="#ffffff" stroke-width="1.9"
     stroke-linecap="round" stroke-linejoin="round">
    $paths
  </g>
</svg>
SVG
for target in packages/vscode-extension/media/icon.png:128 packages/mcp-server/icon.png:512; do
  rsvg-convert --width "${target##*:}" --height "${target##*:}" --format png \
    --output "${target%:*}" "$svg"
  echo "wrote ${target%:*} (${target##*:}×${target##*:})"
done
