"""The scheduled job's task on the Django Tasks worker (``manage.py db_worker``)."""

from django_tasks import task

from . import services


@task(queue_name="jobs")
def run_scheduled_job(run_id: int) -> str:
    return services.execute_run(run_id).state
