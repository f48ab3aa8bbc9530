from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Cursor pages: a list that changes while an integration reads it skips nothing."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
