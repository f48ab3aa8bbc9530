from django.urls import path

from feedback import views

form = "<int:form_id>/"
question = form + "questions/<int:question_id>/"

urlpatterns = [
    path("", views.form_list, name="feedback_form_list"),
    path("new/", views.form_create, name="feedback_form_create"),
    path("templates/", views.form_from_template, name="feedback_form_from_template"),
    path(form, views.form_detail, name="feedback_form_detail"),
    path(form + "edit/", views.form_edit, name="feedback_form_edit"),
    path(form + "publish/", views.form_publish, name="feedback_form_publish"),
    path(form + "close/", views.form_set_closed, {"closed": True}, name="feedback_form_close"),
    path(form + "reopen/", views.form_set_closed, {"closed": False}, name="feedback_form_reopen"),
    path(form + "link/replace/", views.link_replace, name="feedback_link_replace"),
    path(form + "qr.svg", views.form_qr, {"kind": "svg"}, name="feedback_qr_svg"),
    path(form + "qr.png", views.form_qr, {"kind": "png"}, name="feedback_qr_png"),
    path(form + "questions/new/", views.question_add, name="feedback_question_add"),
    path(question + "edit/", views.question_edit, name="feedback_question_edit"),
    path(question + "move/", views.question_move, name="feedback_question_move"),
    path(question + "delete/", views.question_delete, name="feedback_question_delete"),
    path(form + "assist/", views.form_assist, name="feedback_form_assist"),
    path(form + "results/", views.form_results, name="feedback_results"),
    path(form + "results.csv", views.form_results_csv, name="feedback_results_csv"),
    path(form + "results.xlsx", views.form_results_xlsx, name="feedback_results_xlsx"),
    path("scorecard/", views.scorecard, name="feedback_scorecard"),
    path(form + "answers/", views.text_answers, name="feedback_text_answers"),
    path(
        form + "answers/<int:answer_id>/themes/", views.answer_themes, name="feedback_answer_themes"
    ),
    path(form + "answers/<int:answer_id>/quote/", views.answer_quote, name="feedback_answer_quote"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("safeguarding/", views.safeguarding_settings, name="safeguarding_settings"),
    path(
        "safeguarding/contacts/<int:contact_id>/remove/",
        views.contact_remove,
        name="safeguarding_contact_remove",
    ),
    path("you-said-we-did/", views.you_said_list, name="you_said_list"),
    path("you-said-we-did/new/", views.you_said_edit, name="you_said_create"),
    path("you-said-we-did/<int:entry_id>/", views.you_said_detail, name="you_said_detail"),
    path("you-said-we-did/<int:entry_id>/edit/", views.you_said_edit, name="you_said_edit"),
    path(
        "you-said-we-did/<int:entry_id>/evidence/",
        views.you_said_attach,
        name="you_said_attach",
    ),
]
