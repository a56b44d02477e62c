"""Test infrastructure: real loopback DNS servers (Knot, a fault-injecting server) and the
network guard. Owned by the DNS layer; other test folders use it through the fixtures in
tests/conftest.py."""
