"""Public serializers. Each lists its fields explicitly: an allow-list, so a field added to a model is private
until someone adds it here (tests/api/test_public_fields.py holds the same lists and fails on any extra key)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from challenges.models import ChallengePage, Clarification, Round, RoundStage
from challenges.status import Status
from ledger.models import Contract
from organisations.models import Organisation, Region
from sprints.models import Engagement

from .links import ocid, page_url
from .selectors import PUBLIC_FOLLOW_ON_KINDS

PUBLIC_CONTRACT_KINDS = [(k, label) for k, label in Contract.Kind.choices
                         if k in (*Contract.STAGE_KINDS, *PUBLIC_FOLLOW_ON_KINDS)]  # fmt: skip

MONEY = {"max_digits": 14, "decimal_places": 2}


class OrganisationRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


class ChallengeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()


class RoundRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    slug = serializers.SlugField()


class StageSerializer(serializers.ModelSerializer):
    """One stage of a round's pipeline, in order (its second application's form is not public)."""

    class Meta:
        model = RoundStage
        fields = ["kind", "name", "starts", "ends", "questions_close", "teams", "payment", "payment_basis", "method"]


class RoundSerializer(serializers.ModelSerializer):
    challenge_count = serializers.IntegerField(help_text="Published challenges in the round.")
    stages = StageSerializer(many=True, read_only=True, help_text="The round's pipeline: its stages, in order.")

    class Meta:
        model = Round
        fields = [
            "id", "name", "slug", "code", "description", "call_opens", "questions_close", "call_closes",
            "shortlist_by", "interviews_start", "interviews_end", "exploration_start", "exploration_end", "pitch_at",
            "accelerator_start", "accelerator_end", "demo_day", "exploration_payment", "accelerator_max",
            "shortlist_count", "exploration_teams", "accelerator_teams", "challenge_count", "stages",
        ]  # fmt: skip


class ChallengeSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    ocid = serializers.SerializerMethodField(help_text="The challenge's Open Contracting ID (OCDS).")
    status = serializers.SerializerMethodField()
    round = RoundRefSerializer()
    sponsor = OrganisationRefSerializer()
    sectors = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    exploration_payment = serializers.DecimalField(source="exploration_amount", **MONEY, read_only=True)
    accelerator_max = serializers.DecimalField(source="accelerator_amount", **MONEY, read_only=True)

    class Meta:
        model = ChallengePage
        fields = [
            "id", "title", "slug", "url", "ocid", "summary", "status", "round", "sponsor", "sectors",
            "exploration_payment", "accelerator_max", "follow_on_value", "first_published_at",
        ]  # fmt: skip

    def get_url(self, obj) -> str:
        return page_url(obj)

    def get_ocid(self, obj) -> str:
        return ocid(obj.pk)

    @extend_schema_field(serializers.ChoiceField(choices=Status.choices))
    def get_status(self, obj) -> str:
        return obj.status_at(self.context.get("now") or timezone.now()).value


class QuestionSerializer(serializers.ModelSerializer):
    challenge = ChallengeRefSerializer()

    class Meta:
        model = Clarification
        fields = ["id", "challenge", "question", "answer", "answered_at"]


class EngagementRefSerializer(serializers.Serializer):
    challenge = ChallengeRefSerializer()
    stages = serializers.ListField(child=serializers.ChoiceField(choices=Engagement.Stage.choices))


class CompanySerializer(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    region = serializers.ChoiceField(choices=[("", "Not given"), *Region.choices])
    is_sme = serializers.BooleanField(allow_null=True, help_text="Small or medium-sized; null when not known.")
    engagements = serializers.SerializerMethodField(help_text="Published challenges the company worked on.")

    class Meta:
        model = Organisation
        fields = ["name", "slug", "kind", "website", "region", "description", "sectors", "is_sme", "engagements"]

    @extend_schema_field(EngagementRefSerializer(many=True))
    def get_engagements(self, obj) -> list[dict]:
        rows = [
            {"challenge": a.challenge, "stages": sorted(e.stage for e in a.engagements.all())}
            for a in obj.public_applications
        ]
        return EngagementRefSerializer(rows, many=True).data


class FollowOnSerializer(serializers.ModelSerializer):
    buyer = OrganisationRefSerializer()

    class Meta:
        model = Contract
        fields = ["id", "kind", "title", "buyer", "value", "awarded_on"]


class SolutionSerializer(serializers.ModelSerializer):
    challenge = serializers.SerializerMethodField()
    sponsor = OrganisationRefSerializer(source="application.challenge.sponsor")
    round = RoundRefSerializer(source="application.challenge.round")
    team = OrganisationRefSerializer(source="application.organisation")
    description = serializers.SerializerMethodField(help_text="The team's public description, else the challenge's.")
    outcome = serializers.ChoiceField(choices=[("", "Not recorded"), *Engagement.Outcome.choices])
    follow_on_contracts = serializers.SerializerMethodField(
        help_text="Verified follow-on contracts with public bodies (the sponsor, or reuse by others)."
    )

    class Meta:
        model = Engagement
        fields = [
            "id", "challenge", "sponsor", "round", "team", "description", "starts_on", "ends_on", "outcome",
            "follow_on_contracts",
        ]  # fmt: skip

    @extend_schema_field(
        {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                                          "url": {"type": "string", "format": "uri"}},
         "required": ["id", "title", "url"]}
    )  # fmt: skip
    def get_challenge(self, obj) -> dict:
        challenge = obj.application.challenge
        return {"id": challenge.pk, "title": challenge.title, "url": page_url(challenge)}

    def get_description(self, obj) -> str:
        return obj.application.organisation.description or obj.application.challenge.summary

    @extend_schema_field(FollowOnSerializer(many=True))
    def get_follow_on_contracts(self, obj) -> list[dict]:
        team = obj.application.organisation_id
        contracts = [c for c in obj.application.challenge.public_follow_ons if c.supplier_id == team]
        return FollowOnSerializer(contracts, many=True).data


class ContractSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=PUBLIC_CONTRACT_KINDS)
    challenge = ChallengeRefSerializer()
    buyer = OrganisationRefSerializer()
    supplier = OrganisationRefSerializer()
    amount_paid = serializers.DecimalField(**MONEY, read_only=True, help_text="Tranches paid so far (£, ex VAT).")

    class Meta:
        model = Contract
        fields = [
            "id", "kind", "title", "challenge", "buyer", "supplier", "value", "current_value", "amount_paid",
            "awarded_on", "starts_on", "ends_on", "status",
        ]  # fmt: skip
