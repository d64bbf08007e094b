"""Background tasks of the JVAP database (run by `db_worker`, or RQ workers with Redis)."""

from django_tasks import task

from . import notifications


@task()
def send_review_mails(*, entry_ids: list[int], action: str, comment: str = "") -> int:
    """Tell the partners' people that entries were validated or returned."""
    return notifications.review_mails_send(entry_ids=entry_ids, action=action, comment=comment)


@task()
def send_upload_digest(*, upload_ids: list[int]) -> int:
    """Tell the secretariat what confirmed uploads submitted for validation."""
    return notifications.upload_digest_send(upload_ids=upload_ids)
