from django.urls import path

from .views import shared, stage, work

app_name = "sprints"

urlpatterns = [
    path("workspaces/", work.workspace_list, name="list"),
    path("workspaces/<int:pk>/", work.overview, name="overview"),
    path("workspaces/<int:pk>/sprints/", work.plan, name="plan"),
    path("workspaces/<int:pk>/sprints/<int:sprint_id>/update/", work.update_post, name="update"),
    path("workspaces/<int:pk>/sprints/<int:sprint_id>/edit/", work.sprint_edit, name="sprint_edit"),
    path("workspaces/<int:pk>/deliverables/", work.deliverable_list, name="deliverables"),
    path("workspaces/<int:pk>/deliverables/new/", work.deliverable_new, name="deliverable_new"),
    path("workspaces/<int:pk>/deliverables/<int:deliverable_id>/", work.deliverable_detail, name="deliverable"),
    path("workspaces/<int:pk>/deliverables/<int:deliverable_id>/versions/new/", work.version_new, name="version_new"),
    path("workspaces/<int:pk>/messages/", shared.messages, name="messages"),
    path("workspaces/<int:pk>/messages/preference/", shared.message_preference, name="message_preference"),
    path("workspaces/<int:pk>/meetings/", shared.meetings, name="meetings"),
    path("workspaces/<int:pk>/meetings/<int:meeting_id>/notes/", shared.meeting_notes, name="meeting_notes"),
    path("workspaces/<int:pk>/documents/", shared.documents, name="documents"),
    path("workspaces/<int:pk>/documents/<int:document_id>/", shared.document_download, name="document"),
    path("workspaces/<int:pk>/accelerator/", shared.accelerator, name="accelerator"),
    path("workspaces/<int:pk>/risks/<int:risk_id>/close/", shared.risk_close, name="risk_close"),
    path("workspaces/<int:pk>/milestones/<int:milestone_id>/paid/", stage.tranche_paid, name="tranche_paid"),
    path("workspaces/<int:pk>/pitch/", stage.pitch, name="pitch"),
    path("workspaces/<int:pk>/outcome/", stage.outcome, name="outcome"),
    path("workspaces/<int:pk>/end/", stage.engagement_end, name="end"),
    path("workspaces/<int:pk>/lessons/", stage.lessons, name="lessons"),
    path("workspaces/<int:pk>/lessons/<int:lesson_id>/publish/", stage.lesson_publish, name="lesson_publish"),
    path("workspaces/challenges/<int:challenge_id>/pitch-decision/", stage.pitch_decision, name="pitch_decision"),
    path("lessons/", stage.lessons_library, name="lessons_library"),
]
