"""Social-media demo data: a few accounts of the demo units and posts at
every stage, so the list, the post pages and the calendar have something
to show.

Called by ``manage.py seed_demo`` after the core demo data exists. The
accounts carry obviously fake tokens and are marked "needs reconnection",
so nothing is ever sent to a real platform until an Admin Humas saves a
real token. Running it again adds nothing twice: accounts by (unit,
platform, id), posts only when the demo units have none yet.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from humas_portal.core.audit import audit_record
from humas_portal.core.models import AuditEntry, User, WorkUnit
from humas_portal.core.workflow import ReviewAction, ReviewStatus

from .models import AccountStatus, Delivery, DeliveryState, Platform, SocialAccount, SocialPost

DEMO_TOKEN = "demo-token-tidak-berlaku"  # noqa: S105 - a visible placeholder, not a secret
ACCOUNTS = (
    ("KUA351401", Platform.FACEBOOK, "100000000000001", "KUA Kecamatan Bangil (demo)", "kuabangil"),
    ("KUA351401", Platform.INSTAGRAM, "17841400000000001", "kuabangil (demo)", "kuabangil"),
    ("MAN351401", Platform.X, "1000000000000000001", "MAN 1 Pasuruan (demo)", "man1pasuruan"),
    ("MAN351401", Platform.YOUTUBE, "UCdemo000000000000000001", "MAN 1 Pasuruan TV (demo)", "man1pasuruan"),
)
# (unit, author, status, days from today, local hour, text, platforms, delivery state)
POSTS = (
    (
        "KUA351401",
        "kontributor",
        ReviewStatus.PUBLISHED,
        -6,
        9,
        "Bimbingan perkawinan angkatan III di KUA Bangil diikuti 40 pasangan calon pengantin. "
        "#BimwinKemenag #KUABangil",
        (Platform.FACEBOOK, Platform.INSTAGRAM),
        DeliveryState.PUBLISHED,
    ),
    (
        "MAN351401",
        "kontributor_madrasah",
        ReviewStatus.APPROVED,
        -2,
        13,
        "Siswa MAN 1 Pasuruan meraih medali emas KSM tingkat provinsi. Selamat! #MadrasahHebat",
        (Platform.X,),
        DeliveryState.FAILED,
    ),
    (
        "KUA351401",
        "kontributor",
        ReviewStatus.APPROVED,
        1,
        8,
        "Besok pagi: manasik haji tingkat kecamatan di aula KUA Bangil, terbuka untuk calon jemaah 2026.",
        (Platform.FACEBOOK,),
        # Its account needs a real token: the delivery waits as failed until
        # the Admin Humas reconnects and sends it again.
        DeliveryState.FAILED,
    ),
    (
        "KUA351401",
        "kontributor",
        ReviewStatus.SUBMITTED,
        2,
        10,
        "Penyuluh agama KUA Bangil membina majelis taklim di Desa Kalirejo tentang moderasi beragama.",
        (Platform.FACEBOOK, Platform.INSTAGRAM),
        None,
    ),
    (
        "MAN351401",
        "kontributor_madrasah",
        ReviewStatus.RETURNED,
        3,
        15,
        "Pentas seni akhir semester MAN 1 Pasuruan.",
        (Platform.X,),
        None,
    ),
    (
        "KUA351401",
        "kontributor",
        ReviewStatus.DRAFT,
        4,
        9,
        "Layanan isbat nikah terpadu bersama Pengadilan Agama Bangil.",
        (Platform.FACEBOOK,),
        None,
    ),
)


def seed_demo(stdout) -> None:
    units = {u.code: u for u in WorkUnit.objects.filter(code__in={a[0] for a in ACCOUNTS})}
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["kontributor", "kontributor_madrasah", "verifikator"])
    }
    if len(units) < 2 or "verifikator" not in users:
        stdout.write(_("Demo media sosial dilewati: unit atau pengguna demo belum ada."))
        return
    accounts = _seed_accounts(units)
    created = 0
    if not SocialPost.objects.filter(unit__in=units.values()).exists():
        created = _seed_posts(units, users, accounts)
    stdout.write(
        _(
            "Demo media sosial: %(accounts)s akun (token contoh, perlu dihubungkan ulang), %(posts)s kiriman baru."
        )
        % {"accounts": len(accounts), "posts": created}
    )


def _seed_accounts(units) -> dict[tuple[str, str], SocialAccount]:
    accounts = {}
    for code, platform, account_id, name, handle in ACCOUNTS:
        account, _created = SocialAccount.objects.get_or_create(
            unit=units[code],
            platform=platform,
            account_id=account_id,
            defaults={
                "display_name": name,
                "handle": handle,
                "access_token": DEMO_TOKEN,
                "status": AccountStatus.NEEDS_RECONNECTION,
                "status_changed_at": timezone.now(),
                "last_error": _("Akun demo dengan token contoh. Simpan token asli lalu uji koneksi."),
            },
        )
        accounts[(code, platform)] = account
    return accounts


def _seed_posts(units, users, accounts) -> int:
    now = timezone.now()
    verifier = users["verifikator"]
    for code, author_name, status, days, hour, text, platforms, delivery_state in POSTS:
        unit = units[code]
        author = users.get(author_name, verifier)
        local_day = now.astimezone(unit.tzinfo).date() + timedelta(days=days)
        when = datetime.combine(local_day, time(hour, 0), unit.tzinfo)
        post = SocialPost.objects.create(
            unit=unit,
            author=author,
            text=text,
            scheduled_at=when,
            status=status,
            submitted_at=when - timedelta(days=1) if status != ReviewStatus.DRAFT else None,
        )
        targets = [accounts[(code, p)] for p in platforms]
        post.accounts.set(targets)
        _history(post, status, author, verifier, when)
        if delivery_state is None:
            continue
        for account in targets:
            delivery = Delivery.objects.create(
                post=post,
                account=account,
                state=delivery_state,
                scheduled_at=when,
                next_attempt_at=when,
                attempts=0 if delivery_state == DeliveryState.SCHEDULED else 1,
                published_at=when if delivery_state == DeliveryState.PUBLISHED else None,
                last_error=_("Contoh: %(platform)s menolak token akses (token demo).")
                % {"platform": account.get_platform_display()}
                if delivery_state == DeliveryState.FAILED
                else "",
            )
            entry = audit_record(
                actor=None,
                action=f"delivery_{delivery_state}",
                obj=delivery,
                from_state=DeliveryState.SCHEDULED if delivery_state != DeliveryState.SCHEDULED else "",
                to_state=delivery_state,
                note=_("Data demo"),
                unit=unit,
            )
            AuditEntry.objects.filter(pk=entry.pk).update(created_at=min(when, now))
    return len(POSTS)


def _history(post, status, author, verifier, when) -> None:
    """The audit rows the real workflow would have written, back-dated."""
    steps = []
    if status != ReviewStatus.DRAFT:
        steps.append((ReviewAction.SUBMIT, author, ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ""))
    if status == ReviewStatus.RETURNED:
        note = _("Lengkapi dengan foto kegiatan dan nama narasumber.")
        SocialPost.objects.filter(pk=post.pk).update(decided_by=verifier, decided_at=when, review_note=note)
        steps.append((ReviewAction.RETURN, verifier, ReviewStatus.SUBMITTED, status, note))
    if status in (ReviewStatus.APPROVED, ReviewStatus.PUBLISHED):
        SocialPost.objects.filter(pk=post.pk).update(
            decided_by=verifier, decided_at=when - timedelta(hours=2)
        )
        steps.append((ReviewAction.APPROVE, verifier, ReviewStatus.SUBMITTED, ReviewStatus.APPROVED, ""))
    if status == ReviewStatus.PUBLISHED:
        steps.append((ReviewAction.PUBLISH, None, ReviewStatus.APPROVED, ReviewStatus.PUBLISHED, ""))
    moment = min(when, timezone.now()) - timedelta(hours=len(steps))
    for action, actor, from_state, to_state, note in steps:
        entry = audit_record(
            actor=actor, action=action, obj=post, from_state=from_state, to_state=to_state, note=note
        )
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=moment)
        moment += timedelta(hours=1)
