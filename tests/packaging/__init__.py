"""Checks of what hassfest and the HACS action would check (neither can run here)."""
