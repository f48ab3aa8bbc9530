from django.urls import path

from participation.activities import views

urlpatterns = [
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/export/", views.activity_export, name="activity_export"),
    path("activities/import/", views.activity_import, name="activity_import"),
    path("activities/import/sample/", views.activity_import_sample, name="activity_import_sample"),
    path(
        "activities/import/columns/",
        views.activity_import_columns,
        name="activity_import_columns",
    ),
    path(
        "activities/import/checked/",
        views.activity_import_checked,
        name="activity_import_checked",
    ),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path(
        "activities/<int:activity_id>/duplicate/",
        views.activity_duplicate,
        name="activity_duplicate",
    ),
    path("activities/<int:activity_id>/delete/", views.activity_delete, name="activity_delete"),
    path(
        "activities/<int:activity_id>/taking-part/<int:participation_id>/",
        views.participation_edit,
        name="participation_edit",
    ),
    path("activities/lists/", views.council_lists, name="council_lists"),
    path(
        "activities/lists/kinds/<int:kind_id>/retire/",
        views.kind_toggle,
        {"active": False},
        name="kind_retire",
    ),
    path(
        "activities/lists/kinds/<int:kind_id>/bring-back/",
        views.kind_toggle,
        {"active": True},
        name="kind_restore",
    ),
    path(
        "activities/lists/service-areas/<int:area_id>/retire/",
        views.service_area_toggle,
        {"active": False},
        name="service_area_retire",
    ),
    path(
        "activities/lists/service-areas/<int:area_id>/bring-back/",
        views.service_area_toggle,
        {"active": True},
        name="service_area_restore",
    ),
    path("young-people/", views.young_person_list, name="young_person_list"),
    path("young-people/new/", views.young_person_create, name="young_person_create"),
    path(
        "young-people/<int:young_person_id>/",
        views.young_person_detail,
        name="young_person_detail",
    ),
    path(
        "young-people/<int:young_person_id>/edit/",
        views.young_person_edit,
        name="young_person_edit",
    ),
    path(
        "young-people/<int:young_person_id>/delete/",
        views.young_person_delete,
        name="young_person_delete",
    ),
    path("reach/", views.reach, name="reach"),
    path("reach/cohort-sizes/", views.cohort_sizes, name="cohort_sizes"),
]
