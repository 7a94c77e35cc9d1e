"""What each person may do: the instructor, the class's rules and limits, signing in and out,
and who a browser is. (Who someone is, the key and the secrets file: ``runs/identity.py``;
accounts: ``runs/accounts.py``; both names are here too, for the pages and the store.)

A lab with no instructor key is a one-person lab: everyone may do everything (the embedded
default). With a key (``$SEQLAB_INSTRUCTOR_KEY``, or ``instructor_key`` in
``.streamlit/secrets.toml``, at least :data:`MIN_KEY_LENGTH` characters), a run belongs to whoever
started it: only its owner or the instructor may stop, rename, delete or show it, and only the
instructor changes what the whole class shares (the watched words, the limits). The run store
asks these functions before every change, so a page cannot do what they refuse.

Who asks is always passed (``by=``, ``owner=``): ``None`` or anything that is not a
:class:`Person` is refused, never read as the instructor. Runs from the command line and
notebooks pass :data:`OPERATOR`, the instructor, explicitly.

A class can instead sign people in with the institution's accounts (:class:`Accounts`: Streamlit's
OpenID Connect sign-in configured under ``[auth]`` in the secrets file; instructors listed by
e-mail address): a person is then their account (:func:`from_account`), and there is no key.

Without accounts, who a browser is, is decided here too (:func:`identify`): the id in the lab's
cookie, else a new person. A ``?me=`` link is read only when :data:`LINK_ENV` allows it (tests and benches). Signing
in as the instructor, or out, gives the browser a new id (:func:`sign_in`, :func:`sign_out`), so
an id planted in a browser before the key was typed (session fixation) gains nothing.
"""
from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass

from core.runs.accounts import (INSTRUCTORS_ENV, STUDENTS_ENV, Accounts,  # noqa: F401
                                accounts, from_account)
from core.runs.identity import (ID_FORMAT, KEY_ENV, MIN_KEY_LENGTH, OPERATOR,  # noqa: F401
                                SECRETS_ENV, NotAllowed, Person, asking, instructor_key,
                                key_digest, key_problem, lab_secrets, new_person, renamed,
                                secrets_file)

LINK_ENV = "SEQLAB_ALLOW_ME_LINK"  # "1": a browser without the cookie adopts ?me= (tests only)
PER_PERSON = 6  # active or queued runs one student may have at once
PER_CLASS = 120  # active or queued runs the whole class may have at once: 30 students each
# racing the 3 models of a "bags against sequences" race (90), with room for the instructor's


