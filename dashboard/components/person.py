"""This browser's person in the sidebar: a name (made up, changeable), an unguessable id kept in
a cookie of this lab (``seqlab_me``) so that a reload or a page switch keeps it, and the
instructor's key. Who the browser is and what it may do are decided in ``core.runs.people``
(``identify``: the cookie; a ``?me=`` link only where tests allow it) and the store
(``sign_in``: a new id, attempts limited); this file hands them what the page has."""
from __future__ import annotations

import streamlit as st

from core.runs import people
from core.runs.people import NotAllowed, Person
from dashboard import cache, literal, state

COOKIE = "seqlab_me"


def me() -> Person:
    """This browser's person: with accounts, the signed-in account
    (``core.runs.people.from_account``); else as ``core.runs.people.identify`` decides from the
    browser's cookie."""
    person = st.session_state.get(state.PERSON)
    if person is None:
        found = people.accounts()
        if found is not None:
            person = people.from_account(st.user.to_dict(), found)
            cache.run_store().remember(person)
        else:
            person = people.identify(cache.run_store(), st.context.cookies.get(COOKIE),
                                     st.query_params.get("me"))
        st.session_state[state.PERSON] = person
    return person


def _account_gate() -> None:
    """With accounts: nobody uses the lab before signing in with the institution's account,
    and an account the class does not admit is told why (and may sign out)."""
    if not st.user.is_logged_in:
        st.title("Sequence Lab")
        st.info("This lab is run for a class: sign in with your institution's account to use "
                "it. Your runs will be yours, under your name.")
        st.button("Sign in", key="people.login!", type="primary", on_click=st.login)
        st.stop()
    try:
        me()
    except NotAllowed as refused:
        st.title("Sequence Lab")
        st.error(f"You cannot use this lab: {refused}")
        st.button("Sign out", key="people.logout!", on_click=st.logout)
        st.stop()


def keep_in_browser(person: Person) -> None:
    """Set this lab's cookie to ``person``'s id (once per session and id: signing in or out
    changes it; a script of our own in a zero-height frame; the id is URL-safe base64, never
    user text), and drop ``?me=`` from the link, so that a copied link reproduces a view but
    not a person. The frame's container is drawn on every run, empty when there is nothing to
    set: the sidebar keeps its shape, so a run the page starts by itself (a run ended) does not
    draw the controls below it anew and lose what was typed in them but not yet entered."""
    st.query_params.pop("me", None)
    slot = st.sidebar.container(key="cookie-frame")  # hidden: no stop for the Tab key
    if (st.session_state.get(state.COOKIE_SET) == person.id
            or st.context.cookies.get(COOKIE) == person.id):
        return
    st.session_state[state.COOKIE_SET] = person.id
    with slot:
        st.iframe(f"<script>window.parent.document.cookie = '{COOKIE}={person.id}; "
                  "path=/; max-age=31536000; SameSite=Strict' + "
                  "(window.parent.location.protocol === 'https:' ? '; Secure' : '');</script>",
                  height="content")


def _become(make, refused: tuple[type[Exception], ...] = ()) -> None:
    """This browser becomes ``make()`` (which the store remembers), or says why not."""
    try:
        person = make()
    except refused as error:
        st.session_state[state.PEOPLE_NOTICE] = str(error)
        return
    st.session_state[state.PERSON] = person


def _renamed() -> Person:
    person = people.renamed(me(), st.session_state["people.name!"])
    cache.run_store().remember(person)
    return person


def _rename() -> None:
    _become(_renamed, (ValueError,))


def _sign_in() -> None:
    key = st.session_state.get("people.key!", "")
    _become(lambda: cache.run_store().sign_in(me(), key), (NotAllowed,))


def _sign_out() -> None:
    _become(lambda: cache.run_store().sign_out(me()))


_LIMITS = (  # (field of people.Limits, label, help, shown in units of, lowest, highest)
    ("per_person", "Runs per student", "Queued or running at once.", 1, 1, 1000),
    ("per_class", "Runs in the class", "Queued or running at once, everyone's.", 1, 1, 1000),
    ("epochs", "Epochs a student may ask", "In one run.", 1, 1, 1000),
    ("units", "Units a student may ask", "Recurrent units or filters in one run.", 1, 1, 4096),
    ("characters", "Characters a student may ask (millions)",
     "Text one language model trains on.", 1_000_000, 0.5, 1000.0))


def _set_limits() -> None:
    try:
        cache.run_store().set_limits(people.Limits(**{
            name: int(round(float(st.session_state[f"people.{name}!"]) * scale))
            for name, _, _, scale, _, _ in _LIMITS}), by=me())
    except (NotAllowed, ValueError) as error:
        st.session_state[state.PEOPLE_NOTICE] = str(error)


def person_sidebar() -> None:
    """In a class (an instructor key is configured): your name, and the instructor's sign-in
    and limits. A one-person lab draws nothing here. A key too short to protect a class stops
    every page with the reason (the lab fails closed rather than run with it)."""
    problem = people.class_problem()
    if problem:
        st.error(f"This lab will not start: {problem}")
        st.stop()
    with_accounts = people.accounts() is not None
    if with_accounts:
        _account_gate()
    person = me()
    if not with_accounts:
        keep_in_browser(person)
    if not people.is_class():
        return
    box = st.sidebar.container(border=True)
    role = "the instructor" if person.instructor else "a student"
    box.caption(f"You are **{literal.md(person.name, 40)}** ({role}). Your runs are yours: "
                "only you and the instructor can stop, rename or delete them.")
    if with_accounts:
        box.button("Sign out", key="people.logout!", on_click=st.logout,
                   help="Signs this browser out of the lab (your runs stay yours).")
    else:
        box.text_input("Your name", person.name, key="people.name!", max_chars=40,
                       on_change=_rename, help="Shown beside your runs on the class board.")
    if person.instructor:
        limits = cache.run_store().limits()
        columns = box.columns(2)
        for i, (name, label, help_text, scale, low, high) in enumerate(_LIMITS):
            value = getattr(limits, name)
            columns[i % 2].number_input(label, low, high, value / scale if scale > 1 else value,
                                        step=0.5 if scale > 1 else 1, key=f"people.{name}!",
                                        on_change=_set_limits, help=help_text)
        if not with_accounts:
            box.button("Sign out as instructor", key="people.out!", on_click=_sign_out)
    elif not with_accounts:
        box.text_input("Instructor key", key="people.key!", type="password", on_change=_sign_in,
                       help="Given by whoever started the lab; makes this browser the "
                            "instructor's (until it signs out, or the key changes).")
    notice = st.session_state.pop(state.PEOPLE_NOTICE, None)
    if notice:
        box.warning(notice)
