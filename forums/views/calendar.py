from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from forums import selectors, services
from forums.models import CalendarLink
from participation import rls
from participation.tenancy import council_view

# Calendar feed -------------------------------------------------------------------------------


@council_view("forums.view")
@require_http_methods(["GET", "POST"])
def forum_calendar_link(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_link_revoke(forum=forum, user=request.user)
            messages.success(request, "Calendar link switched off. It no longer works.")
        else:
            services.calendar_link_create(forum=forum, user=request.user)
            messages.success(request, "Your calendar link is ready.")
        return redirect("forum_calendar_link", council_slug=request.council.slug, forum_id=forum.pk)
    link = selectors.live_calendar_link(forum=forum, user=request.user)
    # From SITE_URL, like every link that leaves the app, never from the request's Host header.
    feed_url = settings.SITE_URL + reverse("forum_calendar_feed", args=[link.token]) if link else ""
    return render(
        request, "forums/calendar_link.html", {"forum": forum, "link": link, "feed_url": feed_url}
    )


@rls.scoped_by_token(CalendarLink)
def forum_calendar_feed(request, token):
    """Public by design (calendar apps cannot sign in): the secret link is the key."""
    from django.http import Http404, HttpResponse

    from forums.calendar import forum_calendar

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    link = selectors.calendar_by_token(token=token)
    if link is None:
        raise Http404("No such calendar.")
    body = forum_calendar(forum=link.forum, meetings=selectors.calendar_meetings(forum=link.forum))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="forum-meetings.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@council_view("forums.view")
def forum_summary(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else None
    except ValueError:
        year = None
    if year is not None and not 2000 <= year <= timezone.localdate().year + 1:
        year = None
    start, end = selectors.summary_year(year=year)
    return render(
        request,
        "forums/forum_summary.html",
        {
            "forum": forum,
            "summary": selectors.annual_summary(forum=forum, start=start, end=end),
            "previous_year": start.year - 1,
            "next_year": start.year + 1 if end < timezone.localdate() else None,
        },
    )
