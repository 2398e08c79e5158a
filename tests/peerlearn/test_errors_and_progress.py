"""The kernel's one service error, shown on pages and in the API, and the peer-step registry."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.test import RequestFactory

from peerlearn import progress
from peerlearn.errors import ServiceError, api_exception_handler, service_errors


class NameForm(forms.Form):
    name = forms.CharField()


def test_an_error_naming_a_field_of_the_form_goes_to_that_field() -> None:
    form = NameForm({"name": "Cohort A"})
    assert form.is_valid()
    with service_errors(form) as outcome:
        raise ServiceError("There is already a cohort called Cohort A.", field="name")
    assert form.errors == {"name": ["There is already a cohort called Cohort A."]}
    assert isinstance(outcome.error, ServiceError)


def test_an_error_naming_no_field_of_the_form_goes_to_the_whole_form() -> None:
    form = NameForm({"name": "Cohort A"})
    assert form.is_valid()
    with service_errors(form, suffix="Nothing was saved."):
        raise ServiceError("Not now.", field="not_in_the_form")
    assert form.non_field_errors() == ["Not now. Nothing was saved."]


def test_with_a_request_the_error_becomes_a_message() -> None:
    request = RequestFactory().post("/")
    request.session = SessionBase()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    with service_errors(request):
        raise ServiceError("This contract is already countersigned.")
    assert [str(m) for m in get_messages(request)] == ["This contract is already countersigned."]


def test_with_no_target_the_error_is_only_kept_and_the_block_stops() -> None:
    reached = []
    with service_errors() as outcome:
        raise ServiceError("This survey is closed.")
        reached.append(True)  # pragma: no cover
    assert reached == []
    assert outcome.error is not None and outcome.error.message == "This survey is closed."
    with service_errors() as fine:
        reached.append(True)
    assert reached == [True] and fine.error is None


def test_other_exceptions_pass_through() -> None:
    with pytest.raises(ValueError), service_errors():
        raise ValueError("a bug, not a refusal")


def test_the_api_answers_400_with_the_message_under_its_field() -> None:
    response = api_exception_handler(ServiceError("Not a peer.", field="membership"), {})
    assert response is not None and response.status_code == 400
    assert response.data == {"membership": ["Not a peer."]}
    plain = api_exception_handler(ServiceError("Closed."), {})
    assert plain is not None and plain.data == {"detail": "Closed."}


def test_a_step_nobody_registered_is_taken_by_nobody() -> None:
    assert progress.people_at_step("a-step-no-app-records", object()) == set()


def test_a_registered_step_answers_from_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "_SOURCES", {})
    progress.register_step("visited", lambda programme: [programme * 10, programme * 10 + 1])
    assert progress.people_at_step("visited", 4) == {40, 41}
