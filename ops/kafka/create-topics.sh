#!/usr/bin/env bash
# Creates ScrapeGuard's topics (idempotent), run once by docker-compose's topic-init service
# before the poisoner and the auditor start. Needs Kafka's kafka-topics.sh (and kafka-acls.sh for
# GUARD_KAFKA_ACLS=true) on PATH or in /opt/kafka/bin.
#
#   BOOTSTRAP_SERVERS    broker to talk to (default kafka:9092)
#   TOPIC_PARTITIONS     partitions of the image topics (default 6): the poisoner scales out up to it
#   TOPIC_REPLICATION_FACTOR  (default 1: the single-broker compose cluster; use 3 in production)
#   GUARD_KAFKA_ACLS     true: also apply the ACLs below (the cluster needs an authorizer + SASL)
#   KAFKA_COMMAND_CONFIG client properties file for a secured cluster (admin credentials)
set -euo pipefail
export PATH="$PATH:/opt/kafka/bin"
BOOTSTRAP=${BOOTSTRAP_SERVERS:-kafka:9092}
PARTITIONS=${TOPIC_PARTITIONS:-6}
RF=${TOPIC_REPLICATION_FACTOR:-1}
ADMIN=(--bootstrap-server "$BOOTSTRAP")
if [ -n "${KAFKA_COMMAND_CONFIG:-}" ]; then ADMIN+=(--command-config "$KAFKA_COMMAND_CONFIG"); fi

# Largest record (bytes): io.scrapeguard.schemas.Topics.MAX_MESSAGE_BYTES (large images fit).
MAX_MESSAGE_BYTES=20971520
DAY_MS=86400000
MIN_ISR=$(( RF > 1 ? 2 : 1 ))

topic() { # name partitions config...
  local name=$1 partitions=$2; shift 2
  local configs=()
  for c in "$@" "max.message.bytes=$MAX_MESSAGE_BYTES" "min.insync.replicas=$MIN_ISR"; do
    configs+=(--config "$c")
  done
  kafka-topics.sh "${ADMIN[@]}" --create --if-not-exists --topic "$name" \
    --partitions "$partitions" --replication-factor "$RF" "${configs[@]}"
  echo "topic-init: $name ready ($partitions partitions, $*)"
}

# Uploads before protection: unprotected images, so kept only long enough to reprocess after an
# outage (3 days), and readable by ScrapeGuard only (ACLs below).
topic guard.images.raw "$PARTITIONS" "retention.ms=$((3 * DAY_MS))" cleanup.policy=delete
# What the platform publishes; consumers downstream read this topic only.
topic guard.images.protected "$PARTITIONS" "retention.ms=$((7 * DAY_MS))" cleanup.policy=delete
# Images withheld (fail-closed), original bytes + reason header: two weeks to inspect and replay.
topic guard.images.dead-letter 3 "retention.ms=$((14 * DAY_MS))" cleanup.policy=delete
# One report per audit, keyed by profile: the history behind the protection dashboard.
topic guard.audit-reports 1 "retention.ms=$((90 * DAY_MS))" cleanup.policy=delete
# Label -> AR process assignments (runtime's LabelAssignmentLog): "the n-th distinct label in log
# order gets process n", so the log is one partition, append-only and kept forever. Never compact
# it: compaction keeps the last claim of a label and would reorder labels, i.e. change processes.
topic guard.label-assignments 1 cleanup.policy=delete retention.ms=-1 retention.bytes=-1

if [ "${GUARD_KAFKA_ACLS:-false}" = "true" ]; then
  # The raw topic holds unprotected images: only ScrapeGuard reads it. With an authorizer
  # (KRaft: authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer,
  # allow.everyone.if.no.acl.found=false) everything not allowed here is denied.
  acl() { kafka-acls.sh "${ADMIN[@]}" --add --allow-principal "$@"; }
  # uploader: writes raw only
  acl User:scrapeguard-producer --operation Write --operation Describe --operation DescribeConfigs --topic guard.images.raw
  # poisoner: reads raw, writes protected and dead letters, owns its Streams group and internals
  acl User:scrapeguard-poisoner --operation Read --operation Describe --topic guard.images.raw
  acl User:scrapeguard-poisoner --operation Write --operation Describe --operation DescribeConfigs --topic guard.images.protected
  acl User:scrapeguard-poisoner --operation Write --operation Describe --topic guard.images.dead-letter
  acl User:scrapeguard-poisoner --operation All --topic guard.label-assignments
  acl User:scrapeguard-poisoner --operation All --resource-pattern-type prefixed --topic scrapeguard-poisoner
  acl User:scrapeguard-poisoner --operation All --resource-pattern-type prefixed --group scrapeguard-poisoner
  acl User:scrapeguard-poisoner --operation All --resource-pattern-type prefixed --transactional-id scrapeguard-poisoner
  # auditor: reads raw and protected (to pair them) and the label log, writes reports
  acl User:scrapeguard-auditor --operation Read --operation Describe --topic guard.images.raw
  acl User:scrapeguard-auditor --operation Read --operation Describe --topic guard.images.protected
  acl User:scrapeguard-auditor --operation Read --operation Describe --topic guard.label-assignments
  acl User:scrapeguard-auditor --operation Write --operation Describe --topic guard.audit-reports
  acl User:scrapeguard-auditor --operation Read --resource-pattern-type prefixed --group scrapeguard-auditor
  # the platform's publishers: protected images only, never raw
  acl User:platform-publisher --operation Read --operation Describe --topic guard.images.protected
  acl User:platform-publisher --operation Read --resource-pattern-type prefixed --group platform-
  echo "topic-init: ACLs applied (raw topic: scrapeguard-producer writes, scrapeguard-poisoner/auditor read)"
fi
