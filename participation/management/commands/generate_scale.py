"""Fill a database with invented councils at scale, for measuring how pages hold up.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard_bench \\
        .venv/bin/python manage.py generate_scale --councils 150 \\
        --big-activities 100000 --big-responses 100000

Makes one large council (`scale-big`) and N-1 smaller ones (`scale-001`...), each with activities,
named young people taking part, a live feedback form with responses and answers, forums with
members, an action plan with status history, and one login per council
(`officer@<slug>.example`, password `--password`). Rows go in with bulk inserts in batches, so
100,000 activities and 100,000 responses take minutes, not hours.

Everything is invented. It refuses to run unless DEBUG is on or --force is given, and refuses to
add to a database that already holds scale councils: start from a fresh database (dropdb, createdb,
migrate), which is much faster than deleting millions of rows.
"""

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from feedback import rollup as feedback_rollup
from feedback import services as feedback_services
from feedback.models import Answer, FeedbackForm, Question, Response
from forums.models import Forum, ForumMember
from participation import rls
from participation.activities.models import (
    Activity,
    ActivityKind,
    ActivityServiceArea,
    LadderRung,
    Participation,
    ParticipationType,
    ServiceArea,
    YoungPerson,
)
from participation.models import Council, Membership, User
from participation.services import council_default_lists_create
from participation.strategy.models import Action, Objective, Status, StatusUpdate, Strategy

BATCH = 5000
WRITTEN = [
    "My social worker always phones me back.",
    "I would like more trips in the holidays.",
    "Meetings are too long and use big words.",
    "I want to see my brother more.",
    "The youth club is the best thing.",
    "Nobody told me my worker was changing.",
    "More help with homework please.",
    "Bus passes cost too much.",
]
TITLES = [
    "Children in Care Council consultation",
    "Care leavers' focus group on housing",
    "Young Inspectors visit to a children's home",
    "Recruitment panel for a social worker",
    "Takeover day at the town hall",
    "Co-production of the local offer",
    "Review chaired by the young person",
    "Creative workshop on feeling safe",
]
NAMES = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hassan", "Isla", "Jay", "Kofi"]


def _now_ms() -> float:
    return time.perf_counter()


