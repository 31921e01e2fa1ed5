"""The database layer, the only users of the ORM below the jobs: one query per table per
batch (``lookups.py``, ``fetch.py``), bulk writes (``upsert.py``, ``writer.py``), the undo
journal and the undo (``journal.py``, ``journal_models.py``, ``undo.py``), and what a database
error means to a user (``db_errors.py``). It reads and writes planning's data.
"""
