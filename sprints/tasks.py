from celery import shared_task

from . import services


@shared_task
def send_reminders() -> dict[str, int]:
    """Sprint updates due, feedback awaiting the sponsor, milestones due: each reminder sent once."""
    return {
        "updates": services.remind_sprint_updates(),
        "feedback": services.remind_feedback_awaiting(),
        "milestones": services.remind_milestones_due(),
    }


@shared_task
def send_message_digests() -> int:
    return services.messages_send_digests()