class Command(BaseCommand):
    help = "Generate invented councils at scale for benchmarks (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--councils", type=int, default=150, help="including the large one")
        parser.add_argument("--big-activities", type=int, default=100_000)
        parser.add_argument("--big-young-people", type=int, default=5_000)
        parser.add_argument("--big-responses", type=int, default=100_000)
        parser.add_argument("--small-activities", type=int, default=200)
        parser.add_argument("--small-young-people", type=int, default=100)
        parser.add_argument("--small-responses", type=int, default=200)
        parser.add_argument("--forums", type=int, default=8, help="per council")
        parser.add_argument("--actions", type=int, default=60, help="per council")
        parser.add_argument("--updates", type=int, default=4, help="status updates per action")
        parser.add_argument("--password", default="heard-bench-2026")
        parser.add_argument("--seed", type=int, default=14)
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, **options):
        # Platform work across councils: the one audited path past row-level security.
        with rls.all_councils("generating scale test data"):
            self._handle(*args, **options)
        # After the commit (VACUUM cannot run in a transaction): fresh statistics, since bulk
        # inserts leave the planner believing the tables are empty, and a visibility map, since
        # without one every index-only scan visits the table too (a count of 126,000 written
        # answers took 80 ms instead of a few). A live database gets both from autovacuum, which
        # may be off, or not yet round, after a bulk load.
        with connection.cursor() as cursor:
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
        self.stdout.write(self.style.SUCCESS("vacuumed and analysed" if vacuum else "analysed"))

    def _handle(self, *args, **opts):
        if not (settings.DEBUG or opts["force"]):
            raise CommandError("Refusing to generate data with DEBUG off; pass --force.")
        if opts["councils"] < 1:
            raise CommandError("--councils must be at least 1.")
        if Council.objects.filter(slug__startswith="scale-").exists():
            raise CommandError("Scale councils exist already: start from a fresh database.")
        rng = random.Random(opts["seed"])
        self.password_hash = None
        plan = [
            ("scale-big", opts["big_activities"], opts["big_young_people"], opts["big_responses"])
        ]
        plan += [
            (
                f"scale-{n:03d}",
                opts["small_activities"],
                opts["small_young_people"],
                opts["small_responses"],
            )
            for n in range(1, opts["councils"])
        ]
        started = _now_ms()
        for slug, activities, people, responses in plan:
            self._council(slug, activities, people, responses, opts, rng)
            if slug == "scale-big" or slug.endswith("0"):
                self.stdout.write(f"{slug}: done at {_now_ms() - started:.0f} s")
        # The bulk inserts went past the services, so the results rollup is counted afresh.
        for council in Council.objects.filter(slug__startswith="scale-").order_by("pk"):
            feedback_rollup.rebuild(council_id=council.pk)
        self.stdout.write(f"result counts rebuilt at {_now_ms() - started:.0f} s")
        self.stdout.write(
            self.style.SUCCESS(f"{len(plan)} councils in {_now_ms() - started:.0f} s")
        )

    @transaction.atomic
    def _council(self, slug, n_activities, n_people, n_responses, opts, rng):
        council = Council.objects.create(name=f"Scale {slug[6:]} Council", slug=slug)
        user = User(email=f"officer@{slug}.scale.example", full_name=f"Officer {slug}")
        if self.password_hash is None:
            user.set_password(opts["password"])
            self.password_hash = user.password
        user.password = self.password_hash
        user.save()
        officer = Membership.objects.create(
            council=council, user=user, role=Membership.Role.COUNCIL_ADMIN
        )
        workers = User.objects.bulk_create(
            User(email=f"worker{i}@{slug}.scale.example", full_name=f"Worker {i}", password="!")
            for i in range(5)
        )
        Membership.objects.bulk_create(
            Membership(council=council, user=w, role=Membership.Role.PRACTITIONER) for w in workers
        )
        council_default_lists_create(council=council)
        kinds = list(ActivityKind.objects.filter(council=council))
        areas = list(ServiceArea.objects.filter(council=council))
        today = timezone.localdate()

        people = YoungPerson.objects.bulk_create(
            (
                YoungPerson(
                    council=council,
                    preferred_name=f"{rng.choice(NAMES)} {i}",
                    reference=f"YP-{i:05d}",
                    date_of_birth=today - timedelta(days=rng.randint(8 * 365, 24 * 365)),
                    in_care=rng.random() < 0.3,
                    care_leaver=rng.random() < 0.15,
                    child_protection=rng.random() < 0.1,
                    child_in_need=rng.random() < 0.2,
                    send=rng.random() < 0.15,
                    uasc=rng.random() < 0.05,
                    out_of_area=rng.random() < 0.1,
                    ethnicity=rng.choice(YoungPerson.Ethnicity.values),
                    gender=rng.choice(YoungPerson.Gender.values),
                    disability=rng.choice(YoungPerson.Disability.values),
                )
                for i in range(1, n_people + 1)
            ),
            batch_size=BATCH,
        )
        people_ids = [p.pk for p in people]
        self._activities(council, n_activities, kinds, areas, workers, people_ids, today, rng)
        self._feedback(council, user, n_responses, people_ids, rng)
        self._forums(council, opts["forums"], people_ids, today, rng)
        self._plan(council, officer, opts["actions"], opts["updates"], today, rng)

    def _activities(self, council, count, kinds, areas, workers, people_ids, today, rng):
        # Spread over three years, so reach, the quarters and the record all have history.
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            activities = Activity.objects.bulk_create(
                Activity(
                    council=council,
                    title=f"{rng.choice(TITLES)} {made + i}",
                    starts_on=today - timedelta(days=rng.randint(0, 3 * 365)),
                    status=Activity.Status.DONE if rng.random() < 0.9 else Activity.Status.PLANNED,
                    kind=rng.choice(kinds),
                    participation_type=rng.choice(ParticipationType.values),
                    ladder_rung=rng.choice(LadderRung.values),
                    lundy_space=rng.random() < 0.7,
                    lundy_voice=rng.random() < 0.7,
                    lundy_audience=rng.random() < 0.5,
                    lundy_influence=rng.random() < 0.3,
                    methods=[rng.choice(["face_to_face", "online", "survey"])],
                    lead_worker=rng.choice(workers),
                    count_young_people=rng.randint(0, 12),
                    what_young_people_said=rng.choice(WRITTEN),
                )
                for i in range(size)
            )
            ActivityServiceArea.objects.bulk_create(
                ActivityServiceArea(council=council, activity=a, service_area=rng.choice(areas))
                for a in activities
            )
            links = []
            for activity in activities:
                # A few young people take part in most of the work: squared picks skew to them.
                chosen = {
                    people_ids[int(len(people_ids) * rng.random() ** 2)]
                    for _ in range(rng.randint(0, 5))
                }
                links.extend(
                    Participation(
                        council=council,
                        activity=activity,
                        young_person_id=person,
                        hours=Decimal(rng.randint(1, 6)),
                    )
                    for person in chosen
                )
            Participation.objects.bulk_create(links, batch_size=BATCH)
            made += size

    def _feedback(self, council, user, count, people_ids, rng):
        form = feedback_services.form_create_from_template(
            council=council, actor=user, template_key="six_monthly"
        )
        feedback_services.form_publish(form=form, actor=user)
        form = FeedbackForm.objects.get(pk=form.pk)
        questions = list(form.live_version.questions.order_by("position"))
        now = timezone.now()
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            responses = Response.objects.bulk_create(
                Response(
                    council=council,
                    form=form,
                    version=form.live_version,
                    submitted_at=now - timedelta(minutes=rng.randint(0, 2 * 365 * 1440)),
                    submission_key=f"scale{made + i:027d}",
                    is_assisted=rng.random() < 0.2,
                )
                for i in range(size)
            )
            answers = []
            for response in responses:
                for question in questions:
                    values = _answer(question, rng)
                    if values is not None:
                        answers.append(
                            Answer(council=council, response=response, question=question, **values)
                        )
            Answer.objects.bulk_create(answers, batch_size=BATCH)
            made += size

    def _forums(self, council, count, people_ids, today, rng):
        forums = Forum.objects.bulk_create(
            Forum(
                council=council,
                name=f"Forum {i}",
                audience=rng.choice(Forum.Audience.values),
            )
            for i in range(count)
        )
        members = []
        for forum in forums:
            for person in rng.sample(people_ids, min(len(people_ids), 15)):
                joined = today - timedelta(days=rng.randint(30, 700))
                members.append(
                    ForumMember(
                        council=council,
                        forum=forum,
                        young_person_id=person,
                        joined_on=joined,
                        left_on=joined + timedelta(days=20) if rng.random() < 0.2 else None,
                    )
                )
        ForumMember.objects.bulk_create(members, batch_size=BATCH)

    def _plan(self, council, officer, count, updates, today, rng):
        strategy = Strategy.objects.create(
            council=council,
            title="Participation strategy",
            period_start=date(today.year - 1, 4, 1),
            period_end=date(today.year + 2, 3, 31),
        )
        objectives = Objective.objects.bulk_create(
            Objective(council=council, strategy=strategy, code=f"SP{i}", title=f"Priority {i}")
            for i in range(1, 7)
        )
        statuses = list(Status.values)
        actions = Action.objects.bulk_create(
            Action(
                council=council,
                objective=objectives[i % len(objectives)],
                title=f"Action {i}",
                owner=officer if i % 3 == 0 else None,
                owner_name="" if i % 3 == 0 else "Partner",
                due_date=today + timedelta(days=rng.randint(-200, 400)),
                status=rng.choice(statuses),
            )
            for i in range(count)
        )
        now = timezone.now()
        StatusUpdate.objects.bulk_create(
            (
                StatusUpdate(
                    council=council,
                    action=action,
                    status=rng.choice(statuses),
                    at=now - timedelta(days=90 * step + 1),
                )
                for action in actions
                for step in range(updates)
            ),
            batch_size=BATCH,
        )


def _answer(question, rng) -> dict | None:
    if not question.required and rng.random() < 0.1:
        return None
    if question.kind == Question.Kind.FACES:
        return {"number": rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 6, 5])[0]}
    if question.kind == Question.Kind.SCALE:
        return {"number": rng.randint(0, 10)}
    if question.kind in (Question.Kind.YES_NO, Question.Kind.SINGLE):
        return {"choices": [rng.choice(question.choice_list())]}
    if question.kind == Question.Kind.MULTIPLE:
        options = question.choice_list()
        return {"choices": [o for o in options if rng.random() < 0.4] or options[:1]}
    if rng.random() < 0.3:
        return None
    return {"text": rng.choice(WRITTEN)}
