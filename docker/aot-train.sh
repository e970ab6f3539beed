#!/bin/sh
# Writes the JVM's AOT cache for the packaged service (Java 25: classes loaded and linked, and method
# profiles, ready at the next start): starts the service with -XX:AOTCacheOutput, sends it the traffic
# of dev.rendezvous.ops.AotTraining, stops it; the JVM writes the cache as it exits. The image's build
# runs it (docker/Dockerfile.jvm), so does the benchmark (support.AotCache), with the same options as
# the service then starts with: a cache is used only by the JVM, options and class path it was made with.
#
# Usage: aot-train.sh <cache file> <application directory (target/quarkus-app)> [JVM options...]
# Environment: JAVA (default java), AOT_TRAINING_PORT (default 8089), AOT_TRAINING_EXCHANGES (default 10000).
set -eu

cache=$1
app=$2
shift 2
java=${JAVA:-java}
port=${AOT_TRAINING_PORT:-8089}

"$java" "$@" -XX:AOTCacheOutput="$cache" -Dquarkus.http.port="$port" -jar "$app/quarkus-run.jar" &
service=$!
# A failed training kills the service (no exit hooks, so no cache from it) and waits for it.
trap 'kill -9 "$service" 2>/dev/null; wait "$service" 2>/dev/null || true; rm -f "$cache" "$cache.config"' EXIT
trap 'exit 130' INT TERM

"$java" -cp "$app/app/*" dev.rendezvous.ops.AotTraining \
    "http://127.0.0.1:$port/" "${AOT_TRAINING_EXCHANGES:-10000}"

# A graceful stop: the cache is written on the way out (after SIGTERM the JVM exits with 143).
kill -TERM "$service"
trap - EXIT
wait "$service" || true
test -s "$cache" || { echo "aot-train.sh: no cache written to $cache" >&2; exit 1; }
