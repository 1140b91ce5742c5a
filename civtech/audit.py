"""One call to record who did what to which object, in Wagtail's audit log.

Wagtail's ModelLogEntry serves every model (pages get PageLogEntry), so staff read one history in
the admin. Our actions are registered in civtech/wagtail_hooks.py with human labels.
"""

from typing import Any

from wagtail.log_actions import log

ACTIONS: dict[str, tuple[str, str]] = {
    "civtech.role.grant": ("Grant role", "Role granted"),
    "civtech.role.revoke": ("Revoke role", "Role revoked"),
    "civtech.organisation.create": ("Create organisation", "Organisation created"),
    "civtech.membership.add": ("Add member", "Member added"),
    "civtech.membership.remove": ("Remove member", "Member removed"),
    "civtech.invitation.send": ("Invite", "Invitation sent"),
    "civtech.invitation.accept": ("Accept invitation", "Invitation accepted"),
    "civtech.invitation.revoke": ("Revoke invitation", "Invitation revoked"),
    "civtech.round.create": ("Create round", "Round created"),
    "civtech.clarification.ask": ("Ask question", "Clarification question asked"),
    "civtech.clarification.answer": ("Answer question", "Clarification answer published"),
    "civtech.clarification.decline": ("Decline question", "Clarification question declined"),
    "civtech.alert.subscribe": ("Subscribe to alerts", "Alert subscription created"),
    "civtech.alert.confirm": ("Confirm alerts", "Alert subscription confirmed"),
    "civtech.alert.unsubscribe": ("Unsubscribe from alerts", "Alert subscription ended"),
    "civtech.application.start": ("Start application", "Application started"),
    "civtech.application.attach": ("Attach file", "File attached to application"),
    "civtech.application.detach": ("Remove file", "File removed from application"),
    "civtech.application.submit": ("Submit application", "Application submitted"),
    "civtech.application.withdraw": ("Withdraw application", "Application withdrawn"),
    "civtech.assessment.assign": ("Assign assessor", "Assessor assigned"),
    "civtech.assessment.declare": ("Declare conflicts", "Conflict of interest declared"),
    "civtech.assessment.score": ("Submit scores", "Scores submitted"),
}


def audit(instance, action: str, *, by=None, data: dict[str, Any] | None = None):
    """Log `action` on `instance`. `data` should say what changed, e.g. {"before": …, "after": …}."""
    if action not in ACTIONS:
        raise ValueError(f"Unregistered audit action {action!r}: add it to civtech.audit.ACTIONS")
    return log(instance, action, user=by, data=data or {})
