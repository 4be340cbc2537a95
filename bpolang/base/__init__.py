"""The ground floor: errors, diagnostics, source text, file input/output, the collector pause, the user cache.

Nothing here imports another part of bpolang; every layer above may use it.
"""
