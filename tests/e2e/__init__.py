"""End-to-end tests: the demo's simulator and Home Assistant, driven through a real browser."""
