from django.urls import path

from participation.strategy import views

urlpatterns = [
    path("", views.strategy_list, name="strategy_list"),
    path("new/", views.strategy_create, name="strategy_create"),
    path("dashboard/", views.dashboard, name="strategy_dashboard"),
    path("actions/", views.action_list, name="action_list"),
    path("import/", views.plan_import, name="strategy_import"),
    path("import/columns/", views.plan_import_columns, name="strategy_import_columns"),
    path("import/confirm/", views.plan_import_confirm, name="strategy_import_confirm"),
    path("import/sample/", views.plan_import_sample, name="strategy_import_sample"),
    path("owners/", views.unmatched_owners, name="strategy_owners"),
    path("actions/export/", views.plan_export, name="action_export"),
    path("<int:strategy_id>/", views.strategy_detail, name="strategy_detail"),
    path("<int:strategy_id>/edit/", views.strategy_edit, name="strategy_edit"),
    path(
        "<int:strategy_id>/archive/",
        views.strategy_archive,
        {"archived": True},
        name="strategy_archive",
    ),
    path(
        "<int:strategy_id>/restore/",
        views.strategy_archive,
        {"archived": False},
        name="strategy_restore",
    ),
    path("<int:strategy_id>/objectives/new/", views.objective_create, name="objective_create"),
    path("<int:strategy_id>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("objectives/<int:objective_id>/", views.objective_detail, name="objective_detail"),
    path("objectives/<int:objective_id>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:objective_id>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:action_id>/", views.action_detail, name="action_detail"),
    path("actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path("actions/<int:action_id>/evidence/", views.evidence_add, name="evidence_add"),
    path(
        "actions/<int:action_id>/evidence/<int:evidence_id>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path(
        "actions/<int:action_id>/archive/",
        views.action_archive,
        {"archived": True},
        name="action_archive",
    ),
    path(
        "actions/<int:action_id>/restore/",
        views.action_archive,
        {"archived": False},
        name="action_restore",
    ),
    path("indicators/<int:indicator_id>/record/", views.indicator_record, name="indicator_record"),
]
