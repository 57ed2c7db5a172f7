"""The callback of an upload submitted with a token that names a callback URL is queued when the
upload's task returns (Celery's task_postrun), and by beat for every other ending (a job failed
by the reaper) or a lost delivery (`api.tasks.send_due_callbacks`). Jobs end by a row update
(sts/jobs.py), not a save, so no model signal would see it."""
from celery.signals import task_postrun


@task_postrun.connect(dispatch_uid="api-upload-callback")
def upload_task_returned(sender=None, args=None, **kwargs):
    if getattr(sender, "name", "") != "uploads.tasks.process_upload" or not args:
        return
    from .tasks import queue_due_callbacks

    queue_due_callbacks(upload_ids=[args[0]])
