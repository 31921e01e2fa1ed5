"""The HTTP API under ``/api/v1/`` (docs/api.md): a door, like the admin and the command.

It translates HTTP into calls of the job service (``imports/jobs/service.py``) and the export
service (``imports/export/service.py``), and their answers back into JSON and status codes; it
decides nothing itself (four-eyes, queueing, a job's status are the service's).
"""
