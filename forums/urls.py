from django.urls import path

from forums import views

urlpatterns = [
    path("", views.forum_list, name="forum_list"),
    path("new/", views.forum_create, name="forum_create"),
    path("<int:forum_id>/", views.forum_detail, name="forum_detail"),
    path("<int:forum_id>/edit/", views.forum_edit, name="forum_edit"),
    path("<int:forum_id>/archive/", views.forum_archive, {"archived": True}, name="forum_archive"),
    path("<int:forum_id>/restore/", views.forum_archive, {"archived": False}, name="forum_restore"),
]
