"""Who is told when a petition changes hands, and what they read (called by `voters.services`).

Each function writes one notification per person of the agencies that must act next, in the calling
service's transaction (see `coordination.reminders.handoff_notify`). The texts say what is expected and
by when, with the petition's reference and the start of its content, never the voter's name, address
or phone (the recipients may not be allowed to see them).
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coordination.permissions import agency_of
from coordination.reminders import handoff_notify

LISTED_REFERENCES = 5  # a bulk notification names the first few petitions, then links to all of them


def _url(petition):
    return reverse("voters:detail", args=[petition.pk])


def _date(day):
    return day.strftime("%d/%m/%Y")


def _excerpt(text, limit=90):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _about(petition):
    # Without its closing full stop: the texts go on after it ("… nặng. Lý do: …" would read "nặng.. Lý do").
    return f"{petition.reference} · {_excerpt(petition.content).rstrip('.')}"


def _actor_ids(actor):
    return [actor.pk] if getattr(actor, "pk", None) else []


def forwarding_offices(petition, forwarding):
    """The offices waiting on the lead agency: the one that received the petition and, when another
    office (the council's standing committee) sent it on, that one too."""
    offices = [petition.originating_agency_id]
    sender = agency_of(forwarding.forwarded_by) if forwarding.forwarded_by_id else None
    if sender is not None and sender.pk not in offices:
        offices.append(sender.pk)
    return offices


def notify_forwarded(*, actor, petition, forwarding, supporting):
    """A petition forwarded (or forwarded again): the lead agency answers, the supporting ones help."""
    lead, due = forwarding.agency, _date(forwarding.due_date)
    handoff_notify(
        agency_ids=[lead.pk],
        item_kind="petition",
        item_key=f"forwarding:{forwarding.pk}",
        kind="handoff_forward",
        url=_url(petition),
        due_date=forwarding.due_date,
        exclude_user_ids=_actor_ids(actor),
        title=lambda: (
            _("Forwarded to %(agency)s: answer by %(due)s — %(about)s")
            % {"agency": lead.name, "due": due, "about": _about(petition)}
        ),
    )
    if supporting:
        handoff_notify(
            agency_ids=[agency.pk for agency in supporting],
            item_kind="petition",
            item_key=f"forwarding:{forwarding.pk}",
            kind="handoff_support",
            url=_url(petition),
            due_date=forwarding.due_date,
            exclude_user_ids=_actor_ids(actor),
            title=lambda: (
                _("Support %(agency)s in answering by %(due)s — %(about)s")
                % {"agency": lead.name, "due": due, "about": _about(petition)}
            ),
        )


def bulk_url(batch_key):
    return f"{reverse('voters:list')}?{urlencode({'batch': str(batch_key)})}"


def notify_bulk_forwarded(*, actor, batch_key, forwardings, supporting):
    """Many petitions forwarded to one agency under one dispatch: one notification per person, naming the
    first few and linking to the list of all of them."""
    if not forwardings:
        return
    lead = forwardings[0].agency
    due_date = min(forwarding.due_date for forwarding in forwardings)
    count = len(forwardings)
    references = ", ".join(forwarding.petition.reference for forwarding in forwardings[:LISTED_REFERENCES])
    if count > LISTED_REFERENCES:
        references += f"… (+{count - LISTED_REFERENCES})"

    def lead_title():
        return ngettext(
            "%(count)s petition forwarded to %(agency)s: answer by %(due)s — %(references)s",
            "%(count)s petitions forwarded to %(agency)s: answer by %(due)s — %(references)s",
            count,
        ) % {"count": count, "agency": lead.name, "due": _date(due_date), "references": references}

    def support_title():
        return ngettext(
            "%(count)s petition: support %(agency)s in answering by %(due)s — %(references)s",
            "%(count)s petitions: support %(agency)s in answering by %(due)s — %(references)s",
            count,
        ) % {"count": count, "agency": lead.name, "due": _date(due_date), "references": references}

    common = {
        "item_kind": "petitions",
        "item_key": f"forward-batch:{batch_key}",
        "url": bulk_url(batch_key),
        "due_date": due_date,
        "exclude_user_ids": _actor_ids(actor),
    }
    handoff_notify(agency_ids=[lead.pk], kind="handoff_forward", title=lead_title, **common)
    if supporting:
        handoff_notify(
            agency_ids=[agency.pk for agency in supporting if agency.pk != lead.pk],
            kind="handoff_support",
            title=support_title,
            **common,
        )


def notify_returned(*, actor, petition, forwarding):
    """Returned as not within the lead agency's authority: the forwarding office sends it on again."""
    agency = forwarding.agency
    handoff_notify(
        agency_ids=forwarding_offices(petition, forwarding),
        item_kind="petition",
        item_key=f"return:{forwarding.pk}",
        kind="handoff_return",
        url=_url(petition),
        due_date=None,
        exclude_user_ids=_actor_ids(actor),
        title=lambda: (
            _(
                "Returned by %(agency)s as not within its authority: forward it to the competent agency — %(about)s. "
                "Reason: %(reason)s"
            )
            % {
                "agency": agency.name,
                "about": _about(petition),
                "reason": _excerpt(forwarding.return_reason, 160),
            }
        ),
    )


def notify_answered(*, actor, petition, answer, forwarding):
    """The lead agency answered: the office that forwarded the petition evaluates the answer or closes it."""
    agency = answer.agency
    handoff_notify(
        agency_ids=forwarding_offices(petition, forwarding),
        item_kind="petition",
        item_key=f"answer:{answer.pk}",
        kind="handoff_answer",
        url=_url(petition),
        due_date=None,
        exclude_user_ids=_actor_ids(actor),
        title=lambda: (
            (
                _("Re-answered by %(agency)s (%(outcome)s): evaluate the answer or close the petition — %(about)s")
                if answer.is_reanswer
                else _("Answered by %(agency)s (%(outcome)s): evaluate the answer or close the petition — %(about)s")
            )
            % {
                "agency": agency.name,
                "outcome": answer.get_outcome_display(),
                "about": _about(petition),
            }
        ),
    )


def notify_evaluated(*, actor, petition, evaluation):
    """The answer was judged: the answering agency learns the result; when unsatisfactory, it must answer
    again by the new due date, and reads why."""
    if evaluation.answer is None:
        return
    judge = evaluation.agency.name
    if evaluation.reanswer_due_date is not None:
        kind = "handoff_reanswer"

        def title():
            return _(
                "Answer judged unsatisfactory by %(agency)s: answer again by %(due)s — %(about)s. Reason: %(reason)s"
            ) % {
                "agency": judge,
                "due": _date(evaluation.reanswer_due_date),
                "about": _about(petition),
                "reason": _excerpt(evaluation.comment, 160),
            }

    else:
        kind = "handoff_satisfied"

        def title():
            return _("Answer judged satisfactory by %(agency)s; the petition is closed — %(about)s") % {
                "agency": judge,
                "about": _about(petition),
            }

    handoff_notify(
        agency_ids=[evaluation.answer.agency_id],
        item_kind="petition",
        item_key=f"evaluation:{evaluation.pk}",
        kind=kind,
        url=_url(petition),
        due_date=evaluation.reanswer_due_date,
        exclude_user_ids=_actor_ids(actor),
        title=title,
    )
