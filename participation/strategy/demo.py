"""Demo action plans from the seed documents: Sandwell's action plan (its Appendix 4, 14 actions
and their statuses) and Dudley's 2017-18 delivery plan. Dates are moved forward so the plans are
live today; every person is invented (the documents' officers never appear here).
"""

from datetime import date, timedelta

from django.utils import timezone

from participation.models import Council, Membership, User
from participation.strategy.models import (
    Action,
    ActionPriority,
    Indicator,
    IndicatorValue,
    Objective,
    Status,
    StatusUpdate,
    Strategy,
)

ON, OFF = "Not completed but on track", "Not yet completed but off-track"

# (number, action, priorities, desired outcome, due, owner, success criteria, commentary, status)
# Owners: "officer" and "manager" become the demo council's members; others are named partners.
SANDWELL = [
    (
        "Raise the visibility and influence of the participation strategy",
        "SP 1",
        "Good awareness and use across Children and Families of the participation strategy",
        (2017, 3),
        "manager",
        "Participation strategy",
        "Discussions are underway in respect of formally launching the strategy",
        ON,
    ),
    (
        "Develop a care leaver's booklet around entitlements and independence.",
        "SP 3",
        "Children and young people leaving care are well informed about the support in place as "
        "they make the transition to adulthood",
        (2017, 3),
        "Leah Barton, Leaving Care Manager",
        "A comprehensive and informative care leaver's booklet",
        "Draft booklet has been designed which is in the final stages of development",
        ON,
    ),
    (
        "Develop work programme for the LAYPB",
        "SP 3",
        "A clear trajectory is in place for the work of the LAYPB over the next 6 months",
        (2017, 2),
        "officer",
        "A robust work programme developed in partnership with young people",
        "Consultation has been undertaken and a final draft will be published during February",
        ON,
    ),
    (
        "Develop work programme for the Care Leaver's Forum",
        "SP 3",
        "A clear trajectory is in place for the work of the Care Leaver's Forum over the next 6 "
        "months",
        (2017, 3),
        "officer",
        "A robust work programme developed in partnership with young people",
        "Consultation has been undertaken and a final draft will be published during March",
        ON,
    ),
    (
        "Monitor the usage of the MOMO app in order to determine its effectiveness in obtaining "
        "the wishes and feelings views of children and young people.",
        "SP 2 SP 3",
        "The wishes and feelings views of children and young people are captured and influence "
        "their care planning.",
        (2017, 10),
        "officer",
        "Report produced a year after the launch of MOMO that evidences an increase in its use by "
        "a wide range of children and young people that has influenced decision making",
        "Usage is currently being monitored on a monthly basis",
        ON,
    ),
    (
        "Adhere to the MOMO implementation plan to ensure a timely and coordinated rollout of the "
        "app across children and families",
        "SP 2 SP 3",
        "The Children & Families workforce are trained in promoting and using the MOMO app",
        (2017, 6),
        "officer",
        "Trained workforce in Children and Families promoting the app and its benefits/ usage to "
        "children and young people Increased usage of the MOMO app",
        "All LAC Social Workers; IRO's; Leaving Care Advisors have received training. Upcoming "
        "training is scheduled for a wide range of practitioners",
        ON,
    ),
    (
        "Increase the number of Children & Young people taking part/ chairing their LAC and CP "
        "reviews.",
        "SP 2",
        "An increase in the number of Children & Young people taking part/ chairing their LAC/ "
        "CP reviews.",
        (2017, 6),
        "Owen Patel, IRO Team Manager; Grace Fenwick, IRO Team Manager",
        "Children and Young people have an awareness that they can be involved in their own "
        "reviews and actively engage with this",
        "Baseline currently exists of the volume of children and young people currently taking "
        "part",
        OFF,
    ),
    (
        "Develop and implement a Leadership Programme for children and young people to become "
        "leaders.",
        "SP 2 SP 3",
        "Children and young people participating in the programme are equipped with the "
        "necessary skills that enable 'child-initiated, shared decisions with adults'",
        (2018, 4),
        "officer",
        "Successful completion of the Leadership Programme by a number of children and young "
        "people",
        "Two providers have tendered for the programme and interviews have taken place. An "
        "appointment has yet to be made.",
        ON,
    ),
    (
        "Obtain the voice of the child for children with disabilities by working in partnership "
        "with a voluntary sector partner",
        "SP 2 SP 3",
        "The wishes and feelings of children with disabilities influence service improvement",
        (2017, 6),
        "Nadia Rahman, Chief Executive, disability charity partner",
        "Increased participation in decision making forums by children with disabilities",
        "Partner commissioned to contribute to the progression of this area of work. Quarterly "
        "meetings take place; the next will discuss the next stage of the project",
        OFF,
    ),
    (
        "Care Leavers Forum and Looked after Young People's Board representatives influence "
        "decision making at Corporate Parenting Board.",
        "SP 3",
        "Children and young people from the Care Leavers Forum and Looked After Young People's "
        "Board routinely attend Corporate Parenting Board and make an active contribution",
        (2017, 7),
        "officer",
        "Full engagement by Care Leavers Forum and Looked after Young People's Board at "
        "Corporate Parenting Board",
        "Young people from both forums currently attend Corporate Parenting Board on a "
        "bi-monthly basis and supply reports relating to the business of both boards when "
        "required.",
        ON,
    ),
    (
        "Ensure that the wishes and feelings of children are obtained through statutory visits "
        "by Social Workers and these are recorded on the case management system.",
        "SP 2",
        "Social Workers routinely take into consideration the wishes and feelings of children "
        "during statutory visits",
        (2017, 7),
        "Irene Walsh, Group Head for LAC and Permanency",
        "Children are routinely seen alone. Audits reflect the recording of the child's voice. "
        "Performance Data",
        "This is currently reviewed on a weekly basis",
        ON,
    ),
    (
        "Ensure the Young inspectors programme is fully embedded in order to improve placement "
        "for young people.",
        "SP 3",
        'All LAC and Care Leavers have the opportunity to become "Young Inspectors" who will '
        "carry out inspections on different areas across the service",
        (2017, 9),
        "officer",
        "Young Inspectors Pack. Training on how to become inspectors. Quarterly reports to "
        "appropriate forums on upcoming and completed inspections.",
        "Mock inspection was undertaken on two provisions and reported to Corporate Parenting "
        "Board. Schedule of inspection is under development",
        ON,
    ),
    (
        "Ensure young people are involved in the recruitment and selection of all staff in "
        "children social care.",
        "SP 3",
        "Children and young people contribute to the decision-making process of all staff in "
        "children social care.",
        (2017, 6),
        "officer",
        "A workforce exists that effectively engages with its children and young people",
        "Regular young people's panel currently take place",
        ON,
    ),
    (
        "Ensure children and young people are training new and current staff around the "
        "importance of getting the child's voice in assessments and care planning.",
        "SP 3",
        "The child's voice runs through assessment and care planning.",
        (2017, 6),
        "officer",
        "Active engagement by children and young people in the form of delivering training. "
        "Practitioners seeing the child's perspective",
        "Children and young people will be in attendance at the upcoming Children's Induction",
        ON,
    ),
]

