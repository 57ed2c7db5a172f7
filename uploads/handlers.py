"""The upload size limit, enforced while the request body streams in (not after the whole file has
been written to disk): the file's bytes past the limit are read and dropped, the rest of the form
still arrives, and the view says which file was too large."""
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.limit = settings.STS_UPLOAD_MAX_BYTES

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.upload_too_large = (self.file_name, self.limit)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers keep the file


def too_large_message(request):
    """The form error for a file the handler dropped, or ''."""
    dropped = getattr(request, "upload_too_large", None)
    if not dropped:
        return ""
    name, limit = dropped
    return f"{name} is larger than the {limit:,}-byte limit; it was not stored. Split it or zip it."
