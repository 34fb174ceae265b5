"""Background tasks (Django tasks API via the django-tasks backport). With the default
immediate backend they run at once, inside the request; in production a database-backed
worker runs them (README: TASKS_BACKEND=database, `manage.py db_worker`)."""

from django_tasks import task

from impor import jobs


@task()
def periksa(job_id: int) -> None:
    jobs.run_check(job_id)


@task()
def impor(job_id: int) -> None:
    jobs.run_import(job_id)
