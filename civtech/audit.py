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
    "civtech.application.form_moved": ("Move draft to a new form version", "Draft moved to a new form version"),
    "civtech.assessment.assign": ("Assign assessor", "Assessor assigned"),
    "civtech.assessment.declare": ("Declare conflicts", "Conflict of interest declared"),
    "civtech.assessment.score": ("Submit scores", "Scores submitted"),
    # Sprints (issue #5): every entry is logged on the engagement, so its history reads in one place.
    "civtech.engagement.create": ("Start engagement", "Engagement started"),
    "civtech.engagement.rag": ("Set RAG status", "RAG status changed"),
    "civtech.engagement.end": ("End engagement", "Engagement ended early"),
    "civtech.sprint.plan": ("Plan sprint", "Sprint planned"),
    "civtech.sprint.update": ("Post sprint update", "Sprint update posted"),
    "civtech.engagement.deliverable_submit": ("Submit deliverable", "Deliverable version submitted"),
    "civtech.engagement.deliverable_accept": ("Accept deliverable", "Deliverable accepted"),
    "civtech.engagement.deliverable_request_changes": ("Request changes", "Changes requested to deliverable"),
    "civtech.engagement.milestone_plan": ("Plan milestone", "Milestone planned"),
    "civtech.engagement.tranche_due": ("Tranche due", "Milestone tranche became due"),
    "civtech.engagement.tranche_paid": ("Record payment", "Milestone tranche paid"),
    "civtech.engagement.meeting": ("Record meeting", "Meeting recorded"),
    "civtech.engagement.document": ("Share document", "Document shared"),
    "civtech.engagement.risk_log": ("Log risk", "Risk or issue logged"),
    "civtech.engagement.risk_close": ("Close risk", "Risk or issue closed"),
    "civtech.engagement.pitch_submit": ("Submit pitch", "Pitch submitted"),
    "civtech.engagement.pitch_score": ("Score pitch", "Pitch scored"),
    "civtech.engagement.pitch_decide": ("Decide pitch", "Accelerator decision made"),
    "civtech.engagement.outcome": ("Record outcome", "Accelerator outcome recorded"),
    "civtech.engagement.lesson_record": ("Record lessons", "Lessons learned recorded"),
    "civtech.engagement.lesson_publish": ("Publish lessons", "Lessons published"),
    "civtech.engagement.meeting_notes": ("Edit meeting notes", "Meeting notes changed"),
    "civtech.demo_day.register": ("Register for Demo Day", "Registered for Demo Day"),
    "civtech.assessment.moderate": ("Moderate", "Moderated score recorded"),
    "civtech.decision.record": ("Decide", "Decision recorded"),
    # Impact returns and benefits (issue #6)
    "civtech.impact_return.submit": ("Submit impact return", "Impact return submitted"),
    "civtech.impact_return.correct": ("Correct impact return", "Impact return corrected"),
    "civtech.impact_return.verify": ("Verify impact return", "Impact return verified"),
    "civtech.benefit.record": ("Record benefit", "Benefit recorded"),
    "civtech.benefit.update": ("Change benefit", "Benefit changed"),
    "civtech.benefit.verify": ("Verify benefit", "Benefit verified"),
    "civtech.benefit.reject": ("Reject benefit", "Benefit not verified"),
    "civtech.contract.create": ("Record contract", "Contract recorded"),
    "civtech.contract.verify": ("Verify contract", "Contract verified"),
    "civtech.contract.vary": ("Vary contract", "Contract variation approved"),
    "civtech.payment.schedule": ("Schedule payment", "Payment tranche scheduled"),
    "civtech.payment.due": ("Payment due", "Payment tranche became due"),
    "civtech.payment.paid": ("Record payment", "Payment tranche paid"),
    "civtech.assumptions.update": ("Change assumptions", "Additionality assumptions changed"),
    "civtech.export.request": ("Request export", "Export requested"),
    # Personal data (civtech.personal_data): who asked and why, never the erased details.
    "civtech.person.erase": ("Erase personal data", "Personal data erased"),
}


def audit(instance, action: str, *, by=None, data: dict[str, Any] | None = None):
    """Log `action` on `instance`. `data` should say what changed, e.g. {"before": …, "after": …}."""
    if action not in ACTIONS:
        raise ValueError(f"Unregistered audit action {action!r}: add it to civtech.audit.ACTIONS")
    return log(instance, action, user=by, data=data or {})
