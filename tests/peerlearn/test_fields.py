"""People fields: a list when there are few people to choose from, email addresses when there are
many; nobody outside the people offered can be chosen either way."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from peerlearn.fields import PEOPLE_IN_A_LIST, PeopleField, PersonField
from peerlearn.users.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class ChooseForm(forms.Form):
    person = PersonField(label="Person", required=False)
    people = PeopleField(label="People", required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("person", "people"):
            field = self.fields[name]
            assert isinstance(field, (PersonField, PeopleField))
            field.choose_from(people)


def _people(count: int) -> Any:
    UserFactory.create_batch(count)
    return User.objects.filter(email__startswith="person").order_by("email")


def test_few_people_are_ticked_in_a_list() -> None:
    people = _people(3)
    chosen = list(people[:2])
    form = ChooseForm({"people": [str(p.pk) for p in chosen]}, people=people)
    assert 'type="checkbox"' in str(form["people"])
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["people"]) == set(chosen)


def test_many_people_are_typed_as_addresses_and_strangers_are_named() -> None:
    people = _people(PEOPLE_IN_A_LIST + 1)
    first, second = people[0], people[1]
    stranger = UserFactory(email="stranger@elsewhere.org")
    everyone_but = people.exclude(pk=stranger.pk)

    form = ChooseForm(people=everyone_but)
    html = str(form["people"])
    assert "<textarea" in html and 'type="checkbox"' not in html

    typed = f"{first.email.upper()}, {second.email}\n{first.email}"
    form = ChooseForm({"people": typed}, people=everyone_but)
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["people"]) == {first, second}

    form = ChooseForm({"people": f"{first.email}\n{stranger.email}"}, people=everyone_but)
    assert not form.is_valid()
    assert "stranger@elsewhere.org" in str(form.errors["people"])
    # what was typed comes back as typed
    assert stranger.email in str(form["people"])


def test_many_people_one_is_typed_as_an_address() -> None:
    people = _people(PEOPLE_IN_A_LIST + 1)
    stranger = UserFactory(email="stranger@elsewhere.org")
    offered = people.exclude(pk=stranger.pk)
    form = ChooseForm({"person": people[5].email.upper()}, people=offered)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == people[5]
    form = ChooseForm({"person": stranger.email}, people=offered)
    assert not form.is_valid()
