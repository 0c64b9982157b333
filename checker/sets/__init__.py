"""Question sets as a product: draft one from a blank template, validate it, and tell two apart.

`extract` reads a template, `validate` checks a set file, `diff` compares two sets; `cli` is their shell.
"""
