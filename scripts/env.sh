#!/usr/bin/env bash
# Environment shared by services, tools and tests. Source it:
#   source scripts/env.sh [dev|test]
# The profile (default: dev, or $CHECKOUT_PROFILE) selects infrastructure ports and data dirs.
# Values already set in the environment win over the defaults below, except for the
# infrastructure ports and addresses, which the profile fixes so dev and test never collide.
# shellcheck shell=bash

CHECKOUT_PROFILE="${1:-${CHECKOUT_PROFILE:-dev}}"
case "${CHECKOUT_PROFILE}" in
  dev)
    REDIS_PORT=6390
    KAFKA_PORT=9092
    KAFKA_CONTROLLER_PORT=9093
    PG_PORT=5440
    ;;
  test)
    REDIS_PORT=16390
    KAFKA_PORT=19092
    KAFKA_CONTROLLER_PORT=19093
    PG_PORT=15440
    ;;
  *)
    echo "env.sh: unknown profile '${CHECKOUT_PROFILE}' (dev|test)" >&2
    return 1
    ;;
esac
export CHECKOUT_PROFILE REDIS_PORT KAFKA_PORT KAFKA_CONTROLLER_PORT PG_PORT

export REDIS_HOST=127.0.0.1
export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}"
export PG_DSN="host=127.0.0.1 port=${PG_PORT} dbname=checkout user=checkout"
export JWT_SECRET="${JWT_SECRET:-dev-secret-change-me}"
export JWT_ISSUER="${JWT_ISSUER:-checkout-local}"
export JWT_AUDIENCE="${JWT_AUDIENCE:-checkout}"
export LOG_LEVEL="${LOG_LEVEL:-info}"
export KAFKA_PARTITIONS="${KAFKA_PARTITIONS:-3}"
export GATEWAY_PORT="${GATEWAY_PORT:-8080}"
