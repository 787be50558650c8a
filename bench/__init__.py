"""Benchmarks (not tests): `python -m bench` prints a table and writes bench/RESULTS.md."""
