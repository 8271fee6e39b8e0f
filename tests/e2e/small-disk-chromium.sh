#!/bin/sh
# Chromium with its downloads folder on a small disk of its own: a new mount namespace (its own user
# namespace too, so no root is needed) where $ARCHIVISTE_DISK_DIR is a tmpfs of $ARCHIVISTE_DISK_BYTES
# bytes, gone with the browser. Used as Playwright's executablePath (tests/e2e/chromium.ts); every
# argument goes on to $ARCHIVISTE_CHROMIUM. A disk that cannot be made stops the launch.
exec unshare --mount --map-root-user sh -c '
  mount -t tmpfs -o "size=$ARCHIVISTE_DISK_BYTES" tmpfs "$ARCHIVISTE_DISK_DIR" || exit 1
  exec "$ARCHIVISTE_CHROMIUM" "$@"
' sh "$@"
