"""Security checks against the simulated cloud: storage, logs, diagnostics and cloud URLs."""
