"""The emails the platform sent to a person (composed by civtech.personal_data): theirs to read, deleted on erasure."""

from civtech.personal_parts import PersonalData, by_address

from .models import OutboundEmail


def _export(user, addresses: list[str]) -> dict:
    return {
        "emails_sent_to_them": list(
            OutboundEmail.objects.filter(by_address("to", addresses))
            .values("to", "subject", "status", "created_at", "sent_at", "body_text")
            .order_by("created_at")
        )
    }


def _deletions(user, addresses: list[str]) -> dict:
    return {"emails_to_them": OutboundEmail.objects.filter(by_address("to", addresses))}


PERSONAL_DATA = [PersonalData(order=25, export=_export, deletions=_deletions)]
