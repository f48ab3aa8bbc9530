from django.urls import path

from forums import views

urlpatterns = [
    path("", views.forum_list, name="forum_list"),
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
]
