#!/usr/bin/env python3
"""Parses Prometheus text exposition from standard input (or the file named) with prometheus_client's own parser and
prints it as JSON: {"families": {name: type}, "samples": [{"name", "labels", "value"}]}.

The tests (Tests/Support/PrometheusText.swift) use it so that a real Prometheus parser, not one of
ours, judges what /metrics serves. A parse error exits 1 with the parser's message on stderr.
Values that JSON cannot hold (NaN, +Inf, -Inf) are written as strings.
"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def number(value):
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return value


def main():
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as file:
            text = file.read()
    else:
        text = sys.stdin.read()
    families = {}
    samples = []
    try:
        for family in text_string_to_metric_families(text):
            families[family.name] = family.type
            for sample in family.samples:
                samples.append({"name": sample.name, "labels": dict(sample.labels), "value": number(sample.value)})
    except Exception as error:  # the parser raises ValueError and others on malformed input
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    json.dump({"families": families, "samples": samples}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
