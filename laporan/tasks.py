"""Background report exports (see impor.tasks for how the backend is chosen)."""

from django_tasks import task

from laporan import ekspor as jobs


@task()
def ekspor(job_id: int) -> None:
    jobs.run_export(job_id)
