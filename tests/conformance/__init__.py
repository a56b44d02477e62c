"""Conformance runners for the vendored public test suites (see tests/data/conformance)."""
