"""Tests of the API client, on the wire."""
