import re

from django.urls import URLPattern, URLResolver, get_resolver

COUNCIL_PREFIX = "c/<slug:council_slug>/"

# Council pages that are public on purpose (no sign-in), e.g. the child-friendly "you said, we did"
# page. They skip the member-only tenancy tests and must have tests of their own.
PUBLIC_COUNCIL_URL_NAMES: set[str] = {"you_said_we_did_public", "privacy_notice"}


def all_patterns() -> list[tuple[str, str]]:
    """(name, full route) for every named URL pattern in the project."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((pattern.name, prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "")
    return found


def council_patterns() -> list[tuple[str, str]]:
    """Member-only council patterns."""
    return [
        (name, route)
        for name, route in all_patterns()
        if route.startswith(COUNCIL_PREFIX) and name not in PUBLIC_COUNCIL_URL_NAMES
    ]


def council_object_patterns() -> list[tuple[str, str]]:
    """Council patterns that name an object by id (any parameter besides the council slug)."""
    return [
        (name, route)
        for name, route in council_patterns()
        if len(re.findall(r"<[^>]+>", route)) > 1
    ]
