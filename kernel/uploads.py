"""Request bodies and uploads kept small: refused on Content-Length before anything is read,
and each file counted while it is written to disk, never held in memory."""

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lib.images import MAX_BYTES, Oversized


def _limit(path: str) -> int:
    """Staff send spreadsheets; the public sends forms with at most a few photos."""
    if path.startswith("/admin/"):
        return settings.MAX_STAFF_REQUEST_BYTES
    return settings.MAX_REQUEST_BYTES


class RequestSizeMiddleware:
    """413, with a Japanese page, for a body whose declared length is over the limit; nothing
    of it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = _limit(request.path)
        if length > limit:
            context = {"limit": limit}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)


class OversizedUpload(TemporaryUploadedFile):
    """A file that was over the limit: its size says how much arrived, its content is gone,
    and reading it gives the marker clean_image refuses with the size message."""

    def read(self, *args) -> bytes:
        return Oversized()


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Every file to a temporary file on disk, at most 8 MB of it (a staff spreadsheet: the
    staff body limit): past that the rest is skipped as it arrives and the field gets an
    OversizedUpload."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False
        staff = self.request is not None and self.request.path.startswith("/admin/")
        public = getattr(settings, "FILE_UPLOAD_MAX_BYTES", MAX_BYTES)
        self.limit = settings.MAX_STAFF_REQUEST_BYTES if staff else public

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        if self.oversized or self.received > self.limit:
            if not self.oversized:
                self.oversized = True
                self.file.close()  # the temporary file goes with what it held
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int):
        if not self.oversized:
            return super().file_complete(file_size)
        marker = OversizedUpload(self.file_name, self.content_type, self.received, self.charset)
        marker.size = self.received
        return marker
