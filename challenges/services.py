import re
from dataclasses import asdict

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from accounts.models import User
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission
from notifications.services import email_enqueue
from organisations.models import Organisation, OrganisationKind
from organisations.services import organisation_group_ensure
from pipelines.models import PipelineTemplate

from .models import (
    DEFAULT_CRITERIA,
    AlertDelivery,
    AlertSubscription,
    ChallengeFollow,
    ChallengeIndexPage,
    ChallengePage,
    Clarification,
    ClarificationNotice,
    Criterion,
    Round,
    RoundStage,
    Sector,
    SponsorIndexPage,
)
from .models.stages import pipeline_problems, sync
from .selectors import challenges_for_listing

# Sponsors may add and edit drafts in their own space; publishing needs the approval workflow.
SPONSOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
ALERT_SALT = "civtech.alerts"
QUESTION_MAX_CHARS = 2000


# --- Rounds ---------------------------------------------------------------------------------------
@transaction.atomic
def round_create(
    *, by: User | None, with_default_criteria: bool = True, template: PipelineTemplate | None = None, **fields
) -> Round:
    """A round from its fields; with a `template`, its stages are the template's laid out from `call_opens` (the
    second application of a template gets the round's form until staff choose its own)."""
    round_ = Round(**fields)
    if template is not None:
        if fields.get("call_opens") is None:
            raise DomainError("Say when the call opens, to lay out the template's stages.")
        form = round_.form()
        try:
            laid_out = template.lay_out(fields["call_opens"], form_id=form.pk)
        except OverflowError:
            raise DomainError("The template's stages would run past the year 9999 from that date.") from None
        round_.stages = [RoundStage(sort_order=i, **asdict(stage)) for i, stage in enumerate(laid_out)]
        if found := pipeline_problems(laid_out):
            raise DomainError(" ".join(found))
        sync(round_)  # the fixed fields from the stages, before they are checked
    round_.full_clean()
    round_.save()
    if with_default_criteria:
        # The questions each judges are the default form's: a round with its own form points its criteria itself.
        default_form = round_.application_form_id is None
        Criterion.objects.bulk_create(
            Criterion(
                round=round_,
                stage=stage,
                name=name,
                weight=weight,
                sort_order=i,
                questions=questions if default_form else "",
            )
            for i, (stage, name, weight, questions) in enumerate(DEFAULT_CRITERIA)
        )
    audit(round_, "civtech.round.create", by=by, data={"name": round_.name})
    return round_


# --- Sponsor spaces -------------------------------------------------------------------------------
@transaction.atomic
def sponsor_space_ensure(*, organisation: Organisation) -> SponsorIndexPage:
    """The public body's own branch of /challenges/, editable (not publishable) by its members."""
    if organisation.kind != OrganisationKind.PUBLIC_BODY:
        raise DomainError(f"{organisation} is not a public body, so it cannot sponsor challenges.")
    space = SponsorIndexPage.objects.filter(organisation=organisation).first()
    if space is None:
        index = ChallengeIndexPage.objects.get()
        space = index.add_child(
            instance=SponsorIndexPage(title=organisation.name, slug=organisation.slug, organisation=organisation)
        )
        space.save_revision().publish()
    group = organisation_group_ensure(organisation)
    for codename in SPONSOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=space, permission=permission)
    return space


def sponsor_space_for(*, organisation: Organisation, **_signal) -> None:
    """organisations.signals.organisation_saved: a public body gets its space as it is registered (or made one)."""
    if organisation.kind == OrganisationKind.PUBLIC_BODY:
        sponsor_space_ensure(organisation=organisation)


# --- Clarification questions ----------------------------------------------------------------------
@transaction.atomic
def clarification_ask(*, challenge: ChallengePage, by: User, question: str) -> Clarification:
    require(has_permission("challenge.ask", by, challenge))
    question = question.strip()
    if not question:
        raise DomainError("Enter your question.", field="question")
    if len(question) > QUESTION_MAX_CHARS:
        raise DomainError(f"Your question must be {QUESTION_MAX_CHARS} characters or fewer.", field="question")
    clarification = Clarification.objects.create(challenge=challenge, question=question, asked_by=by)
    ChallengeFollow.objects.get_or_create(challenge=challenge, user=by)  # askers hear the answer
    audit(clarification, "civtech.clarification.ask", by=by, data={"challenge": challenge.pk})
    return clarification


