"""Every existing round gets the *CivTech round* pipeline of its twelve dates, counts and money (issue #21).

Written out here rather than imported from challenges.models.stages, so that later changes to the live code cannot change
what this migration did. Backwards it does nothing: stages made since (other pipelines, their names, tranches and
forms) are not deleted, and forwards again fills only rounds that have no stages. Reversing 0009 drops the table.
"""

from django.db import migrations


def stages_for(round_):
    r = round_
    return [
        dict(kind="call", name="Call for applications", starts=r.call_opens, ends=r.call_closes,
             questions_close=r.questions_close),
        dict(kind="assessment", name="Shortlisting", starts=r.call_closes, ends=r.shortlist_by,
             teams=r.shortlist_count),
        dict(kind="interview", name="Interviews", starts=r.interviews_start, ends=r.interviews_end,
             teams=r.exploration_teams),
        dict(kind="paid", name="Exploration", starts=r.exploration_start, ends=r.exploration_end,
             teams=r.exploration_teams, payment=r.exploration_payment, payment_basis="per_team"),
        dict(kind="selection", name="Accelerator pitches", starts=r.pitch_at, teams=r.accelerator_teams,
             method="pitch"),
        dict(kind="paid", name="Accelerator", starts=r.accelerator_start, ends=r.accelerator_end,
             teams=r.accelerator_teams, payment=r.accelerator_max, payment_basis="maximum"),
        dict(kind="showcase", name="Demo Day", starts=r.demo_day),
    ]  # fmt: skip


def forwards(apps, schema_editor):
    Round = apps.get_model("challenges", "Round")
    RoundStage = apps.get_model("challenges", "RoundStage")
    RoundStage.objects.bulk_create(
        RoundStage(round=round_, sort_order=order, **fields)
        for round_ in Round.objects.filter(stages__isnull=True).order_by("pk")
        for order, fields in enumerate(stages_for(round_))
    )


class Migration(migrations.Migration):
    dependencies = [("challenges", "0009_round_stages")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
