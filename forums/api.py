from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from forums import selectors
from forums.models import Forum
from participation.api import CouncilAPIView
from participation.forms import search_param


class ForumSerializer(serializers.ModelSerializer):
    class Meta:
        model = Forum
        fields = [
            "id",
            "name",
            "audience",
            "meets",
            "purpose",
            "terms_of_reference",
            "is_archived",
            "updated_at",
        ]


class ForumListAPI(CouncilAPIView):
    capability = "forums.view"

    def get(self, request, council_slug):
        forums = selectors.forum_list(
            council=request.council,
            search=search_param(request),
            archived=request.query_params.get("archived") == "1",
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(forums, request, view=self)
        return paginator.get_paginated_response(ForumSerializer(page, many=True).data)


class ForumDetailAPI(CouncilAPIView):
    capability = "forums.view"

    def get(self, request, council_slug, forum_id):
        forum = selectors.access_forum(council=request.council, pk=forum_id)
        return Response(ForumSerializer(forum).data)
