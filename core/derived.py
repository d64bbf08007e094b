"""Derived tables: rows that a task computes from other data and rebuilds whole after each
change (the JVAP read model, precomputed figures).

A model says it is one with the class attribute ``derived_data = True`` (an abstract parent's
counts for its children), and that one line is all the rest of the portal reads: backups leave
its rows out (the restored data's first refresh rebuilds them), and it needs no admin (nobody
edits it; an admin it has anyway is read-only).
"""


def is_derived(model) -> bool:
    """Whether the model's rows are derived data, rebuilt from other tables: never backed up
    or edited."""
    return getattr(model, "derived_data", False) is True