@transaction.atomic
def clarification_answer(*, clarification: Clarification, by: User, answer: str) -> Clarification:
    """Publish an answer to everyone and tell each follower once. The asker is never named."""
    clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
    challenge = clarification.challenge
    require(has_permission("challenge.answer", by, challenge))
    if clarification.status != Clarification.Status.AWAITING:
        raise DomainError("This question has already been dealt with.")
    answer = answer.strip()
    if not answer:
        raise DomainError("Enter the answer.", field="answer")
    clarification.answer = answer
    clarification.answered_by = by
    clarification.answered_at = timezone.now()
    clarification.status = Clarification.Status.PUBLISHED
    clarification.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    audit(clarification, "civtech.clarification.answer", by=by, data={"challenge": challenge.pk})
    _notify_followers(clarification)
    return clarification


@transaction.atomic
def clarification_decline(*, clarification: Clarification, by: User) -> Clarification:
    clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
    require(has_permission("challenge.answer", by, clarification.challenge))
    if clarification.status != Clarification.Status.AWAITING:
        raise DomainError("This question has already been dealt with.")
    clarification.status = Clarification.Status.DECLINED
    clarification.answered_by, clarification.answered_at = by, timezone.now()
    clarification.save(update_fields=["status", "answered_by", "answered_at"])
    audit(clarification, "civtech.clarification.decline", by=by, data={"challenge": clarification.challenge_id})
    return clarification


def _notify_followers(clarification: Clarification) -> None:
    challenge = clarification.challenge
    url = settings.SITE_URL + challenge.url + "#questions"
    # Followers, and everyone in an organisation that has started an application to the challenge.
    interested = Q(challenge_follows__challenge=challenge) | Q(
        memberships__organisation__applications__challenge=challenge
    )
    followers = (
        User.objects.filter(interested)
        .exclude(pk__in=clarification.notices.values("user_id"))
        .distinct()
        .order_by("pk")
    )
    for user in followers:
        try:
            with transaction.atomic():
                ClarificationNotice.objects.create(clarification=clarification, user=user)
        except IntegrityError:
            continue  # already told: "emailed once" is held by the unique key
        email_enqueue(
            to=user.email,
            template="challenges/email/answer_published",
            context={"challenge": challenge, "clarification": clarification, "url": url},
        )


@transaction.atomic
def challenge_follow(*, challenge: ChallengePage, by: User) -> ChallengeFollow:
    require(has_permission("challenge.follow", by, challenge))
    follow, _ = ChallengeFollow.objects.get_or_create(challenge=challenge, user=by)
    return follow


@transaction.atomic
def challenge_unfollow(*, challenge: ChallengePage, by: User) -> None:
    ChallengeFollow.objects.filter(challenge=challenge, user=by).delete()


# --- Alerts ---------------------------------------------------------------------------------------
def alert_token(subscription: AlertSubscription, purpose: str) -> str:
    return signing.dumps({"id": subscription.pk, "p": purpose}, salt=ALERT_SALT)


