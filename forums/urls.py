from django.urls import path

from forums import views

urlpatterns = [
    path("", views.forum_list, name="forum_list"),
    path("asks/mine/", views.my_asks, name="my_asks"),
    path("new/", views.forum_create, name="forum_create"),
    path("<int:forum_id>/", views.forum_detail, name="forum_detail"),
    path("<int:forum_id>/edit/", views.forum_edit, name="forum_edit"),
    path("<int:forum_id>/archive/", views.forum_archive, {"archived": True}, name="forum_archive"),
    path("<int:forum_id>/restore/", views.forum_archive, {"archived": False}, name="forum_restore"),
    path("<int:forum_id>/members/add/", views.forum_member_add, name="forum_member_add"),
    path(
        "<int:forum_id>/members/<int:member_id>/role/",
        views.forum_member_role,
        name="forum_member_role",
    ),
    path(
        "<int:forum_id>/members/<int:member_id>/left/",
        views.forum_member_leave,
        name="forum_member_leave",
    ),
    path("<int:forum_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<int:forum_id>/meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<int:forum_id>/meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path(
        "<int:forum_id>/meetings/<int:meeting_id>/delete/",
        views.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "<int:forum_id>/meetings/<int:meeting_id>/attendance/",
        views.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "<int:forum_id>/meetings/<int:meeting_id>/attendance/visitors/add/",
        views.attendance_visitor,
        {"action": "add"},
        name="attendance_visitor_add",
    ),
    path(
        "<int:forum_id>/meetings/<int:meeting_id>/attendance/visitors/remove/",
        views.attendance_visitor,
        {"action": "remove"},
        name="attendance_visitor_remove",
    ),
    path(
        "<int:forum_id>/meetings/<int:meeting_id>/attendance/visitors/join/",
        views.attendance_visitor,
        {"action": "join"},
        name="attendance_visitor_join",
    ),
    path(
        "<int:forum_id>/meetings/<int:meeting_id>/guests/add/",
        views.meeting_guest_add,
        name="meeting_guest_add",
    ),
    path(
        "<int:forum_id>/meetings/<int:meeting_id>/guests/<int:guest_id>/remove/",
        views.meeting_guest_remove,
        name="meeting_guest_remove",
    ),
    path("<int:forum_id>/asks/new/", views.ask_create, name="ask_create"),
    path("<int:forum_id>/asks/<int:ask_id>/", views.ask_detail, name="ask_detail"),
    path("<int:forum_id>/asks/<int:ask_id>/answer/", views.ask_answer, name="ask_answer"),
    path("<int:forum_id>/asks/<int:ask_id>/you-said/", views.ask_you_said, name="ask_you_said"),
    path(
        "<int:forum_id>/consultations/new/",
        views.consultation_request_create,
        name="consultation_request_create",
    ),
    path(
        "<int:forum_id>/consultations/<int:consultation_id>/",
        views.consultation_detail,
        name="consultation_detail",
    ),
    path(
        "<int:forum_id>/consultations/<int:consultation_id>/decide/",
        views.consultation_decide,
        name="consultation_decide",
    ),
    path(
        "<int:forum_id>/consultations/<int:consultation_id>/outcome/",
        views.consultation_outcome,
        name="consultation_outcome",
    ),
    path("<int:forum_id>/adults/add/", views.forum_adult_add, name="forum_adult_add"),
    path(
        "<int:forum_id>/adults/<int:adult_id>/left/",
        views.forum_adult_leave,
        name="forum_adult_leave",
    ),
    path("<int:forum_id>/work/new/", views.work_item_edit, name="work_item_create"),
    path("<int:forum_id>/work/<int:item_id>/edit/", views.work_item_edit, name="work_item_edit"),
    path(
        "<int:forum_id>/terms-of-reference/",
        views.terms_of_reference,
        name="terms_of_reference",
    ),
    path("<int:forum_id>/calendar/", views.forum_calendar_link, name="forum_calendar_link"),
    path("<int:forum_id>/summary/", views.forum_summary, name="forum_summary"),
]
