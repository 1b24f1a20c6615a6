"""Employers back a programme (providers.services.programme_backing_set / _withdraw)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from providers.models import Programme, ProgrammeBacking, ProgrammeBackingEvent
from providers.services import LetterOfIntent, programme_backing_set, programme_backing_withdraw
from tests.factories import add_member, admin_of, make_programme

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def _letter(**overrides) -> LetterOfIntent:
    values = {"signatory": "Åsa Öberg", "role": "Verksamhetschef", "signed_on": TODAY,
              "text": "Vi tar emot studerande för LIA och avser att rekrytera."}
    values.update(overrides)
    return LetterOfIntent(**values)


def _back(employer, programme, actor=None, **kwargs):
    return programme_backing_set(actor=actor or admin_of(employer), programme=programme, employer=employer,
                                 today=TODAY, **kwargs)


def _nothing_written():
    return not ProgrammeBacking.objects.exists() and not ProgrammeBackingEvent.objects.exists()


def test_an_employer_member_offers_lia_places_and_signs_a_letter(employer_a, provider_a):
    programme = make_programme(provider_a)
    backing = _back(employer_a, programme, actor=add_member(employer_a), lia_places=4, letter=_letter())
    assert (backing.lia_places, backing.letter_of_intent, backing.letter_signatory) == (4, True, "Åsa Öberg")
    event = ProgrammeBackingEvent.objects.get()
    assert event.type == "backed" and event.data["state"]["lia_places"] == 4


def test_changing_a_backing_records_what_changed_and_an_unchanged_one_records_nothing(employer_a, provider_a):
    programme = make_programme(provider_a)
    _back(employer_a, programme, lia_places=4)
    _back(employer_a, programme, lia_places=6)
    _back(employer_a, programme, lia_places=6)
    changed = ProgrammeBackingEvent.objects.filter(type="changed")
    assert [event.data["changes"]["lia_places"] for event in changed] == [[4, 6]]
    assert ProgrammeBacking.objects.get().lia_places == 6


def test_a_withdrawn_backing_stays_with_its_history_and_can_be_stated_again(employer_a, provider_a):
    programme = make_programme(provider_a)
    backing = _back(employer_a, programme, lia_places=2)
    programme_backing_withdraw(actor=admin_of(employer_a), backing=backing)
    backing.refresh_from_db()
    assert backing.withdrawn_at is not None and not backing.active
    with pytest.raises(ValidationError, match="already withdrawn"):
        programme_backing_withdraw(actor=admin_of(employer_a), backing=backing)
    again = _back(employer_a, programme, lia_places=2)
    assert again.pk == backing.pk and again.active
    assert list(ProgrammeBackingEvent.objects.order_by("id").values_list("type", flat=True)) == [
        "backed", "withdrawn", "backed"]


def test_negative_lia_places_are_refused_and_nothing_is_written(employer_a, provider_a):
    with pytest.raises(ValidationError) as error:
        _back(employer_a, make_programme(provider_a), lia_places=-1)
    assert "0 or more" in str(error.value.message_dict["lia_places"])
    assert _nothing_written()


def test_a_letter_without_a_statement_is_refused_on_the_statement(employer_a, provider_a):
    with pytest.raises(ValidationError) as error:
        _back(employer_a, make_programme(provider_a), letter=_letter(text="   "))
    assert list(error.value.message_dict) == ["letter_text"]
    assert _nothing_written()


def test_a_letter_signed_in_the_future_or_without_signatory_is_refused(employer_a, provider_a):
    programme = make_programme(provider_a)
    with pytest.raises(ValidationError) as error:
        _back(employer_a, programme, letter=_letter(signed_on=TODAY + dt.timedelta(days=1), signatory=""))
    assert set(error.value.message_dict) == {"letter_signed_on", "letter_signatory"}
    assert _nothing_written()


def test_control_characters_in_a_letter_are_refused(employer_a, provider_a):
    with pytest.raises(ValidationError) as error:
        _back(employer_a, make_programme(provider_a), letter=_letter(role="Chef\x07", text="Rad ett\nRad två\x00"))
    assert "U+0007" in str(error.value.message_dict["letter_role"])
    assert "U+0000" in str(error.value.message_dict["letter_text"])
    assert _nothing_written()


def test_backing_nothing_is_refused(employer_a, provider_a):
    with pytest.raises(ValidationError, match="at least one"):
        _back(employer_a, make_programme(provider_a))
    assert _nothing_written()


@pytest.mark.parametrize("status", ["granted", "running", "rejected", "withdrawn", "ended"])
def test_only_planned_or_applied_for_programmes_are_backed(employer_a, provider_a, status):
    programme = make_programme(provider_a)
    Programme.objects.filter(pk=programme.pk).update(status=status)
    with pytest.raises(ValidationError, match="planned or applied for"):
        _back(employer_a, programme, lia_places=3)
    assert _nothing_written()


def test_an_applied_for_programme_is_backed(employer_a, provider_a):
    programme = make_programme(provider_a)
    Programme.objects.filter(pk=programme.pk).update(status="applied")
    assert _back(employer_a, programme, lia_places=3).active


def test_a_non_member_cannot_back_on_an_employers_behalf(employer_a, employer_b, provider_a):
    programme = make_programme(provider_a)
    for actor in (admin_of(employer_b), admin_of(provider_a)):
        with pytest.raises(PermissionDenied):
            _back(employer_a, programme, actor=actor, lia_places=3)
    assert _nothing_written()


def test_a_provider_cannot_back_a_programme_as_if_it_were_an_employer(provider_a, provider_b):
    with pytest.raises(PermissionDenied):
        _back(provider_b, make_programme(provider_a), lia_places=3)
    assert _nothing_written()


def test_another_employer_cannot_withdraw_a_backing(employer_a, employer_b, provider_a):
    backing = _back(employer_a, make_programme(provider_a), lia_places=3)
    with pytest.raises(PermissionDenied):
        programme_backing_withdraw(actor=admin_of(employer_b), backing=backing)
    assert ProgrammeBacking.objects.get().active


def test_asking_to_be_contacted_emails_the_providers_members_once(employer_a, provider_a,
                                                                   django_capture_on_commit_callbacks):
    programme = make_programme(provider_a, name="Specialistundersköterska")
    colleague = add_member(provider_a)
    actor = add_member(employer_a)
    with django_capture_on_commit_callbacks(execute=True):
        _back(employer_a, programme, actor=actor, contact_requested=True, link="https://example.se/utb/1/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {admin_of(provider_a).email, colleague.email}
    assert "Arbetsgivare A" in message.subject and "Specialistundersköterska" in message.subject
    assert actor.email in message.body and "https://example.se/utb/1/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        _back(employer_a, programme, actor=actor, contact_requested=True, lia_places=2)
    assert len(mail.outbox) == 1


def test_a_refused_backing_sends_no_email(employer_a, provider_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _back(employer_a, make_programme(provider_a), contact_requested=True, lia_places=-5)
    assert not mail.outbox
