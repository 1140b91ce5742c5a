from django.urls import path

from .views import applicant as views
from .views import assess as assess_views
from .views import sponsor as sponsor_views

app_name = "applications"

urlpatterns = [
    path("applications/", views.application_list, name="list"),
    path("applications/start/<int:challenge_page_id>/", views.application_start, name="start"),
    path("applications/<int:pk>/", views.application_overview, name="overview"),
    path("applications/<int:pk>/sections/<str:key>/", views.section_edit, name="section"),
    path("applications/<int:pk>/answers/<str:key>/autosave/", views.answer_autosave, name="autosave"),
    path("applications/<int:pk>/attachments/", views.attachment_list, name="attachments"),
    path("applications/<int:pk>/attachments/<int:attachment_id>/remove/", views.attachment_delete, name="remove"),
    path("applications/<int:pk>/attachments/<int:attachment_id>/download/", views.attachment_download, name="download"),
    path("applications/<int:pk>/check/", views.application_check, name="check"),
    path("applications/<int:pk>/submitted/", views.application_submitted, name="submitted"),
    path("applications/<int:pk>/versions/<int:number>/", views.application_version, name="version"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    # Sponsors
    path("sponsor/applications/", sponsor_views.sponsor_dashboard, name="sponsor_dashboard"),
    path("sponsor/applications/<int:pk>/", sponsor_views.sponsor_application, name="sponsor_application"),
    # Assessors
    path("assess/", assess_views.assessor_queue, name="assess_queue"),
    path("assess/<int:pk>/declare/", assess_views.assignment_declare, name="assess_declare"),
    path("assess/<int:pk>/score/", assess_views.assignment_score, name="assess_score"),
]