def alert_from_token(token: str, purpose: str, max_age: int | None = None) -> AlertSubscription:
    try:
        data = signing.loads(token, salt=ALERT_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise DomainError("This link has expired. Sign up for alerts again to get a new one.") from None
    except signing.BadSignature:
        raise DomainError("This link is not valid. Check you copied the whole link from the email.") from None
    subscription = AlertSubscription.objects.filter(pk=data.get("id")).first()
    if subscription is None or data.get("p") != purpose:
        raise DomainError("This link is not valid. Check you copied the whole link from the email.")
    return subscription


@transaction.atomic
def alert_subscribe(*, email: str, sectors: list[Sector], keywords: str, user: User | None = None) -> AlertSubscription:
    """Follow sectors or keywords. An address that is not the signed-in user's verified one must confirm."""
    email = email.strip().lower()
    keywords = ", ".join(word.strip() for word in keywords.split(",") if word.strip())
    if not sectors and not keywords:
        raise DomainError("Choose at least one sector or enter a keyword.", field="sectors")
    verified = user is not None and EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    # One live subscription per address, so signing up again never doubles the alerts. A verified
    # account holder changes theirs at once; anyone else gets a new one that replaces the old only
    # when confirmed from the inbox (so nobody can alter someone else's alerts).
    subscription = None
    if verified:
        subscription = AlertSubscription.objects.filter(email=email, unsubscribed_at__isnull=True).first()
    subscription = subscription or AlertSubscription(email=email)
    subscription.keywords = keywords
    if verified:
        subscription.user = user
        subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.save()
    subscription.sectors.set(sectors)
    audit(subscription, "civtech.alert.subscribe", by=user, data={"email": email, "verified": verified})
    if not verified:
        confirm_url = settings.SITE_URL + reverse(
            "challenges:alert_confirm", args=[alert_token(subscription, "confirm")]
        )
        email_enqueue(
            to=email,
            template="challenges/email/alert_confirm",
            context={"subscription": subscription, "confirm_url": confirm_url},
        )
    return subscription


CONFIRM_MAX_AGE = 60 * 60 * 24 * 7


@transaction.atomic
def alert_confirm(*, token: str) -> AlertSubscription:
    subscription = alert_from_token(token, "confirm", max_age=CONFIRM_MAX_AGE)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        AlertSubscription.objects.filter(email=subscription.email, unsubscribed_at__isnull=True).exclude(
            pk=subscription.pk
        ).update(unsubscribed_at=subscription.confirmed_at)  # replaced by this one
        audit(subscription, "civtech.alert.confirm", data={"email": subscription.email})
    return subscription


@transaction.atomic
def alert_unsubscribe(*, token: str) -> AlertSubscription:
    subscription = alert_from_token(token, "unsubscribe")
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
        audit(subscription, "civtech.alert.unsubscribe", data={"email": subscription.email})
    return subscription


def _matches(subscription: AlertSubscription, challenge: ChallengePage, sector_ids: set[int]) -> bool:
    """A challenge published after the subscription began, in a followed sector or with a keyword as a
    whole word ("data" does not match "database")."""
    if challenge.first_published_at and challenge.first_published_at < subscription.created_at:
        return False
    if sector_ids & {sector.pk for sector in subscription.sectors.all()}:
        return True
    text = f"{challenge.title} {challenge.summary}"
    return any(re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE) for word in subscription.keyword_list())


def alerts_send_pending() -> int:
    """Email each active subscription one message listing every newly published challenge it matches.

    Run by Celery beat: challenges published together arrive as one digest, and the unique
    (subscription, challenge) delivery rows make each challenge reach each subscriber exactly once.
    """

    challenges = list(challenges_for_listing().filter(round__call_closes__gt=timezone.now()))
    if not challenges:
        return 0
    sectors_of = {c.pk: {s.pk for s in c.sectors.all()} for c in challenges}
    sent = 0
    subscriptions = AlertSubscription.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).prefetch_related("sectors")
    for subscription in subscriptions:
        already = set(subscription.deliveries.values_list("challenge_id", flat=True))
        matching = [c for c in challenges if c.pk not in already and _matches(subscription, c, sectors_of[c.pk])]
        if matching and _deliver_alert(subscription, matching):
            sent += 1
    return sent


@transaction.atomic
def _deliver_alert(subscription: AlertSubscription, challenges: list[ChallengePage]) -> bool:
    try:
        with transaction.atomic():
            deliveries = [AlertDelivery.objects.create(subscription=subscription, challenge=c) for c in challenges]
    except IntegrityError:
        return False  # another run got here first
    unsubscribe_url = settings.SITE_URL + reverse(
        "challenges:alert_unsubscribe", args=[alert_token(subscription, "unsubscribe")]
    )
    email = email_enqueue(
        to=subscription.email,
        template="challenges/email/alert",
        context={"challenges": challenges, "site_url": settings.SITE_URL, "unsubscribe_url": unsubscribe_url},
    )
    AlertDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(email=email)
    return True
