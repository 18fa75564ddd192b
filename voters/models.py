"""Voter petitions: data."""
