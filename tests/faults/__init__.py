"""The integration against the simulated cloud under every fault it can inject, and a soak test."""
