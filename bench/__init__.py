"""Benchmarks and comparison scripts (make bench, make loadtest): run as scripts."""
