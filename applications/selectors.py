"""Reads for the applicant pages: each returns everything its page shows in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from challenges.models import ChallengePage
from formbuilder.questions import word_count

from .models import Application, ApplicationVersion, Assignment, Attachment

# What the dashboard needs of each version to tell whether the working copy changed since: not the answers.
_VERSION_SUMMARIES = ApplicationVersion.objects.only("application_id", "number", "fingerprint", "submitted_at")


def applications_for_user(user) -> QuerySet[Application]:
    """Every application of every organisation the user belongs to, newest change first, with what
    `Application.changed_since_submission` reads (file hashes and version fingerprints) prefetched."""
    return (
        Application.objects.filter(organisation__memberships__user=user)
        # The form version and answers: Application.changed_since_submission reads both.
        .select_related("challenge__round", "organisation", "form_version")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.only("application_id", "sha256")),
            Prefetch("versions", queryset=_VERSION_SUMMARIES),
        )
        .distinct()
        .order_by("-updated_at")
    )


def application_detail(pk: int) -> Application:
    """One application with its challenge, round, organisation, form version, attachments and versions (raises
    DoesNotExist)."""
    return (
        Application.objects.select_related("challenge__round", "organisation", "form_version")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")),
            Prefetch("versions", queryset=ApplicationVersion.objects.select_related("submitted_by").order_by("number")),
        )
        .get(pk=pk)
    )


def version_shown(application: Application, version: ApplicationVersion | None) -> dict | None:
    """One submitted version as everyone who reads it sees it (the applicant, assessors, the sponsor): its
    answers, and its files with a download link while the file submitted is still stored."""
    if version is None:
        return None
    stored = {(a.pk, a.sha256): a for a in application.attachments.all()}
    versions = list(application.versions.all())
    later = [v for v in versions if v.number > version.number]
    return {
        "version": version,
        "count": len(versions),
        "latest": not later,
        "replaced_by": min(later, key=lambda v: v.number) if later else None,
        "sections": version.spec.shown(version.answers),
        "files": [
            {
                "name": f["name"],
                "size": f["size"],
                "attachment": stored.get((f.get("id"), f.get("sha256"))),
                # A file question's file: said beside the file, as the answer itself shows only its name.
                "question": version.spec.label_of(f["question"]) if f.get("question") else "",
            }
            for f in version.attachments
        ],
    }


def section_rows(application: Application) -> list[dict]:
    """The sections of the application's form that apply, each a task in the design system's task list: Not started,
    Completed, or what needs doing (a problem to fix, changed since it was submitted), with its questions' answers."""
    spec = application.spec
    answers = application.answers
    latest = application.latest_version() if application.status == Application.Status.SUBMITTED else None
    sent = latest.answers if latest is not None else None
    rows = []
    for section in spec.sections:
        if not spec.applies(section, answers):
            continue
        asked = [question for question in section.questions if spec.applies(question, answers)]
        problems = [problem for question in asked if (problem := question.problem(answers.get(question.key)))]
        formats = [problem for question in asked if (problem := question.format_problem(answers.get(question.key)))]
        started = any(str(answers.get(question.key) or "").strip() for question in asked)
        if not started:
            status, colour = "Not started", "grey"
        elif formats:
            status, colour = ("Over the word limit" if "words or fewer" in formats[0] else "Needs changing"), "red"
        elif problems:
            status, colour = "In progress", "blue"
        elif sent is not None and any(sent.get(q.key, "") != answers.get(q.key, "") for q in asked):
            status, colour = "Changed since you submitted", "orange"
        else:
            status, colour = "Completed", "green"
        limits = [q for q in asked if q.word_limit]
        if len(asked) == 1 and limits:
            words = word_count(answers.get(asked[0].key))
            summary = f"{limits[0].word_limit} words or fewer" + (f": {words} written" if words else "")
        else:
            summary = f"{len(asked)} question{'s' if len(asked) != 1 else ''}"
        rows.append(
            {
                "key": section.key,
                "label": section.title,
                "summary": summary,
                "section": section,
                "condition": spec.condition_text(section),
                "answers": [
                    {"question": q, "answer": q.display(answers.get(q.key)), "words": word_count(answers.get(q.key))}
                    for q in asked
                ],
                "problems": problems,
                "status": status,
                "colour": colour,
                "over": bool(formats),
                "complete": started and not problems,
            }
        )
    return rows


def evaluation_progress(round_=None) -> QuerySet:
    """Challenges with submitted applications, each with its assessment completion and decisions so far.

    Counts are annotations, so the page runs the same queries however many challenges it lists.
    """

    Status = Application.Status
    submitted = ~Q(applications__status__in=[Status.DRAFT, Status.WITHDRAWN])
    written = Q(applications__assignments__stage=Assignment.Stage.APPLICATION) & ~Q(
        applications__assignments__has_conflict=True
    )
    with_submissions = Application.objects.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN]).values("challenge_id")
    queryset = (
        ChallengePage.objects.filter(pk__in=with_submissions)
        .select_related("round", "sponsor")
        .annotate(
            applications_count=Count("applications", filter=submitted, distinct=True),
            assignments_count=Count("applications__assignments", filter=written, distinct=True),
            scored_count=Count(
                "applications__assignments",
                filter=written & Q(applications__assignments__submitted_at__isnull=False),
                distinct=True,
            ),
            shortlisted_count=Count(
                "applications",
                filter=Q(applications__decisions__outcome=Status.SHORTLISTED),
                distinct=True,
            ),
            selected_count=Count("applications", filter=Q(applications__status=Status.SELECTED), distinct=True),
        )
        .order_by("round__call_closes", "title")
    )
    if round_ is not None:
        queryset = queryset.filter(round=round_)
    return queryset


def sponsor_challenges(user) -> list:
    """The challenges of every public body the user belongs to, each with the applications its sponsor may see:
    none before the call closes, never drafts. Three queries however many challenges and applications."""

    visible = (
        Application.objects.exclude(status=Application.Status.DRAFT)
        .filter(challenge__round__call_closes__lte=timezone.now())
        .select_related("organisation")
        .order_by("reference")
    )
    return list(
        ChallengePage.objects.filter(sponsor__memberships__user=user)
        .select_related("round", "sponsor")
        .prefetch_related(Prefetch("applications", queryset=visible, to_attr="visible_applications"))
        .distinct()
        .order_by("-round__call_closes", "title")
    )


def assessor_queue(user) -> tuple[list[Assignment], list[Assignment]]:
    """The assessor's assignments as (to do, done), in one query.

    Only challenges whose call has closed: staff may prepare assignments before the deadline, and the assessor
    sees them from the deadline on. To do: declare any conflict, then score. Done: scored, conflicted, or
    withdrawn by the applicant before the deadline.
    """
    assignments = (
        Assignment.objects.filter(assessor=user, application__challenge__round__call_closes__lte=timezone.now())
        .select_related("application__challenge__round", "application__organisation")
        .order_by("application__challenge__title", "application__reference", "stage")
    )
    to_do: list[Assignment] = []
    done: list[Assignment] = []
    for assignment in assignments:
        finished = assignment.has_conflict or assignment.submitted_at is not None
        withdrawn = assignment.application.status == Application.Status.WITHDRAWN
        (done if finished or withdrawn else to_do).append(assignment)
    return to_do, done
