"""The news part of the demo data: categories, tags and about fifty items in
Indonesian, most published over the last six weeks, some still on the desk.

Called by ``manage.py seed_demo`` after the demo units and users exist.
Running it again adds nothing twice: categories and tags by slug, items by
slug (a fixed seed gives the same titles on every run).
"""

from __future__ import annotations

import html
import random
import zoneinfo
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from humas_portal.core.audit import audit_record
from humas_portal.core.management import demo_content as organisation
from humas_portal.core.models import AuditEntry, User, WorkUnit
from humas_portal.core.workflow import ReviewAction, ReviewStatus

from . import demo_content as content
from .models import Category, NewsItem, NewsRevision, Tag

PUBLISHED_ITEMS = 43
# Items still in the desk, by the two demo contributors and the office.
DESK_ITEMS = (
    (ReviewStatus.SUBMITTED, "KUA351401", "kontributor"),
    (ReviewStatus.SUBMITTED, "MAN351401", "kontributor_madrasah"),
    (ReviewStatus.SUBMITTED, "KUA351401", "kontributor"),
    (ReviewStatus.RETURNED, "MAN351401", "kontributor_madrasah"),
    (ReviewStatus.DRAFT, "KUA351401", "kontributor"),
    (ReviewStatus.DRAFT, "MAN351401", "kontributor_madrasah"),
    (ReviewStatus.APPROVED, "KK3514", "admin_humas"),  # scheduled for tomorrow morning
)


def seed_demo(stdout) -> None:
    units = {u.code: u for u in WorkUnit.objects.filter(code__in=[spec.code for spec in organisation.UNITS])}
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[spec.username for spec in organisation.USERS])
    }
    if len(units) < len(organisation.UNITS) or len(users) < len(organisation.USERS):
        stdout.write(_("Demo berita dilewati: unit atau pengguna demo belum ada."))
        return
    with transaction.atomic():
        categories, tags = seed_taxonomy()
        created = seed_news(units, users, categories, tags)
    stdout.write(_("Demo berita: %(news)s berita baru.") % {"news": created})


def seed_taxonomy():
    categories = {}
    for name, slug, description in content.CATEGORIES:
        categories[slug], _created = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    tags = {}
    for name in content.TAGS:
        tags[name], _created = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return categories, tags


def _fits(topic: content.Topic, unit: organisation.DemoUnit) -> bool:
    if topic.only_units:
        return unit.code in topic.only_units
    return unit.kind in topic.kinds and unit.code not in topic.skip_units


def _local_day(moment: datetime) -> str:
    return f"{content.WEEKDAYS[moment.weekday()]} ({moment.day} {content.MONTHS[moment.month - 1]} {moment.year})"


class NewsWriter:
    """Composes distinct items from the topic sentence pools. A fixed seed
    gives the same titles (and so the same slugs) on every run."""

    def __init__(self):
        self.rng = random.Random(2024)  # noqa: S311 - demo text, not security
        self.rounds: dict[tuple[str, str], int] = {}
        self.slugs: set[str] = set()

    def _fresh_title(self, topic: content.Topic, unit: organisation.DemoUnit, values: dict) -> str:
        key = (topic.titles[0], unit.code)
        start = self.rounds.get(key, 0)
        for offset in range(len(topic.titles)):
            title = topic.titles[(start + offset) % len(topic.titles)].format(**values)
            if slugify(title)[:200] not in self.slugs:
                self.rounds[key] = start + offset + 1
                return title
        return ""

    def write(
        self, topics: list[content.Topic], unit: organisation.DemoUnit, event_day: datetime
    ) -> tuple[dict, content.Topic]:
        """An item on the first of ``topics`` that still has a title this
        unit has not used; numbered when all are used."""
        rng = self.rng
        values = {
            "unit": unit.name,
            "short": unit.short_name,
            "place": unit.place,
            "head": unit.head,
            "name": unit.head_name,
            "day": _local_day(event_day),
        }
        topic, title = topics[0], ""
        for candidate_topic in topics:
            values["n"] = rng.randint(*candidate_topic.participants)
            title = self._fresh_title(candidate_topic, unit, values)
            if title:
                topic = candidate_topic
                break
        if not title:
            key = (topic.titles[0], unit.code)
            self.rounds[key] = self.rounds.get(key, 0) + 1
            title = f"{topic.titles[0].format(**values)} ({self.rounds[key]})"
        slug = slugify(title)[:200]
        self.slugs.add(slug)
        lead = rng.choice(topic.leads).format(**values)
        # The lead is shown above the body, so the body goes on from it.
        details = rng.sample(topic.details, k=min(len(topic.details), 3))
        paragraphs = [*details, rng.choice(topic.quotes)]
        if topic.closings:
            paragraphs.append(rng.choice(topic.closings))
        body = "\n".join(f"<p>{html.escape(p.format(**values))}</p>" for p in paragraphs)
        return {
            "title": title,
            "slug": slug,
            "lead": lead,
            "body": body,
            "dateline": unit.place,
            "reporter": rng.choice(content.REPORTERS),
            "editor_credit": rng.choice(content.EDITORS),
            "priority_program": topic.program,
            "event_date": event_day.date(),
        }, topic


