"""A class whose people sign in with the institution's accounts: who is the instructor, who
may join, and the id an account gets (the provider's sign-in itself: tests/browser)."""
from __future__ import annotations

import pytest

from core.runs import people
from core.runs.people import Accounts, NotAllowed

CLASS = Accounts(instructors=("t@uni.edu",), students=("@uni.edu", "guest@else.org"))


def test_instructors_are_the_listed_addresses_and_students_follow_the_rule():
    teacher = people.from_account({"iss": "https://id.uni.edu", "sub": "t1",
                                   "email": "T@Uni.edu", "name": "Ms  T"}, CLASS)
    assert teacher.instructor and teacher.name == "Ms T"
    ann = people.from_account({"iss": "https://id.uni.edu", "sub": "a1",
                               "email": "ann@uni.edu"}, CLASS)
    assert not ann.instructor and ann.name == "ann"
    assert people.from_account({"sub": "g", "email": "guest@else.org"}, CLASS)
    with pytest.raises(NotAllowed, match="eve@evil.uni.edu.example is not in this class"):
        people.from_account({"sub": "e", "email": "eve@evil.uni.edu.example"}, CLASS)
    with pytest.raises(NotAllowed, match="no e-mail address"):
        people.from_account({"sub": "x"}, CLASS)
    with pytest.raises(NotAllowed, match="not verified"):
        people.from_account({"sub": "y", "email": "ann@uni.edu", "email_verified": False}, CLASS)


def test_an_accounts_id_is_stable_per_provider_and_subject_and_well_formed():
    one = people.from_account({"iss": "a", "sub": "1", "email": "ann@uni.edu"}, CLASS)
    assert one == people.from_account({"iss": "a", "sub": "1", "email": "ann@uni.edu"}, CLASS)
    assert one.id != people.from_account({"iss": "b", "sub": "1", "email": "ann@uni.edu"},
                                         CLASS).id
    assert people.ID_FORMAT.fullmatch(one.id)


def test_accounts_come_from_the_secrets_file_and_no_key_works_with_them(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('instructor_key = "a-key-long-enough"\n[auth]\nclient_id = "lab"\n'
                       '[seqlab]\ninstructors = ["t@uni.edu"]\nstudents = ["@uni.edu"]\n')
    monkeypatch.setenv(people.SECRETS_ENV, str(secrets))
    assert people.accounts() == Accounts(("t@uni.edu",), ("@uni.edu",)) and people.is_class()
    with pytest.raises(NotAllowed, match="signs people in with their accounts, not with a key"):
        people.sign_in(people.new_person(), "a-key-long-enough")
    monkeypatch.setenv(people.INSTRUCTORS_ENV, "boss@uni.edu, t2@uni.edu")
    assert people.accounts().instructors == ("boss@uni.edu", "t2@uni.edu")
