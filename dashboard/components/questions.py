"""Predict, then see: the questions of a page. Alone (a one-person lab, or a class the
instructor lets go alone) a person answers, then sees the answer, computed now by ``core``.
Paced: the instructor opens a question, students answer on their own pages, the instructor's
page (the projector) shows the tally, and the reveal shows everyone the answer with their own
marked. Who may do what is decided in ``core`` (``core.runs.store_questions``); this file only
hands it what the page has."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.questions import classwork
from core.questions.model import NotReady, Question, read_answer
from core.runs import people
from core.runs.people import NotAllowed
from core.runs.store_questions import SELF_PACED
from dashboard import cache, figures, literal
from dashboard.components.charts import show, show_table
from dashboard.components.person import me
from dashboard.components.question_bar import watched_here

POLL_SECONDS = 1.0  # a paced class's pages check the store this often: tally, reveal, opening


def questions(page: str) -> None:
    """The questions of ``page`` (a url path of ``core.questions.model.PAGES``), polling the
    store while the instructor paces them."""
    found = classwork.on_page(page)
    if not found:
        return
    store = cache.run_store()
    person = me()
    st.subheader("Predict, then see", anchor="questions")
    _, problem = classwork.all_questions()
    if problem and (person.instructor or not people.is_class()):
        st.error(f"The questions file cannot be used (its questions are left out): "
                 f"{literal.md(problem, 400)}")
    st.fragment(run_every=POLL_SECONDS if people.is_class() else None)(_questions)(
        store, page)
    if people.is_class() and person.instructor:
        _instructor_records(store, store.paced())


def _questions(store, page: str) -> None:
    person, found = me(), classwork.on_page(page)
    standing = store.standing(person, [q.id for q in found])
    if people.is_class():
        watched_here(page, standing)  # the sidebar's links to questions open elsewhere
    paced = standing.paced
    leading = ("The instructor opens these one at a time: answer on your page; the answer "
               "appears when the instructor reveals it." if paced and not person.instructor
               else "Answer first, then see the answer: the lab computes it now, from its own "
                    "data and runs.")
    if people.is_class() and person.instructor:
        leading = ("You open each question; students answer on their own pages; the tally "
                   "(no names) updates here every second; Reveal shows every student the "
                   "answer with their own marked." if paced else
                   "The class answers alone (each student sees the answer after answering); "
                   "the tallies below count their answers.")
    st.caption(leading)
    hidden = 0
    for n, question in enumerate(found, 1):
        with st.container():  # its place, drawn empty while it is closed: a question opened
            if people.is_class() and person.instructor:  # above moves no answer being typed
                _conduct(store, question, n, found)
            elif not _answer(store, question, n, standing):
                hidden += 1
    if hidden:
        st.caption(f"{hidden} more question{'s' * (hidden > 1)} on this page: the instructor "
                   "opens them.")


def _label(n: int, question: Question) -> str:
    return f"**Q{n}.** {literal.md(question.prompt, 1000)}"


def _answer(store, question: Question, n: int, standing) -> bool:
    """One question as a student (or anyone in a one-person lab) sees it; False when it is
    not shown (paced, and the instructor has not opened it)."""
    person = me()
    seen = classwork.seen_by(store, question, person, standing)
    if standing.paced and not (seen.opening.open or seen.opening.revealed):
        return False
    key = f"q.{question.id}.{seen.opening.opening}"
    with st.container(border=True, key=f"question-{question.id}"):
        if question.personal:
            st.markdown(_label(n, question))
            st.text(question.material(classwork.ask_for(store, question, person, seen.opening)))
        if seen.may_answer:
            _answer_form(store, question, n, key, seen.answer)
        elif not question.personal:
            st.markdown(_label(n, question))
        if seen.answer is not None and seen.may_answer:
            st.caption(f"Your answer: **{literal.md(seen.answer)}**. You may change it until "
                       "the instructor reveals the answer.")
        if seen.problem:
            _not_ready(store, seen.problem, seen.start, key)
        elif seen.reveal is not None:
            _revealed(seen.reveal, question, seen.answer, seen.right, key)
        said = st.session_state.pop(f"{key}.said", None)
        if said:
            st.warning(said)
    return True


def _answer_form(store, question: Question, n: int, key: str, mine: str | None) -> None:
    # the prompt is drawn as markdown above the control, whose own label is the same words as
    # plain text (a screen reader reads a widget's label raw: "**Q2.** … \(" otherwise)
    unit = f" ({question.unit})" if question.numeric and question.unit else ""
    if question.personal:
        label, shown = "Your answer" + unit, "visible"
    else:
        st.markdown(_label(n, question) + literal.md(unit))
        label, shown = f"Q{n}. {question.prompt}{unit}", "collapsed"
    if question.numeric:
        st.text_input(label, mine or "", key=f"{key}.raw", max_chars=100,
                      placeholder="a number, such as 1200", label_visibility=shown)
    else:
        options = list(question.options())
        st.radio(label, options, index=options.index(mine) if mine in options else None,
                 key=f"{key}.raw", format_func=lambda c: literal.md(c, 80),
                 label_visibility=shown)
    st.button("Change my answer" if mine is not None else "Answer", key=f"{key}.go!",
              on_click=_submit, args=(store, question, key))


def _submit(store, question: Question, key: str) -> None:
    try:
        store.answer(me(), question.id, read_answer(question, st.session_state.get(f"{key}.raw")))
    except (ValueError, NotAllowed) as refused:
        st.session_state[f"{key}.said"] = f"Not kept: {refused}."


def _revealed(shown, question: Question, mine: str | None, right: bool | None, key: str) -> None:
    answer = (f"{shown.answer:,.0f}" if question.numeric and float(shown.answer).is_integer()
              else f"{shown.answer:,.4g}" if question.numeric else literal.md(shown.answer, 200))
    within = (f" (right within {question.tolerance:.0%})" if question.numeric and
              question.tolerance else "")
    st.success(f"Answer: **{answer}**{within}.")
    if mine is not None:
        verdict = "right" if right else "not right"
        st.markdown(f"Your answer: **{literal.md(mine)}**, {verdict} "
                    f"{'✓' if right else '✗'}.")
    st.markdown(literal.md(shown.explain, 2000) if question.source != "built in"
                else shown.explain)
    if shown.rows:
        show_table(pd.DataFrame(list(shown.rows)), hide_index=True)


def _not_ready(store, problem: str, start: tuple[str, ...], key: str) -> None:
    st.info(f"Not answerable yet: {problem}.")
    if start:
        st.button(f"Start them ({', '.join(start)}, lecture settings)", key=f"{key}.start!",
                  on_click=_start, args=(store, start),
                  help="Queues one run of each missing model with the lecture's settings.")


def _start(store, kinds: tuple[str, ...]) -> None:
    from core.classify import models, training
    from dashboard.components.run_panel import queue_runs

    queue_runs(store, training.KIND, [models.preset(k) for k in kinds])


def _conduct(store, question: Question, n: int, found: tuple[Question, ...]) -> None:
    """One question as the instructor runs it: open, reveal, ask again, next; the tally."""
    opening = store.opening(question.id)
    key = f"q.{question.id}.{opening.opening}"
    with st.container(border=True, key=f"question-{question.id}"):
        st.markdown(_label(n, question))
        if question.personal:
            st.caption("Each student gets their own text at their own hidden temperature.")
        else:
            choices = question.options()
            if choices:
                st.caption("Choices: " + " · ".join(literal.md(c, 80) for c in choices))
        state = ("revealed" if opening.revealed else "open: answers are coming in"
                 if opening.open else "not opened yet")
        c1, c2, c3 = st.columns(3)
        c1.button("Ask again" if opening.opening else "Open", key=f"{key}.open!",
                  on_click=_act, args=(store, question, "open", key), type=(
                      "secondary" if opening.open else "primary"),
                  help="Opens the question for answers (again: a fresh tally, earlier answers "
                       "stay in the record).")
        c2.button("Reveal", key=f"{key}.reveal!", disabled=not opening.open,
                  on_click=_act, args=(store, question, "reveal", key),
                  help="Computes the answer now and shows it on every student's page.")
        later = found[found.index(question) + 1:]
        if later:
            c3.button(f"Next: open Q{n + 1}", key=f"{key}.next!", on_click=_act,
                      args=(store, later[0], "open", key))
        tally = classwork.class_tally(store, question, by=me())
        st.caption(f"Q{n} is {state} · {tally.answered} answered"
                   + (f" · {tally.right} right" if tally.right is not None else ""))
        if tally.answered:
            right = {tally.right_label} if tally.right_label else set()
            show(figures.tally_bars(tally.counts, tally.answered, right,
                                    f"Q{n}: {tally.answered} answered"), key=f"{key}.tally")
        if opening.revealed:
            try:
                shown = classwork.computed(store, question, opening)
            except NotReady as missing:
                st.info(str(missing))
            else:
                _revealed(shown, question, None, None, key)
        said = st.session_state.pop(f"{key}.said", None)
        if said:
            st.warning(said)
        if start := st.session_state.pop(f"{key}.start", ()):
            _not_ready(store, "the class has not trained what this answer needs", start, key)


def _act(store, question: Question, action: str, key: str) -> None:
    try:
        if action == "open":
            store.open_question(question.id, by=me())
        else:
            classwork.reveal(store, question, by=me())
    except NotReady as missing:
        st.session_state[f"{key}.said"] = f"Not revealed: {missing}."
        st.session_state[f"{key}.start"] = missing.start
    except NotAllowed as refused:
        st.session_state[f"{key}.said"] = str(refused)


def _instructor_records(store, paced: bool) -> None:
    with st.expander("The class's answers", key="q.records_open!"):
        st.toggle("Let the class answer alone (self-paced)", not paced, key="q.alone!",
                  on_change=_set_alone, args=(store,),
                  help="On: each student answers and then sees the answer, without waiting "
                       "for you. Off: you open and reveal each question.")
        if said := st.session_state.pop("q.alone.said", None):
            st.warning(said)
        person = me()
        shares = classwork.share_right(store, by=person)
        if shares:
            show_table(pd.DataFrame(shares), hide_index=True)
        else:
            st.caption("No revealed answers yet.")
        st.download_button("Answers (CSV)", classwork.answers_csv(store, by=person),
                           "answers.csv", "text/csv", key="q.csv!",
                           help="One row per person and question: the answer, the right "
                                "answer where it was revealed, and the time.")


def _set_alone(store) -> None:
    try:
        store.set_setting(SELF_PACED, bool(st.session_state["q.alone!"]), by=me())
    except NotAllowed as refused:
        st.session_state["q.alone.said"] = str(refused)
