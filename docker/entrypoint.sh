#!/usr/bin/env bash
# Entrypoint of the openIMIS image, as the original's: `start` migrates, then serves.
#   start        migrate every module, then serve on 0.0.0.0:$PORT
#   healthcheck  GET /ht/ on the local server (the image's HEALTHCHECK)
#   check | migrate | modules | schema | inspect ...   the `openimis` command
#   anything else is run as given
set -euo pipefail

case "${DB_DEFAULT:-postgresql}" in
    postgresql) ;;
    sqlite)
        export NO_DATABASE=True
        export SQLITE_PATH="${SQLITE_PATH:-/app/data/openimis.sqlite3}"
        ;;
    *)
        echo "error [CONFIG_INVALID] DB_DEFAULT=${DB_DEFAULT} is invalid: expected postgresql or sqlite" >&2
        exit 2
        ;;
esac

case "${1:-start}" in
    start)
        openimis migrate
        exec openimis serve --bind "0.0.0.0:${PORT:-8000}"
        ;;
    healthcheck)
        exec 3<>"/dev/tcp/127.0.0.1/${PORT:-8000}"
        printf 'GET /ht/ HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
        head -n 1 <&3 | grep -q ' 200 '
        ;;
    check | migrate | modules | schema | inspect)
        exec openimis "$@"
        ;;
    *)
        exec "$@"
        ;;
esac