@dataclass(frozen=True)
class Limits:
    """How many runs may be active or queued at once, and how large a run a student may ask
    for (the instructor's own runs are not bounded by size)."""

    per_person: int = PER_PERSON  # a student's own; the instructor has no personal limit
    per_class: int = PER_CLASS  # everyone's together, the instructor's included
    epochs: int = 30  # passes over the data in one run: the pages' own maximum
    units: int = 256  # recurrent units (or filters): a 512-unit LSTM is 4x the work of 256
    characters: int = 10_000_000  # a language model's text: about 2 minutes an epoch at 128
    # units on 2 cores; the curated texts (0.6 and 1.1 million) always fit

    def __post_init__(self):
        for name, top in (("per_person", 1000), ("per_class", 1000), ("epochs", 1000),
                          ("units", 4096), ("characters", 10 ** 9)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= top:
                raise ValueError(f"{name} must be a whole number from 1 to {top:,}, "
                                 f"got {value!r}")


ASKED = {"epochs": "epochs", "units": "units", "characters": "characters of text"}


def is_class() -> bool:
    """Whether the lab runs as a class (accounts or an instructor key are configured)."""
    return accounts() is not None or instructor_key() is not None


def class_problem() -> str | None:
    """Why the configured class cannot run (a key too short; accounts with no instructor),
    or None. The lab refuses to start while there is one."""
    found = accounts()
    if found is not None and not found.instructors:
        return (f"accounts are configured ([auth] in {secrets_file()}) but no instructor is: "
                f"list their e-mail addresses in ${INSTRUCTORS_ENV} or as instructors under "
                "[seqlab] in the secrets file")
    return key_problem()


def sign_in(person: Person, key: str) -> Person:
    """The instructor, under a new id, if ``key`` is the configured one; else
    :class:`NotAllowed`. The id ``person`` had stays a student's: whoever planted it in this
    browser (a link with ``?me=``) gains nothing. The store's ``sign_in`` also limits attempts."""
    if accounts() is not None:
        raise NotAllowed("this lab signs people in with their accounts, not with a key")
    wanted = instructor_key()
    if wanted is None:
        raise NotAllowed("this lab has no instructor key configured: everyone may do everything")
    problem = key_problem()
    if problem:
        raise NotAllowed(problem)
    if not hmac.compare_digest(str(key).strip().encode("utf-8"), wanted.encode("utf-8")):
        raise NotAllowed("that is not the instructor key")
    return Person(secrets.token_urlsafe(16), asking(person).name, instructor=True)


def sign_out(person: Person) -> Person:
    """A student under a new id, keeping the name: the id that was the instructor's is dropped
    (the store forgets its key), so it is worth nothing to whoever sees it later."""
    return Person(secrets.token_urlsafe(16), asking(person).name)


def link_allowed() -> bool:
    """Whether a ``?me=`` link may name a browser's person (``$SEQLAB_ALLOW_ME_LINK=1``: the
    tests and benches that open many people's pages); never in a lab a class uses."""
    return os.environ.get(LINK_ENV, "") == "1"


def identify(store, cookie: object, link: object = None) -> Person:
    """Who this browser is: the person ``cookie`` (the lab's cookie) names if ``store`` knows
    them, else (only when :func:`link_allowed`) the one ``link`` (``?me=``) names, else a new
    person; remembered in ``store``. Anything that is not a well-formed id counts as none."""
    for raw in (cookie, link if link_allowed() else None):
        if isinstance(raw, str) and ID_FORMAT.fullmatch(raw):
            known = store.person(raw)
            if known is not None:
                return known
    person = new_person()
    store.remember(person)
    return person


def owns(person: Person, run: dict) -> bool:
    """Whether ``run`` is ``person``'s own. Runs the instructor started (in a browser signed in
    with the key, or from the command line) are the instructor's, whatever id they were
    started under: only an instructor changes them."""
    person = asking(person)
    owner = run.get("owner") or OPERATOR.id  # runs from before people existed: the operator's
    if run.get("by_instructor") or owner == OPERATOR.id:
        return person.instructor
    return owner == person.id


def may_change(person: Person, run: dict) -> bool:
    """Whether ``person`` may stop, rename, delete or show ``run``."""
    person = asking(person)
    return not is_class() or person.instructor or owns(person, run)


def check_may_change(person: Person, run: dict, action: str) -> None:
    """Raise :class:`NotAllowed` naming the owner when ``person`` may not ``action`` ``run``."""
    if not may_change(person, run):
        raise NotAllowed(f"run {run['id']} belongs to {run.get('owner_name') or 'the instructor'}:"
                         f" only they or the instructor can {action} it")


def check_instructor(person: Person, what: str) -> None:
    """Raise :class:`NotAllowed` unless ``person`` may change what the class shares (``what``)."""
    person = asking(person)
    if is_class() and not person.instructor:
        raise NotAllowed(f"only the instructor can {what}")


def follows(person: Person, run: dict) -> bool:
    """Whether ``run`` belongs on ``person``'s charts by default: their own runs and the runs
    the instructor shows to the class (in a one-person lab, every run)."""
    person = asking(person)
    return not is_class() or owns(person, run) or bool(run.get("shown"))


def followed(person: Person, runs: list[dict], added=()) -> list[dict]:
    """The runs of ``runs`` that ``person``'s views use: the ones they follow by default and
    the ones they ``added`` (ids, from the class board). Every view that picks "the runs" (a
    chart, Try a review, the temperature lab, cells and gates, the code views) goes through it."""
    added = set(added)
    return [r for r in runs if follows(person, r) or r["id"] in added]


def check_room(person: Person, active: list[dict], adding: int, limits: Limits) -> None:
    """Raise :class:`NotAllowed` when queueing ``adding`` more runs would pass a limit, given the
    runs that are ``active`` (queued or running) now. A one-person lab has no limits."""
    person = asking(person)
    if not is_class():
        return
    mine = sum(owns(person, run) for run in active)
    if not person.instructor and adding > limits.per_person:
        raise NotAllowed(f"this would queue {adding} runs at once and a student may have at most "
                         f"{limits.per_person} queued or running: choose fewer models (or ask "
                         "the instructor to raise the limit).")
    if not person.instructor and mine + adding > limits.per_person:
        raise NotAllowed(f"you have {mine} run{'s' * (mine != 1)} queued or running and at most "
                         f"{limits.per_person} are allowed at once; this would add {adding}. "
                         "Stop one or wait for one to finish.")
    if len(active) + adding > limits.per_class:
        raise NotAllowed(f"the class has {len(active)} runs queued or running and at most "
                         f"{limits.per_class} are allowed at once; this would add {adding}. "
                         "Wait for some to finish.")


def check_request(person: Person, asked: dict[str, int], limits: Limits) -> None:
    """Raise :class:`NotAllowed` when a student asks for a run larger than the instructor
    allows (``asked``: epochs, units, characters, as the run's kind counts them)."""
    person = asking(person)
    if not is_class() or person.instructor:
        return
    for name, words in ASKED.items():
        value, top = asked.get(name, 0), getattr(limits, name)
        if value > top:
            raise NotAllowed(f"a student's run may have at most {top:,} {words} and this one "
                             f"asks for {value:,}: choose fewer (the instructor sets this limit, "
                             "so that one run cannot hold the machine for the class)")
