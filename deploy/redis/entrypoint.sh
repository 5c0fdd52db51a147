#!/bin/sh
# Writes Redis's ACL file from the secret files (or the environment) into a private tmpfs, then runs Redis with deploy/redis/redis.conf.
#   default: the services' user (StackExchange.Redis authenticates with a password only). All keys and channels,
#            every command except the dangerous ones (FLUSHALL, KEYS, CONFIG, DEBUG, SHUTDOWN, MONITOR, ACL, ...);
#            INFO stays, the client reads the server's version and role from it.
#   monitor: redis_exporter's user: INFO, PING, CONFIG GET and a few read-only diagnostics, no key access.
set -eu
# shellcheck source=../lib/secret-files.sh
. "${SMSBRIDGE_LIB_DIR:-/opt/smsbridge/lib}/secret-files.sh"
for variable in REDIS_PASSWORD REDIS_MONITOR_PASSWORD; do
    read_secret redis "$variable"
    forbid_in_secret redis "$variable" '[[:space:]]' "$variable must not contain white space"
done
umask 077
acl_dir="${REDIS_ACL_DIR:-/run/redis}"
cat > "$acl_dir/users.acl" <<ACL
user default on >$REDIS_PASSWORD ~* &* +@all -@dangerous +info
user monitor on >$REDIS_MONITOR_PASSWORD -@all +ping +info +config|get +client|list +slowlog|get +latency|latest +dbsize +select
ACL
unset REDIS_PASSWORD REDIS_MONITOR_PASSWORD
exec redis-server "${REDIS_CONF:-/etc/redis/redis.conf}" "$@"
