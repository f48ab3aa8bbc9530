from django.urls import path

from reporting import views

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("<int:run_id>/", views.report_detail, name="report_detail"),
    path("<int:run_id>/edit/", views.report_edit, name="report_edit"),
    path("<int:run_id>/preview/", views.report_preview, name="report_preview"),
    path("<int:run_id>/finalise/", views.report_finalise, name="report_finalise"),
    path("<int:run_id>/new-version/", views.report_new_version, name="report_new_version"),
    path("<int:run_id>/download/", views.report_download, name="report_download"),
]
