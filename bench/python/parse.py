#!/usr/bin/env python3
"""Parses a Prometheus text exposition with prometheus_client and reports MB/s and samples/s.

Usage: parse.py FILE [iterations]
"""
import json
import statistics
import sys
import time

from prometheus_client.parser import text_string_to_metric_families


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        text = handle.read()
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    durations, count = [], 0
    for _ in range(iterations):
        start = time.perf_counter()
        count = sum(len(family.samples) for family in text_string_to_metric_families(text))
        durations.append(time.perf_counter() - start)
    median = statistics.median(durations)
    size = len(text.encode("utf-8"))
    print(json.dumps({"parser": "python prometheus_client", "bytes": size, "samples": count, "seconds": round(median, 6),
                      "mb_per_s": round(size / 1e6 / median, 2), "samples_per_s": round(count / median)}))


if __name__ == "__main__":
    main()
