from django.urls import path

from lifecycle import views

urlpatterns = [
    path("data/retention/", views.retention_settings, name="retention_settings"),
    path("data/retention/next-month/", views.retention_forecast, name="retention_forecast"),
    path("data/privacy-notice/", views.privacy_notice_edit, name="privacy_notice_edit"),
    path(
        "data/subject-access/<int:export_id>/",
        views.subject_access_detail,
        name="subject_access_detail",
    ),
    path(
        "young-people/<int:young_person_id>/erase/",
        views.young_person_erase,
        name="young_person_erase",
    ),
    path(
        "young-people/<int:young_person_id>/subject-access/",
        views.subject_access_request,
        name="subject_access_request",
    ),
]
