"""Tests of the cloud simulator (`actronair_neo_sim`)."""
