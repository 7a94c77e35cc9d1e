"""Who someone is: a :class:`Person` (an unguessable id and a name shown to others), the command
line's :data:`OPERATOR`, the lab's secrets file and the instructor key in it (or in
``$SEQLAB_INSTRUCTOR_KEY``). What a person may do is ``runs/people.py``'s; accounts signed in
through the institution's provider are ``runs/accounts.py``'s."""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from core import paths

KEY_ENV = "SEQLAB_INSTRUCTOR_KEY"
SECRETS_ENV = "SEQLAB_SECRETS"  # another secrets file (the lab's and Streamlit's)
SECRETS_FILE = paths.PROJECT_ROOT / ".streamlit" / "secrets.toml"  # Streamlit's, if present
MIN_KEY_LENGTH = 12  # shorter keys are refused at start: a class's key is guessed otherwise
ID_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what new_person makes; anything else is unknown
_ADJECTIVES = ("Brave", "Calm", "Clever", "Curious", "Eager", "Gentle", "Happy", "Keen", "Lucky",
               "Merry", "Patient", "Quick", "Quiet", "Bold", "Swift", "Wise")
_ANIMALS = ("Otter", "Heron", "Fox", "Badger", "Lynx", "Panda", "Robin", "Seal", "Tiger", "Wren",
            "Koala", "Falcon", "Owl", "Hare", "Moose", "Gecko")


class NotAllowed(PermissionError):
    """An action the class's rules refuse; the message says why, for the person who tried."""


@dataclass(frozen=True)
class Person:
    """One browser (or the command line): ``id`` is an unguessable token, ``name`` is shown."""

    id: str
    name: str
    instructor: bool = False  # set by :func:`sign_in` with the right key (the store remembers
    # it for the browser while the key stays the same)

    def __post_init__(self):
        if not self.id:
            raise ValueError("a person needs an id")


OPERATOR = Person("operator", "instructor", instructor=True)  # command line, notebooks


def asking(person: object) -> Person:
    """``person``, if it is one: who asks is never guessed (fail closed)."""
    if not isinstance(person, Person):
        raise NotAllowed(f"who asks must be a Person (people.OPERATOR from the command line), "
                         f"got {person!r}")
    return person


def secrets_file() -> Path:
    """The secrets file the lab and Streamlit read: ``$SEQLAB_SECRETS`` (``./lab`` hands it to
    Streamlit as ``secrets.files``), else the project's ``.streamlit/secrets.toml``."""
    return Path(os.environ.get(SECRETS_ENV, "").strip() or SECRETS_FILE)


def lab_secrets() -> dict:
    """The secrets file's contents ({} when there is none, or it is not TOML). Asked for on
    every viewer's tick, so the file is read again only when it changes."""
    path = secrets_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _read_secrets(str(path), stamp)


@lru_cache(maxsize=4)
def _read_secrets(path: str, stamp: int) -> dict:  # noqa: ARG001  (stamp: part of the key)
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def instructor_key() -> str | None:
    """The configured key: ``$SEQLAB_INSTRUCTOR_KEY``, else ``instructor_key`` in the secrets
    file; None when neither is set."""
    key = (os.environ.get(KEY_ENV, "").strip()
           or str(lab_secrets().get("instructor_key", "")).strip())
    return key or None


def key_problem() -> str | None:
    """Why the configured key cannot run a class (too short), or None when it can (or when no
    key is set: a one-person lab). The lab refuses to start while there is one."""
    key = instructor_key()
    if key is not None and len(key) < MIN_KEY_LENGTH:
        return (f"the instructor key is {len(key)} characters long; a class needs at least "
                f"{MIN_KEY_LENGTH} (students could guess a short one). Choose a longer "
                f"${KEY_ENV} or instructor_key in .streamlit/secrets.toml.")
    return None


def key_digest() -> str | None:
    """A digest of the configured key (None without one): what the store keeps beside a browser
    signed in as the instructor, so a reload keeps it signed in while the key is the same."""
    key = instructor_key()
    return None if key is None else hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_person(name: str = "", rng: secrets.SystemRandom | None = None) -> Person:
    """A new person with an unguessable id, named ``name`` or, if empty, a made-up name."""
    rng = rng or secrets.SystemRandom()
    name = " ".join(name.split())[:40] or (
        f"{rng.choice(_ADJECTIVES)} {rng.choice(_ANIMALS)} {rng.randint(10, 99)}")
    return Person(secrets.token_urlsafe(16), name)


def renamed(person: Person, name: str) -> Person:
    """``person`` with a new display name (spaces collapsed, at most 40 characters)."""
    name = " ".join(name.split())[:40]
    if not name:
        raise ValueError("a name cannot be empty")
    return replace(person, name=name)


