"""Hostile and broken input: files, records and DNS that try to break mailauth."""
