from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from accounts.roles import is_programme_staff
from organisations.models import Membership

from .pages import ChallengePage


def is_sponsor_admin(user, organisation_id) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation_id=organisation_id, role=Membership.Role.ADMIN).exists()
    )


class SponsorSignOffTask(Task):
    """Sign-off by an administrator of the challenge's own sponsor organisation.

    Wagtail's GroupApprovalTask cannot express "an admin of *this page's* organisation", so this task
    asks the membership table instead.
    """

    def _can_sign_off(self, obj, user) -> bool:
        sponsor_id = getattr(obj.specific, "sponsor_id", None)
        return sponsor_id is not None and is_sponsor_admin(user, sponsor_id)

    def user_can_access_editor(self, obj, user):
        return self._can_sign_off(obj, user) or is_programme_staff(user)

    def locked_for_user(self, obj, user):
        return not self._can_sign_off(obj, user)

    def get_actions(self, obj, user):
        if self._can_sign_off(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Sign off"), False),
                ("approve", _("Sign off with comment"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        sponsor_ids = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values("organisation_id")
        page_ids = ChallengePage.objects.filter(sponsor_id__in=sponsor_ids).values_list("pk", flat=True)
        return TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task=self.task_ptr,
            revision__object_id__in=[str(pk) for pk in page_ids],
        )

    @classmethod
    def get_description(cls):
        return _("An administrator of the sponsoring organisation signs the challenge off")

    class Meta:
        verbose_name = "sponsor sign-off task"
