"""`reportcheck similar`: answers that two groups share, or that a group took from an earlier year, as leads.

One module per stage: `gather` reads paths into entries (one per report, its answers by topic), `topics` tells
which questions of different years ask the same, `compare` turns entries into scored pairs (pure), `model` holds
the frozen results and `render` writes them as text or JSON (the HTML page is `checker.html.similar`).
How pairs are found and scored: docs/similarity.md.
"""
