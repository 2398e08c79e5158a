"""Publication of a run's groups: what is wrong is shown first and must be confirmed; each peer
is then told, in the app and by email in their language, with their group, why they are
together and the first step."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn import mail
from peerlearn.users.models import User

from .. import selectors
from ..models import MatchingRun, PublicationNotice
from .errors import MatchingError


@transaction.atomic
def publish_run(
    *, run: MatchingRun, published_by: User | None, confirmed: bool = False
) -> MatchingRun:
    """Publish the run's groups. When the groups break a rule (a size out of bounds, an
    organisation twice, no common language, ...) or a peer who completed intake has no group,
    publication needs ``confirmed``. Each member gets a notice, and an email once the
    transaction commits."""
    run = (
        MatchingRun.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=run.pk)
    )
    if run.status != MatchingRun.Status.DONE:
        raise MatchingError(_("Only a finished run can be published."))
    if run.is_published:
        raise MatchingError(_("This run is already published."))
    other = selectors.published_run(run.cohort)
    if other is not None:
        raise MatchingError(
            _(
                "Groups are already published for this cohort (%(run)s). Move peers within the "
                "published groups instead."
            )
            % {"run": other.name}
        )
    check = selectors.publication_check(run)
    if (check.violations or check.unplaced) and not confirmed:
        raise MatchingError(
            _(
                "These groups break rules of the run or leave peers out (see the list). Tick "
                "the confirmation to publish them anyway."
            ),
            field="confirm",
        )
    run.published_at = timezone.now()
    run.published_by = published_by
    run.save(update_fields=["published_at", "published_by"])
    PublicationNotice.objects.bulk_create(
        [
            PublicationNotice(run=run, group_id=group_id, user_id=user_id)
            for user_id, group_id in run.members.values_list("user_id", "group_id")
        ],
        ignore_conflicts=True,
    )
    run_id = run.pk
    transaction.on_commit(lambda: send_publication_emails(run_id=run_id))
    return run


def send_publication_emails(*, run_id: int) -> int:
    """Email each member of a published run their group (once: a notice already emailed is
    skipped, so the job can run again). Returns how many were sent."""
    run = MatchingRun.objects.select_related("cohort__programme").filter(pk=run_id).first()
    if run is None or not run.is_published:
        return 0
    programme = run.cohort.programme
    url = mail.absolute_url(reverse("matching:my_group", kwargs={"pk": programme.pk}))
    sent = 0
    pending = selectors.notices_of(run).filter(emailed_at__isnull=True).order_by("pk")
    for notice in pending.iterator(chunk_size=200):
        with transaction.atomic():
            claimed = PublicationNotice.objects.filter(
                pk=notice.pk, emailed_at__isnull=True
            ).update(emailed_at=timezone.now())
            if not claimed:
                continue
            members = [m.user for m in notice.group.members.select_related("user")]
            mail.send_email(
                to=notice.user,
                subject=gettext_lazy("Your peer learning group in %(programme)s"),
                subject_params={"programme": programme.name},
                template="matching/email/group_published",
                context={
                    "user": notice.user,
                    "programme": programme,
                    "group": notice.group,
                    "members": [m for m in members if m.pk != notice.user_id],
                    "url": url,
                },
            )
        sent += 1
    return sent


@transaction.atomic
def open_notice(*, user: User, run: MatchingRun) -> None:
    """The peer has seen their group's notice (recorded once)."""
    PublicationNotice.objects.filter(run=run, user=user, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
