"""The seed's batch pipeline, run by ``manage.py import_interventions``: the files of an
``<import>`` found, content imported before skipped, each file imported by the engine and kept
as a job, then the consolidators (``pipeline.py``, ``consolidators.py``). It records jobs
(``imports.jobs``), so it stands above them.
"""