def _plan(now: datetime):
    """(status, unit spec, author username, topics to choose from, local event time) for each
    item: published ones spread over the last six weeks at office hours, the
    desk items from the last two days."""
    rng = random.Random(7)  # noqa: S311 - demo schedule, not security
    specs = {spec.code: spec for spec in organisation.UNITS}
    plan = []
    for index in range(PUBLISHED_ITEMS):
        topic = content.TOPICS[index % len(content.TOPICS)]
        candidates = [spec for spec in organisation.UNITS if _fits(topic, spec)]
        # Shift by the round too, or a topic with three candidate units
        # would land on the same one every round (fifteen topics).
        unit = candidates[(index + index // len(content.TOPICS)) % len(candidates)]
        day = now.astimezone(_zone(unit)).date() - timedelta(days=index * 41 // PUBLISHED_ITEMS)
        moment = datetime.combine(day, time(rng.randint(7, 15), rng.randint(0, 59)), _zone(unit))
        if moment > now:
            moment -= timedelta(days=1)
        plan.append((ReviewStatus.PUBLISHED, unit, None, [topic], moment))
    for index, (status, code, author) in enumerate(DESK_ITEMS):
        unit = specs[code]
        topics = [topic for topic in content.TOPICS if _fits(topic, unit)]
        shift = index % len(topics)
        moment = now.astimezone(_zone(unit)) - timedelta(hours=3 + index * 5)
        plan.append((status, unit, author, topics[shift:] + topics[:shift], moment))
    return plan


def _zone(unit: organisation.DemoUnit) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(unit.timezone)


def seed_news(units, users, categories, tags) -> int:
    """Create the demo news items that do not exist yet; returns how many."""
    now = timezone.now()
    writer = NewsWriter()
    verifier_of = {"KK3514": users["verifikator"], "KK5171": users["verifikator_denpasar"]}
    contributor_of = {"KUA351401": users["kontributor"], "MAN351401": users["kontributor_madrasah"]}
    existing = set(NewsItem.objects.values_list("slug", flat=True))
    created = 0
    for status, spec, author_name, topics, moment in _plan(now):
        fields, topic = writer.write(topics, spec, moment)
        if fields["slug"] in existing:
            continue
        unit = units[spec.code]
        office = unit.office()
        author = users[author_name] if author_name else contributor_of.get(spec.code, users["admin_humas"])
        verifier = verifier_of.get(office.code, users["admin_humas"])
        item = NewsItem.objects.create(
            **fields,
            unit=unit,
            category=categories[topic.category],
            author=author,
            status=status,
        )
        item.tags.set([tags[name] for name in topic.tags])
        NewsRevision.objects.create(
            item=item, number=1, title=item.title, lead=item.lead, body=item.body, created_by=author
        )
        _record_history(item, status, author, verifier, moment)
        created += 1
    return created


def _record_history(item, status, author, verifier, moment) -> None:
    """Set the workflow timestamps and write the audit rows the real
    workflow would have written, back-dated to the item's story."""
    submitted = moment - timedelta(hours=2)
    steps = []  # (action, actor, from, to, note, when)
    changes = {}
    if status != ReviewStatus.DRAFT:
        changes["submitted_at"] = submitted
        steps.append((ReviewAction.SUBMIT, author, ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, "", submitted))
    if status == ReviewStatus.RETURNED:
        note = _("Mohon lengkapi nama narasumber dan tambahkan foto kegiatan.")
        changes.update(decided_at=moment, decided_by=verifier, review_note=note)
        steps.append((ReviewAction.RETURN, verifier, ReviewStatus.SUBMITTED, status, note, moment))
    if status in (ReviewStatus.APPROVED, ReviewStatus.PUBLISHED):
        approved = moment - timedelta(minutes=30)
        changes.update(decided_at=approved, decided_by=verifier)
        steps.append(
            (ReviewAction.APPROVE, verifier, ReviewStatus.SUBMITTED, ReviewStatus.APPROVED, "", approved)
        )
    if status == ReviewStatus.APPROVED:
        # Scheduled for tomorrow 08:00 in the unit's zone: beat publishes it.
        tomorrow = timezone.now().astimezone(moment.tzinfo).date() + timedelta(days=1)
        changes["publish_at"] = datetime.combine(tomorrow, time(8, 0), moment.tzinfo)
    if status == ReviewStatus.PUBLISHED:
        changes["published_at"] = moment
        steps.append((ReviewAction.PUBLISH, None, ReviewStatus.APPROVED, ReviewStatus.PUBLISHED, "", moment))
    NewsItem.objects.filter(pk=item.pk).update(**changes)
    for action, actor, from_state, to_state, note, when in steps:
        entry = audit_record(
            actor=actor, action=action, obj=item, from_state=from_state, to_state=to_state, note=note
        )
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)
