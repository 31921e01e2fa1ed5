"""Planning: what a run would do, in memory, no query, no model.

The first pass over the keys (``scan.py``), the references a batch needs as plain data
(``references.py``), new / updated / unchanged / error per row (``plan.py``), schedule
conflicts among bookings (``conflicts.py``) and "did you mean" (``suggestions.py``). The
database layer fills and writes these data; planning never imports it.
"""
