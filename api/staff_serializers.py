"""What programme staff read through the token API: the records behind the admin's own listings."""

from rest_framework import serializers

from applications.models import Application, Score
from formbuilder.models import FormVersion
from impact.models import Benefit, ImpactReturn
from impact.models.returns import FIGURES

from .serializers import ChallengeRefSerializer, OrganisationRefSerializer


class FormVersionRefSerializer(serializers.ModelSerializer):
    form = serializers.CharField(source="form.name")

    class Meta:
        model = FormVersion
        fields = ["id", "form", "number"]


class StaffApplicationSerializer(serializers.ModelSerializer):
    """The working copy's answers, keyed by question key, with the form version whose questions they answer."""

    challenge = ChallengeRefSerializer()
    organisation = OrganisationRefSerializer()
    form_version = FormVersionRefSerializer()
    answers = serializers.JSONField()

    class Meta:
        model = Application
        fields = [
            "id", "reference", "challenge", "organisation", "status", "created_at", "submitted_at", "withdrawn_at",
            "interview_at", "form_version", "answers",
        ]  # fmt: skip


class StaffScoreSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="assignment.application_id")
    reference = serializers.CharField(source="assignment.application.reference", allow_null=True)
    stage = serializers.CharField(source="assignment.stage")
    assessor = serializers.EmailField(source="assignment.assessor.email")
    criterion = serializers.CharField(source="criterion.name")
    weight = serializers.IntegerField(source="criterion.weight")
    scale_max = serializers.IntegerField(source="criterion.scale_max")
    submitted_at = serializers.DateTimeField(source="assignment.submitted_at", allow_null=True)

    class Meta:
        model = Score
        fields = ["id", "application", "reference", "stage", "assessor", "criterion", "weight", "scale_max", "value",
                  "comment", "submitted_at"]  # fmt: skip


class StaffImpactReturnSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()
    challenge = ChallengeRefSerializer(source="engagement.application.challenge")

    class Meta:
        model = ImpactReturn
        fields = ["id", "organisation", "challenge", "engagement", "kind", "period_start", "period_end", "due_on",
                  "submitted_at", "verified_at", *FIGURES]  # fmt: skip


class StaffBenefitSerializer(serializers.ModelSerializer):
    challenge = ChallengeRefSerializer()
    sponsor = OrganisationRefSerializer()

    class Meta:
        model = Benefit
        fields = [
            "id", "challenge", "sponsor", "kind", "title", "description", "recurrence", "amount", "years",
            "period_start", "period_end", "metric", "unit", "baseline", "target", "actual", "evidence", "status",
            "recorded_at", "verified_at", "verification_note",
        ]  # fmt: skip
