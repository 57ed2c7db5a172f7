import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sts.settings")

app = Celery("sts")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_queue_folders(sender, **kwargs):
    # kombu's filesystem transport needs its folders to exist before the first message.
    opts = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if opts.get(key):
            os.makedirs(opts[key], exist_ok=True)
