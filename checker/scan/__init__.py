"""Teacher bulk scan: every group's report over the GitHub API (PyGithub) or over local clones.

Imported only by `reportcheck scan`; nothing here is loaded by `reportcheck check`.
"""