SANDWELL_PRIORITIES = {
    "SP1": "Raise the profile and influence of participation",
    "SP2": "Children and young people are involved in decisions about their own lives",
    "SP3": "Children and young people shape the services they receive",
}

# Dudley Delivery Plan 2017-18: (priority, aim, responsible, action, output, child measure).
DUDLEY_PRIORITIES = [
    ("P1", "Children and Young People Influence Decision Making in Children's Services"),
    ("P2", "All workers listen and respond to the views of children and young people"),
    ("P3", "We support our workforce to actively involve children and young people"),
]
DUDLEY = [
    (
        "P1",
        "Strengthen links to Scrutiny with regular reporting to ensure views of children and "
        "young people are central to Council Plans",
        "Youth Council",
        "Identify elected Member as Participation Champion. Agree annual reporting framework "
        "with elected member",
        "services_better",
        Status.ON_TRACK,
    ),
    (
        "P1",
        "Children in Care Council to gather feedback on implementation of the Pledge",
        "officer",
        "Annual Feedback presented by CiCC to Corporate Parenting Board. More young people know "
        "about and are part of the Care Council.",
        "services_better",
        Status.ON_TRACK,
    ),
    (
        "P1",
        "Care Leavers Forum to be established with good representation",
        "manager",
        "Corporate Parenting Board establish regular engagement with Care Leaver Forum",
        "services_better",
        Status.COMPLETED,
    ),
    (
        "P1",
        "Develop a representative forum for Children and Young People with Disabilities",
        "Children with Disabilities Service Manager",
        "Consultation with Children and Young People; proposal for a participatory forum",
        "services_better",
        Status.OFF_TRACK,
    ),
    (
        "P1",
        "Develop a comprehensive plan to involve children and young people in recruitment of new "
        "staff",
        "officer",
        "Recruitment plan devised and training delivered. Number of staff interviews with "
        "children and young people involved",
        "services_better",
        Status.ON_TRACK,
    ),
    (
        "P1",
        "Recruit and train care experienced and other young people in the development of "
        "commissioning specifications and tender evaluation",
        "Commissioning team",
        "Young Commissioners model established",
        "services_better",
        Status.NOT_STARTED,
    ),
    (
        "P1",
        "Monitor a sample of complaints from children, and share thematic learning for "
        "children's services",
        "Complaints team",
        "Bi-annual learning report to Managers Forum and whole staff briefing",
        "kept_informed",
        Status.ON_TRACK,
    ),
    (
        "P2",
        "Comprehensive case file auditing in Early Help and Social Care to ensure Voice of Child "
        "is a focus in all work",
        "manager",
        "65% of case file audits rated good or better for Voice of Child",
        "good_service",
        Status.OFF_TRACK,
    ),
    (
        "P2",
        "Develop a scorecard to measure the 6 principles of active involvement in case work",
        "Performance team",
        "Baseline data",
        "involved_in_decisions",
        Status.ON_TRACK,
    ),
    (
        "P2",
        "Create monthly MOMO service reports to monitor the 6 principles",
        "Performance team",
        "Baseline data",
        "listened_to",
        Status.COMPLETED,
    ),
    (
        "P2",
        "Recruit and train a group of care experienced young people to carry out voice of the "
        "child audits of review meetings",
        "officer",
        "Young Assessors trained and completed first case file audits",
        "involved_in_decisions",
        Status.NOT_STARTED,
    ),
    (
        "P3",
        "Revised Back to Basics and induction training for all staff; compulsory briefing events "
        "on Voice of the Child",
        "manager",
        "100% of staff working with children and young people complete 'voice of the child' "
        "training",
        "worker_knows_me",
        Status.ON_TRACK,
    ),
    (
        "P3",
        "Ensure MoMo and 'Care & Share' are used across the Department so the views of children "
        "and young people reach their workers, managers and partners",
        "officer",
        "All Social Workers trained in use of MOMO",
        "listened_to",
        Status.OFF_TRACK,
    ),
    (
        "P3",
        "Annual report of issues raised by children and young people and actions taken",
        "Children and Young People's Alliance",
        "Annual Report to Corporate Parenting Board, Safeguarding Board and Children's Alliance",
        "kept_informed",
        Status.NOT_STARTED,
    ),
    (
        "P3",
        "Participation Champions identified in each team to improve communication and build "
        "best practice",
        "DMT",
        "Champions in place in every team",
        "services_better",
        Status.ON_TRACK,
    ),
]

