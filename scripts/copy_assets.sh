#!/usr/bin/env bash
# Copy the front-end packages that npm installed into civtech/static/vendor/, where Django's
# staticfiles finds them. Run from the repository root after `npm ci`. Safe to run repeatedly:
# the vendor folder is rebuilt from scratch each time, so nothing stale survives an upgrade.
set -euo pipefail

NODE_MODULES="node_modules"
DEST="civtech/static/vendor"
DS="$NODE_MODULES/@scottish-government/design-system/dist"

if [[ ! -d "$DS" ]]; then
    echo "copy_assets: $DS not found; run 'npm ci' from the repository root first." >&2
    exit 1
fi

rm -rf "$DEST"
mkdir -p "$DEST/images/icons" "$DEST/images/documents/svg"

# Scottish Government Design System. The compiled CSS references no external files (its only
# url() is an inline data: URI), so only the stylesheet, its map and the script are needed.
# The images keep the package's dist/ layout: templates point <svg><use> at the icon sprite and
# <img> at the document-type thumbnails used by the file download component.
cp "$DS/css/design-system.min.css" "$DS/css/design-system.min.css.map" "$DEST/"
# design-system.js is a self-contained ES module (no imports), so it is copied as-is.
cp "$DS/scripts/design-system.js" "$DEST/"
cp "$DS/images/icons/icons.stack.svg" "$DEST/images/icons/"
cp "$DS"/images/documents/svg/*.svg "$DEST/images/documents/svg/"

cp "$NODE_MODULES/htmx.org/dist/htmx.min.js" "$DEST/"

cp "$NODE_MODULES/chart.js/dist/chart.umd.js" "$DEST/"
if [[ -f "$NODE_MODULES/chart.js/dist/chart.umd.js.map" ]]; then
    cp "$NODE_MODULES/chart.js/dist/chart.umd.js.map" "$DEST/"
fi

# axe-core is only loaded by the accessibility tests, never by the pages themselves.
cp "$NODE_MODULES/axe-core/axe.min.js" "$DEST/"

echo "copy_assets: copied front-end assets into $DEST"
