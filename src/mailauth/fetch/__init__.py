"""HTTPS fetches of URLs found in DNS (BIMI logo and certificate, MTA-STS policy).

Every such URL is written by someone else, so checks never fetch directly: they ask the
`Fetcher` in their `CheckContext`, which is either the live, guarded fetcher, the offline
`--https-dir` directory, or the one that says fetching is off (`--no-fetch`).
"""
