"""Settings of the worker subprocess that test_background_kill.py starts (and kills).

Small batches (a run long enough to kill mid-job), progress published at every batch, a short
visibility timeout (the killed worker's unacknowledged message comes back within seconds) and a
short stale delay (the redelivered task marks the job failed).
"""

import os

from config.settings import *  # noqa: F403

INTERVENTION_IMPORT = {"BATCH_SIZE": 200, "PROGRESS_INTERVAL": 0, "STALE_AFTER_SECONDS": 2}
CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_CELERY_QUEUE"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,  # look for messages to restore every second
    "unacked_restore_throttle": 1,
}
