"""`mailauth stats`: adoption statistics over the JSONL results of `mailauth check`.

The pipeline, one module each: `facts` (the few values of one check report a survey counts),
`reader` (JSONL files in, shards merged, newest report per domain kept), `groups` (the
`--group-by` keys), `aggregate` (counts and shares), `compare` (the change between scans).
Nothing here prints: render/stats_*.py write the result in every format.
"""
