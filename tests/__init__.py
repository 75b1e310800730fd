"""Tests of the ActronAir Neo integration, its API client and the cloud simulator."""
