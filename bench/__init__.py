"""Benchmarks of the integration against the simulated cloud; run them with scripts/bench."""
