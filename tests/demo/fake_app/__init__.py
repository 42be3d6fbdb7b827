"""Stands in for a later capability that adds its own demo data."""