PHRASE_STATUS = {ON: Status.ON_TRACK, OFF: Status.OFF_TRACK}


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _owner(text: str, members: dict[str, Membership | None]) -> dict:
    if members.get(text):
        return {"owner": members[text], "owner_name": "", "owner_organisation": ""}
    if text in members:  # no such member in this council: keep the role as a named owner
        text = "Participation officer" if text == "officer" else "Head of service"
    return {"owner": None, "owner_name": text, "owner_organisation": ""}


def _history(action: Action, statuses: list[tuple[str, str]], author: User | None, start):
    """A believable history: one update per quarter, ending at the current status."""
    StatusUpdate.objects.filter(council=action.council, action=action).delete()
    for weeks, (status, commentary) in enumerate(statuses):
        StatusUpdate.objects.create(
            council=action.council,
            action=action,
            status=status,
            commentary=commentary,
            author=author,
            at=start + timedelta(weeks=13 * weeks),
        )
    action.status = statuses[-1][0]
    action.status_changed_at = start + timedelta(weeks=13 * (len(statuses) - 1))
    action.save()


def load(council: Council) -> None:
    """Create or refresh both demo plans in one council. Actions owned by "officer" or
    "manager" go to the council's first participation officer and manager."""
    members = {}
    for key, role in (
        ("officer", Membership.Role.PARTICIPATION_OFFICER),
        ("manager", Membership.Role.MANAGER),
    ):
        members[key] = (
            Membership.objects.filter(council=council, role=role, is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
    today = timezone.localdate()
    # Sandwell's plan was written early in 2017: its dates move so that it is written this year.
    shift = today.year + 1 - 2017
    author = members["officer"].user if members["officer"] else None
    started = timezone.now() - timedelta(weeks=39)

    sandwell, _ = Strategy.objects.update_or_create(
        council=council,
        title="Participation Strategy and Action Plan",
        defaults={
            "period_start": date(2015 + shift, 4, 1),
            "period_end": date(2019 + shift, 3, 31),
            "vision": "Children and young people are heard, and what they say changes what we do.",
            "state": Strategy.State.ACTIVE,
        },
    )
    objectives = {}
    for order, (code, title) in enumerate(SANDWELL_PRIORITIES.items(), start=1):
        objectives[code], _ = Objective.objects.update_or_create(
            council=council,
            strategy=sandwell,
            code=code,
            defaults={"title": title, "order": order},
        )
    for title, priorities, outcome, (year, month), owner, criteria, commentary, phrase in SANDWELL:
        codes = priorities.replace("SP ", "SP").split()
        action, _ = Action.objects.update_or_create(
            council=council,
            objective=objectives[codes[0]],
            title=title,
            defaults={
                "desired_outcome": outcome,
                "success_criteria": criteria,
                "due_date": _month_end(year + shift, month),
                **_owner(owner, members),
            },
        )
        for code in codes[1:]:
            ActionPriority.objects.get_or_create(
                council=council, action=action, objective=objectives[code]
            )
        status = PHRASE_STATUS[phrase]
        _history(action, [(Status.NOT_STARTED, ""), (status, commentary)], author, started)

    dudley, _ = Strategy.objects.update_or_create(
        council=council,
        title="Active Involvement Strategy: Delivery Plan",
        defaults={
            "period_start": date(2015 + shift, 4, 1),
            "period_end": date(2017 + shift, 3, 31),
            "vision": "A borough where, in co-production with children and young people, their "
            "rights are realised, and their views shape decisions made about their lives and "
            "those of their families.",
            "state": Strategy.State.ACTIVE,
        },
    )
    priorities = {}
    for order, (code, title) in enumerate(DUDLEY_PRIORITIES, start=1):
        priorities[code], _ = Objective.objects.update_or_create(
            council=council, strategy=dudley, code=code, defaults={"title": title, "order": order}
        )
    for index, (code, title, owner, output, measure, status) in enumerate(DUDLEY):
        # Due dates spread over the year so the dashboard has some due soon and some overdue.
        due = today + timedelta(days=-20 + 25 * index)
        action, _ = Action.objects.update_or_create(
            council=council,
            objective=priorities[code],
            title=title,
            defaults={
                "success_criteria": output,
                "child_measure": measure,
                "due_date": due,
                "team": "Participation team" if owner == "officer" else "",
                **_owner(owner, members),
            },
        )
        steps = [(Status.NOT_STARTED, "")]
        if status != Status.NOT_STARTED:
            steps.append((Status.ON_TRACK, "Work has begun."))
        if status != Status.ON_TRACK and status != Status.NOT_STARTED:
            steps.append((status, "Reviewed at the quarterly update."))
        _history(action, steps, author, started)

    trained, _ = Indicator.objects.update_or_create(
        council=council,
        strategy=dudley,
        title="Staff who completed 'voice of the child' training",
        defaults={"unit": "staff", "target": 668, "objective": priorities["P3"]},
    )
    audits, _ = Indicator.objects.update_or_create(
        council=council,
        strategy=dudley,
        title="Case file audits rated good or better for voice of the child",
        defaults={"unit": "%", "target": 65, "objective": priorities["P2"]},
    )
    from participation.quarters import Quarter

    quarters = Quarter.between(dudley.period_start, today, year_starts=council.year_starts)
    ends = [quarter.end for quarter in quarters if quarter.end < today][-3:]
    for indicator, values in ((trained, [120, 244, 361]), (audits, [41, 48, 57])):
        for end, value in zip(ends, values[-len(ends) :] if ends else [], strict=False):
            IndicatorValue.objects.update_or_create(
                council=council,
                indicator=indicator,
                quarter_end=end,
                defaults={"value": value, "recorded_by": author},
            )
