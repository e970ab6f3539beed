#!/bin/sh
# Runs Redis and two Rendezvous replicas on this machine, without containers:
#
#   docker/replicas.sh            # Redis on 6380, replicas on 8081 and 8082; Ctrl-C stops all three
#
# Needs redis-server on PATH. Packages the application first when target/quarkus-app is missing.
# REDIS_PORT, REPLICA_PORTS and REDIS_DIR override the defaults.
set -eu
cd "$(dirname "$0")/.."

redis_port="${REDIS_PORT:-6380}"
replica_ports="${REPLICA_PORTS:-8081 8082}"
redis_dir="${REDIS_DIR:-target/redis}"

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    ./mvnw -q package -DskipTests
fi
mkdir -p "$redis_dir"

pids=""
stop() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

# Append-only file on: results survive a Redis restart. noeviction: Redis never drops live correlations.
# hash-max-ziplist-value (hash-max-listpack-value since Redis 7, which takes either name): correlations
# with results up to 1 KiB stay in the compact hash encoding.
redis-server --port "$redis_port" --bind 127.0.0.1 --appendonly yes --appendfsync everysec \
    --maxmemory-policy noeviction --hash-max-ziplist-value 1024 --save "" --dir "$redis_dir" &
pids="$pids $!"

for port in $replica_ports; do
    java -Dquarkus.http.port="$port" \
        -Drendezvous.store=redis \
        -Dquarkus.redis.hosts="redis://127.0.0.1:$redis_port" \
        -jar target/quarkus-app/quarkus-run.jar &
    pids="$pids $!"
done

echo "Redis on $redis_port; replicas on $replica_ports. Ctrl-C stops them."
wait
