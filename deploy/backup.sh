#!/bin/sh
# Nightly PostgreSQL dumps with a retention count (docker-compose's "backup" service).
#
#   backup.sh          loop: a dump every night at BACKUP_HOUR:BACKUP_MINUTE (UTC)
#   backup.sh once     one dump now, then prune (for cron, or before an upgrade)
#
# Connection: the libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).
# BACKUP_DIR (default /backups) receives <PGDATABASE>-<UTC time>.dump in pg_dump's custom
# format (compressed; pg_restore reads it); BACKUP_KEEP (default 14) newest dumps are kept.
# A dump is written under a temporary name and renamed when complete, so a failed or
# interrupted dump never counts towards the retention or looks like a backup.
# Restoring: see docs/backups.md.
set -eu

BACKUP_DIR="${BACKUP_DIR:-/backups}"
BACKUP_KEEP="${BACKUP_KEEP:-14}"
BACKUP_HOUR="${BACKUP_HOUR:-3}"
BACKUP_MINUTE="${BACKUP_MINUTE:-15}"
DB="${PGDATABASE:?Set PGDATABASE}"

dump_once() {
    mkdir -p "$BACKUP_DIR"
    final="$BACKUP_DIR/$DB-$(date -u +%Y%m%dT%H%M%SZ).dump"
    while [ -e "$final" ]; do  # a second dump within the same second (run by hand)
        sleep 1
        final="$BACKUP_DIR/$DB-$(date -u +%Y%m%dT%H%M%SZ).dump"
    done
    partial="$final.partial"
    if pg_dump --format=custom --no-owner --no-privileges --file="$partial" "$DB"; then
        mv "$partial" "$final"
        echo "backup: wrote $final"
    else
        rm -f "$partial"
        echo "backup: pg_dump failed; older dumps kept" >&2
        return 1
    fi
    # Keep the newest BACKUP_KEEP complete dumps of this database (names sort by time).
    ls -1 "$BACKUP_DIR/$DB"-*.dump 2>/dev/null | sort -r | tail -n +"$((BACKUP_KEEP + 1))" |
        while read -r old; do
            rm -f "$old"
            echo "backup: removed $old (keeping $BACKUP_KEEP)"
        done
}

seconds_until_next_run() {
    now=$(date -u +%s)
    today=$(date -u +%Y-%m-%d)
    next=$(date -u -d "$today $BACKUP_HOUR:$BACKUP_MINUTE:00" +%s)
    if [ "$next" -le "$now" ]; then
        next=$((next + 86400))
    fi
    echo $((next - now))
}

if [ "${1:-}" = "once" ]; then
    dump_once
    exit $?
fi

# A fresh deployment (or one whose last dump is more than a day old) gets one at once.
if [ -z "$(find "$BACKUP_DIR" -name "$DB-*.dump" -mmin -1440 2>/dev/null | head -n 1)" ]; then
    dump_once || true
fi
while :; do
    sleep "$(seconds_until_next_run)"
    # A failed night is reported in the log and by the healthcheck (no fresh dump); the
    # loop goes on to the next night.
    dump_once || true
done
