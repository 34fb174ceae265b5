"""What every file job (``inti.models.BerkasKerja``: imports, exports) shares: the owner-only
look-up, the progress page that polls while a worker runs it, and the retention of its files."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.apps import apps
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from inti.models import BerkasKerja

J = TypeVar("J", bound=BerkasKerja)


def job_get_for_owner_or_404(model: type[J], *, user: Any, pk: int) -> J:
    """A job belongs to the person who started it; anyone else gets 404, like a missing one."""
    return get_object_or_404(model, pk=pk, pengguna=user)


def job_page(request: HttpRequest, job: BerkasKerja, template: str, context: dict[str, Any]) -> HttpResponse:
    """The job's page. While a worker runs the job, htmx polls this URL every two seconds and
    gets the progress bar; once it has ended, the poll reloads the page to show the result."""
    if request.headers.get("HX-Request"):
        if job.berjalan:
            return render(request, "inti/_progres.html", {**context, "job": job, "poll_url": request.path})
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, template, {**context, "job": job, "poll_url": request.path})


def job_models() -> list[type[BerkasKerja]]:
    return [m for m in apps.get_models() if issubclass(m, BerkasKerja)]


def jobs_delete_old_files(*, sebelum: datetime.datetime) -> dict[str, int]:
    """Delete the files of jobs created before ``sebelum`` (uploads, cached parses, rejected
    rows, written reports): they hold personal data. The job and its summary stay, as does the
    file log; a job still being worked on is left alone. Returns files deleted per job kind."""
    deleted: dict[str, int] = {}
    for model in job_models():
        count = 0
        old = model._default_manager.filter(dibuat_pada__lt=sebelum).exclude(status__in=model.BERJALAN)
        old = old.exclude(berkas="")
        for pk in list(old.values_list("pk", flat=True)):
            with transaction.atomic():
                # Locked and looked at again: a job claimed for import a moment ago keeps its file.
                job = model._default_manager.select_for_update().get(pk=pk)
                if job.berjalan or not job.berkas:
                    continue
                for path in job.berkas_terkait():
                    if path.exists():
                        path.unlink()
                        count += 1
                job.berkas = ""
                job.save(update_fields=["berkas", *job.setelah_berkas_dihapus()])
        deleted[str(model._meta.verbose_name)] = count
    return deleted
