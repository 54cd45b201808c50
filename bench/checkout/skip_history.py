#!/usr/bin/env python3
"""Moves consumer groups to the end of their topics, so an instance starts with no backlog.

usage: skip_history.py BROKERS GROUP=TOPIC[,TOPIC...] ...

For each GROUP, commits the current end offset (high watermark) of every partition of each
TOPIC that exists (a topic not created yet has no history to skip). bench/checkout.sh does this
for the consumer groups of its own Cart and Checkout (prefixed `bench-`) before it starts them:
the bench's users are new in every run, so nothing before the run concerns them, and a profile's
Kafka may hold a long history (the test profile's, every test's and bench's events) that the
groups would otherwise work through first, events another service's build or an older version
wrote included. A group with a live member (the same instance already running) refuses the
commit: that group is left as it is and named on stderr. Prints "GROUP: N messages skipped" for
each group.
"""
import sys

from confluent_kafka import Consumer, KafkaException, TopicPartition


def main():
    brokers = sys.argv[1]
    status = 0
    for spec in sys.argv[2:]:
        group, _, topics = spec.partition("=")
        consumer = Consumer({"bootstrap.servers": brokers, "group.id": group,
                             "enable.auto.commit": False, "log_level": 4})
        try:
            existing = consumer.list_topics(timeout=10).topics
            ends, lows = [], {}
            for topic in topics.split(","):
                if topic not in existing:
                    continue
                for partition in existing[topic].partitions:
                    low, high = consumer.get_watermark_offsets(
                        TopicPartition(topic, partition), timeout=10)
                    lows[(topic, partition)] = low
                    ends.append(TopicPartition(topic, partition, high))
            if not ends:
                print(f"{group}: no topic yet")
                continue
            committed = {(tp.topic, tp.partition): tp.offset
                         for tp in consumer.committed(ends, timeout=10)}
            # No committed offset (negative): the group would start at the earliest one kept.
            skipped = sum(tp.offset - max(committed[(tp.topic, tp.partition)],
                                          lows[(tp.topic, tp.partition)]) for tp in ends)
            consumer.commit(offsets=ends, asynchronous=False)
            print(f"{group}: {skipped} messages skipped")
        except KafkaException as error:
            print(f"{group}: left as it is ({error})", file=sys.stderr)
            status = 1
        finally:
            consumer.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
