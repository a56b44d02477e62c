"""`mailauth report`: read DMARC aggregate (RFC 7489 Appendix C, RFC 9990) and failure
(RFC 6591 ARF) reports, keep them in a store, and judge whether p=quarantine / p=reject is
safe for the domains they are about.

The stages are separate modules so each can be tested alone and none knows about the CLI:
`containers` (files, archives, mail -> payloads), `aggregate` / `failure` (payload -> typed
reports), `store` (SQLite behind one interface), `sources` (IP -> PTR -> organization ->
known service), `analysis` (classes, fixes, verdict). Rendering lives in `mailauth.render`.
"""
