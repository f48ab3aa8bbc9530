"""What each role may do: the one table that views, templates and the API all read.

A capability is "<area>.<verb>". Add a row here when a feature arrives; nowhere else decides
who may do what.
"""

from participation.models import Membership

Role = Membership.Role

EVERYONE = frozenset(Role)
OFFICERS = frozenset({Role.PARTICIPATION_OFFICER, Role.COUNCIL_ADMIN})

CAPABILITIES: dict[str, frozenset[str]] = {
    "council.view": EVERYONE,
    "forums.view": EVERYONE,
    "forums.edit": OFFICERS,
    # Managers answer the asks addressed to them (checked per ask in forums.selectors);
    # officers and admins answer any.
    "asks.answer": OFFICERS | {Role.MANAGER},
    # Any member of staff may ask to consult a forum; officers decide (forums.edit).
    "consultations.request": EVERYONE,
    "strategy.view": EVERYONE,
    "strategy.edit": OFFICERS,
    # Owners of an action may update its status too, whatever their role (checked per action).
    "actions.update": OFFICERS | {Role.MANAGER},
    "people.manage": frozenset({Role.COUNCIL_ADMIN}),
    "council.settings": frozenset({Role.COUNCIL_ADMIN}),
    # The audit trail holds every change with its before and after values: admins only.
    "audit.view": frozenset({Role.COUNCIL_ADMIN}),
    # Activities: practitioners log and edit their own; officers and admins edit all.
    "activities.view": EVERYONE,
    "activities.log": frozenset({Role.PRACTITIONER}) | OFFICERS,
    "activities.edit_any": OFFICERS,
    "activities.export": OFFICERS,
    "activities.import": OFFICERS,
    "activities.configure": OFFICERS,
    # Young people: practitioners see those on their own activities; officers see everyone.
    "young_people.view": frozenset({Role.PRACTITIONER}) | OFFICERS,
    "young_people.view_all": OFFICERS,
    "young_people.edit": frozenset({Role.PRACTITIONER}) | OFFICERS,
    "young_people.equality": OFFICERS,
    "young_people.delete": OFFICERS,
    # Reach: suppressed aggregates, for managers too.
    "reach.view": frozenset({Role.MANAGER}) | OFFICERS,
    "reach.cohorts": OFFICERS,
    "feedback.view": EVERYONE,
    "feedback.build": OFFICERS,
    "feedback.assist": EVERYONE,
    "feedback.results": OFFICERS | {Role.MANAGER},
    # Everyone may open the alert queue page; practitioners and managers see alerts there only
    # when named as safeguarding contacts (checked in feedback.selectors.can_see_alerts).
    "feedback.alerts_queue": EVERYONE,
    "feedback.alerts": OFFICERS,
    # Quarterly reports: officers write them; managers read and download them too.
    "reports.view": OFFICERS | {Role.MANAGER},
    "reports.write": OFFICERS,
    # Data protection: retention periods, erasure, subject access exports, the privacy notice.
    "lifecycle.manage": frozenset({Role.COUNCIL_ADMIN}),
    # API tokens: anyone may make their own; a token can do no more than its person's role.
    "api.tokens": EVERYONE,
}


# Roles that always sign in with a second step (an authenticator app's code or a recovery code):
# they can see and change the most. A council can ask it of every role
# (Council.two_factor_for_everyone).
TWO_FACTOR_ROLES = frozenset({Role.MANAGER, Role.COUNCIL_ADMIN})


def role_can(role: str, capability: str) -> bool:
    try:
        allowed = CAPABILITIES[capability]
    except KeyError:
        # A misspelt capability must not silently deny (or allow): it is a programming error.
        raise KeyError(f"Unknown capability {capability!r}; add it to CAPABILITIES.") from None
    return role in allowed


def capabilities_for(role: str) -> frozenset[str]:
    return frozenset(name for name, roles in CAPABILITIES.items() if role in roles)
