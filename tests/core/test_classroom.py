"""A class on one lab: people and the instructor, what each may do, limits, fair turns,
liveness after a restart, the files a run owns."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest

from core import jobs
from core.runs import identity, people, worker
from core.runs.people import OPERATOR, NotAllowed, Person
from core.runs.store import RunStore
from tests.waiting import wait_until

ANN, BEN = Person("ann-browser-id-0001", "Ann"), Person("ben-browser-id-0002", "Ben")


@pytest.fixture
def store(tmp_path) -> RunStore:
    return RunStore(tmp_path / "runs.sqlite")


def _ended(store, owner: Person) -> int:
    run = store.create("k", {}, "a run", owner=owner)
    store.finish(run, "finished")
    return run


@contextmanager
def machine_held(turns=None):
    """Another run holds the machine (``turns``, default the worker's) while the block runs;
    yields the holding thread."""
    turns = turns or worker.TURNS
    holding, release = threading.Event(), threading.Event()

    def hold():
        with turns.turn("someone else"):
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(30)
    try:
        yield holder
    finally:
        release.set()
        holder.join(30)


def test_a_run_records_its_owner_and_the_command_line_is_the_instructor(store):
    run = store.get(store.create("k", {}, "x", owner=ANN))
    assert (run["owner"], run["owner_name"], run["by_instructor"]) == (ANN.id, "Ann", 0)
    cli = store.get(store.create("k", {}, owner=OPERATOR))
    assert cli["owner"] == people.OPERATOR.id and cli["by_instructor"] == 1


def test_in_a_one_person_lab_everyone_may_do_everything(store):
    run = _ended(store, ANN)
    store.rename(run, "by Ben", by=BEN)
    store.show_to_class(run, by=BEN)
    store.set_limits(people.Limits(2, 3), by=BEN)
    store.check_room(BEN, 100)  # no limits either
    store.delete(run, by=BEN)


def test_in_a_class_only_the_owner_or_the_instructor_changes_a_run(store, a_class):
    run = _ended(store, ANN)
    for action in (lambda: store.rename(run, "by Ben", by=BEN),
                   lambda: store.request_stop(run, by=BEN),
                   lambda: store.delete(run, by=BEN)):
        with pytest.raises(NotAllowed, match="belongs to Ann: only they or the instructor"):
            action()
    assert store.get(run)["name"] == "a run" and not store.get(run)["stop_requested"]
    store.rename(run, "Ann's", by=ANN)
    teacher = store.sign_in(Person("teacher-browser", "Ms T"), a_class)
    store.rename(run, "seen by the teacher", by=teacher)
    store.delete(run, by=teacher)
    with pytest.raises(KeyError):
        store.get(run)


def test_only_the_instructor_shows_runs_and_changes_what_the_class_shares(store, a_class,
                                                                           tmp_path):
    from core.embeddings import motion

    run = _ended(store, ANN)
    with pytest.raises(NotAllowed, match="only the instructor can show a run"):
        store.show_to_class(run, by=ANN)
    with pytest.raises(NotAllowed, match="only the instructor"):
        store.set_limits(people.Limits(1, 1), by=ANN)
    with pytest.raises(NotAllowed, match="only the instructor"):
        motion.set_watched_words("popcorn", tmp_path, by=ANN)
    teacher = store.sign_in(ANN, a_class)
    store.show_to_class(run, by=teacher)
    assert store.get(run)["shown"] == 1 and people.follows(BEN, store.get(run))
    assert motion.set_watched_words("popcorn", tmp_path, by=teacher) == ["popcorn"]


def test_the_key_must_match(store, a_class):
    with pytest.raises(NotAllowed, match="not the instructor key"):
        store.sign_in(BEN, "guess")
    assert not store.sign_in(BEN, a_class).id == BEN.id


def test_a_planted_id_stays_a_student_after_the_instructor_signs_in(store, a_class,
                                                                    monkeypatch):
    """Session fixation: Ben sends the instructor a link naming his own id; the instructor
    opens it in a browser without the lab's cookie and types the key. The link is read only
    where tests allow it; even then, the instructor gets a new id and Ben's gains nothing."""
    store.remember(BEN)
    monkeypatch.setenv(people.LINK_ENV, "1")
    projector = people.identify(store, cookie=None, link=BEN.id)  # the crafted link, adopted
    assert projector.id == BEN.id
    teacher = store.sign_in(projector, a_class)
    assert teacher.instructor and teacher.id != BEN.id
    ben_again = people.identify(store, cookie=BEN.id)  # Ben reloads his page
    assert not ben_again.instructor and store.person(teacher.id).instructor
    run = store.create("k", {}, "the teacher's", owner=teacher)
    with pytest.raises(NotAllowed, match="only they or the instructor"):
        store.request_stop(run, by=ben_again)
    monkeypatch.delenv(people.LINK_ENV)
    assert people.identify(store, cookie=None, link=BEN.id).id != BEN.id  # a class's default


def test_remembering_a_hand_built_instructor_grants_nothing(store, a_class):
    forged = Person(BEN.id, "Ben", instructor=True)
    store.remember(forged)
    assert not store.person(BEN.id).instructor


def test_signing_out_leaves_the_old_id_worthless(store, a_class):
    teacher = store.sign_in(ANN, a_class)
    student = store.sign_out(teacher)
    assert not student.instructor and student.id not in (teacher.id, ANN.id)
    assert not store.person(teacher.id).instructor and not store.person(student.id).instructor


def test_wrong_keys_are_limited_per_browser_and_overall(store, a_class, monkeypatch):
    from core.runs import store_people as store_module

    for _ in range(store_module.SIGN_IN_PER_BROWSER):
        with pytest.raises(NotAllowed, match="not the instructor key"):
            store.sign_in(BEN, "guess")
    with pytest.raises(NotAllowed, match="too many wrong instructor keys .*in this browser"):
        store.sign_in(BEN, a_class)  # even the right key, until the window passes
    assert store.sign_in(ANN, a_class).instructor  # another browser may still sign in
    monkeypatch.setattr(store_module, "SIGN_IN_OVERALL", store_module.SIGN_IN_PER_BROWSER + 2)
    for n in range(2):  # fresh ids are free, so all browsers together are limited too
        with pytest.raises(NotAllowed, match="not the instructor key"):
            store.sign_in(people.new_person(), "guess")
    with pytest.raises(NotAllowed, match="too many wrong instructor keys were typed lately"):
        store.sign_in(people.new_person(), a_class)


def test_a_short_key_is_refused(store, monkeypatch):
    monkeypatch.setenv(people.KEY_ENV, "short-key")
    assert "9 characters long; a class needs at least 12" in people.key_problem()
    with pytest.raises(NotAllowed, match="at least 12"):
        store.sign_in(ANN, "short-key")
    assert people.is_class()  # fail closed: still a class, with nobody its instructor


def test_nobody_is_never_the_instructor(store, a_class):
    run = _ended(store, ANN)
    for action in (lambda: store.rename(run, "x", by=None),
                   lambda: store.delete(run, by=None),
                   lambda: store.set_limits(people.Limits(), by=None),
                   lambda: store.create("k", {}, owner=None)):
        with pytest.raises(NotAllowed, match="who asks must be a Person"):
            action()
    with pytest.raises(TypeError):
        store.delete(run)  # forgetting who asks does not run at all


def test_concurrent_presses_never_pass_the_class_limit(store, a_class):
    from concurrent.futures import ThreadPoolExecutor

    store.set_limits(people.Limits(per_person=3, per_class=5), by=OPERATOR)
    students = [Person(f"student-{i:02d}-browser-id", f"S{i}") for i in range(12)]
    barrier = threading.Barrier(len(students))

    def press(person):
        barrier.wait()
        try:
            return len(store.create_many("k", [({}, "a"), ({}, "b")], owner=person))
        except NotAllowed:
            return 0

    with ThreadPoolExecutor(len(students)) as pool:
        queued = sum(pool.map(press, students))
    assert queued == 4 and len(store.list()) == 4  # two races of 2 fit in 5; a third does not


def test_the_default_limits_fit_a_class_of_thirty_racing_three_models(store, a_class):
    for i in range(30):
        store.create_many("k", [({}, m) for m in ("bag", "cnn", "lstm")],
                          owner=Person(f"student-{i:02d}-browser-id", f"S{i}"))
    assert len(store.list()) == 90


def test_a_race_larger_than_the_limit_says_so(store, a_class):
    store.set_limits(people.Limits(per_person=2), by=OPERATOR)
    with pytest.raises(NotAllowed, match="this would queue 3 runs at once and a student may"):
        store.create_many("k", [({}, "a")] * 3, owner=ANN)


def test_charts_follow_my_runs_and_the_shown_ones(store, a_class):
    mine, theirs = store.get(_ended(store, ANN)), store.get(_ended(store, BEN))
    assert people.follows(ANN, mine) and not people.follows(ANN, theirs)


def test_limits_per_person_and_per_class(store, a_class):
    store.set_limits(people.Limits(per_person=2, per_class=3),
                     by=store.sign_in(BEN, a_class))
    store.create("k", {}, "1", owner=ANN)
    store.check_room(ANN, 1)
    with pytest.raises(NotAllowed, match="you have 1 run queued or running and at most 2"):
        store.check_room(ANN, 2)
    store.create("k", {}, "2", owner=BEN)
    store.create("k", {}, "3", owner=BEN)
    with pytest.raises(NotAllowed, match="the class has 3 runs"):
        store.check_room(ANN, 1)
    with pytest.raises(ValueError, match="per_person must be a whole number"):
        people.Limits(per_person=0)


def test_a_race_past_the_limit_queues_nothing(store, a_class):
    from core.classify import models, training

    store.set_limits(people.Limits(per_person=2), by=store.sign_in(BEN, a_class))
    with pytest.raises(NotAllowed, match="this would queue 3 runs at once"):
        jobs.launch_all(store, training.KIND, [models.preset("dense")] * 3, owner=ANN)
    assert store.list() == []


def test_turns_go_round_the_owners_the_instructor_first():
    turns, order = worker.Turns(), []
    owners = {"a1": "ann", "a2": "ann", "a3": "ann", "b1": "ben", "c1": "cat", "t1": "teacher"}
    for run, owner in owners.items():
        turns.enrol(run, owner, first=owner == "teacher")
    holding, release = threading.Event(), threading.Event()

    def hold():
        with turns.turn("first"):
            holding.set()
            release.wait(30)

    def take(run):
        with turns.turn(run):
            order.append(run)

    threads = [threading.Thread(target=hold)]
    threads[0].start()
    holding.wait(30)
    for i, run in enumerate(owners):  # asking in this order: first come would be a1 a2 a3 ...
        threads.append(threading.Thread(target=take, args=(run,)))
        threads[-1].start()
        wait_until(lambda: turns.waiting() == i + 1)
    release.set()
    [t.join(30) for t in threads]
    assert order == ["t1", "a1", "b1", "c1", "a2", "a3"]


def test_a_queued_run_stops_at_once(store, monkeypatch):
    """Stop wakes a waiting run: with its own check of the flag an hour apart, it still ends
    as soon as Stop is pressed (a run that only polled would hold this test for the hour)."""
    monkeypatch.setattr(worker, "WAIT_POLL_SECONDS", 3600.0)
    with machine_held() as holder:
        run = store.create("k", {}, owner=OPERATOR)
        thread = worker.start_run(store, run, lambda store, run_id, stop: {"trained": True})
        wait_until(lambda: worker.TURNS.waiting() == 1)
        worker.request_stop(store, run, by=OPERATOR)
        wait_until(lambda: store.get(run)["status"] == "stopped")  # while the holder holds
        assert holder.is_alive()
    thread.join(30)


def test_a_run_whose_pid_was_reused_after_a_restart_is_interrupted_and_can_be_deleted(store):
    run = store.create("k", {}, owner=OPERATOR)
    store.start(run)
    assert store.mark_stale() == 0  # this very process answers for it
    here = store.get(run)
    store._update(run, pstart=here["pstart"] + 1)  # same host, boot and pid; another process
    assert store.mark_stale() == 1
    assert store.get(run)["status"] == "interrupted"
    store.delete(run, by=OPERATOR)


def test_a_queued_run_from_a_restarted_machine_is_interrupted(store):
    run = store.create("k", {}, owner=OPERATOR)
    store._update(run, boot="another-boot-id")
    store.mark_stale()
    assert store.get(run)["status"] == "interrupted"


def test_delete_removes_every_file_the_run_recorded_and_no_other(store):
    run, other = store.create("k", {}, owner=OPERATOR), store.create("k", {}, owner=OPERATOR)
    files = [store.file_path(run, name) for name in (f"run-{run}.keras", f"run-{run}.npz",
                                                     f"char-{run}.chars.json", "space.npz")]
    legacy = store.path.parent / "models" / f"run-{run}.snapshots.npz"  # from before recording
    kept = store.file_path(other, f"run-{other}.keras")
    for path in [*files, legacy, kept]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    store.finish(run, "finished")
    removed = store.delete(run, by=OPERATOR)
    assert sorted(removed) == sorted([*files, legacy])
    assert not any(p.exists() for p in removed) and kept.exists()
    with pytest.raises(ValueError, match="plain file name"):
        store.file_path(other, "../escape.keras")


def test_saves_are_atomic(tmp_path):
    from core import paths

    target = tmp_path / "model.keras"
    target.write_bytes(b"old")

    def half_then_fail(tmp):
        assert tmp.suffix == ".keras" and tmp.parent == target.parent
        tmp.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        paths.atomic_save(target, half_then_fail)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["model.keras"]
    paths.atomic_save(target, lambda tmp: tmp.write_bytes(b"new"))
    assert target.read_bytes() == b"new"


def test_names_made_up_and_kept(store):
    person = people.new_person()
    assert len(person.id) >= 20 and person.name and not person.instructor
    store.remember(people.renamed(person, "  Ann   B "))
    assert store.person(person.id) == Person(person.id, "Ann B")
    assert store.person("unknown") is None
    with pytest.raises(ValueError, match="cannot be empty"):
        people.renamed(person, "   ")


def test_a_browser_signed_in_as_the_instructor_stays_so_while_the_key_is_the_same(
        store, a_class, monkeypatch):
    teacher = store.sign_in(Person("teacher-browser-0003", "Ms T"), a_class)
    assert store.person(teacher.id).instructor  # a reload keeps it
    store.remember(ANN)
    assert not store.person(ANN.id).instructor
    monkeypatch.setenv(people.KEY_ENV, "a-new-key-after-a-restart")  # the lab restarted with another key
    assert not store.person(teacher.id).instructor


def test_the_key_can_come_from_streamlits_secrets_file_and_a_change_is_seen(tmp_path,
                                                                              monkeypatch):
    import os

    secrets = tmp_path / "secrets.toml"
    monkeypatch.setattr(identity, "SECRETS_FILE", secrets)
    assert people.instructor_key() is None
    secrets.write_text('instructor_key = "first"\n')
    assert people.instructor_key() == "first" and people.is_class()
    secrets.write_text('instructor_key = "second"\n')
    os.utime(secrets, ns=(secrets.stat().st_atime_ns, secrets.stat().st_mtime_ns + 10**9))
    assert people.instructor_key() == "second"


def test_a_stop_check_that_raises_leaves_no_ticket_in_the_line():
    """A locked or moved-aside store makes a waiting run's stop check raise: before, its ticket
    stayed in the line, and once it reached the head no run started again."""
    turns, failed = worker.Turns(), []

    def broken_check():
        raise OSError("database is locked")

    def wait_with_a_broken_check():
        try:
            with turns.turn("broken", broken_check, poll=0.01):
                pass
        except OSError as error:
            failed.append(error)

    with machine_held(turns):
        broken = threading.Thread(target=wait_with_a_broken_check)
        broken.start()
        broken.join(30)
        assert failed and turns.waiting() == 0
    with turns.turn("next") as served:
        assert served  # the line moved on


def test_a_run_whose_queue_check_fails_is_marked_failed_with_the_reason(store):
    with machine_held():
        run = store.create("k", {}, owner=OPERATOR)
        real = store.stop_requested
        store.stop_requested = lambda run_id: (_ for _ in ()).throw(OSError("disk I/O error"))
        worker.start_run(store, run, lambda store, run_id, stop: {"trained": True}).join(30)
        store.stop_requested = real
    assert store.get(run)["status"] == "failed"
    assert "could not wait for its turn" in store.get(run)["error"]
    assert worker.TURNS.waiting() == 0


def long_beside_short(turns, long_steps) -> list[str]:
    """Ann's long run holds the machine and does ``long_steps(order, asked)``; once it sets
    ``asked``, Ben's short run asks for a turn. Returns what happened, in order."""
    order, asked = [], threading.Event()
    turns.enrol("long", "ann")
    turns.enrol("short", "ben")

    def long_job():
        with turns.turn("long"):
            long_steps(order, asked)

    def short_job():
        with turns.turn("short"):
            order.append("short")

    long = threading.Thread(target=long_job)
    long.start()
    asked.wait(30)
    short = threading.Thread(target=short_job)
    short.start()
    long.join(30)
    short.join(30)
    return order


def test_a_long_job_shares_the_machine_with_whoever_waits():
    """A holder that shares lets the waiting run go first, then goes on; with nobody waiting,
    sharing costs nothing."""
    turns = worker.Turns()

    def steps(order, asked):
        assert turns.share("long")  # nobody waits: keeps the turn
        order.append("long: part 1")
        asked.set()
        wait_until(lambda: turns.waiting() == 1)
        assert turns.share("long")
        order.append("long: part 2")

    assert long_beside_short(turns, steps) == ["long: part 1", "short", "long: part 2"]


def test_a_student_may_ask_only_for_a_run_the_instructor_allows(store, a_class):
    from core.language import charlm

    huge = charlm.CharConfig(corpus="imdb_reviews", units=512, epochs=30, max_chars=50_000_000)
    with pytest.raises(NotAllowed, match="at most 256 units and this one asks for 512"):
        jobs.launch(store, charlm.KIND, huge, owner=ANN)
    wide = charlm.CharConfig(corpus="imdb_reviews", units=256, max_chars=50_000_000)
    with pytest.raises(NotAllowed, match="at most 10,000,000 characters of text .* 50,000,000"):
        jobs.launch(store, charlm.KIND, wide, owner=ANN)
    whole = charlm.CharConfig(corpus="imdb_reviews", units=64)  # no cut: all the reviews
    with pytest.raises(NotAllowed, match="characters of text"):
        jobs.create(store, charlm.KIND, [whole], owner=ANN)
    assert store.list() == []
    teacher = store.sign_in(BEN, a_class)
    store.set_limits(people.Limits(units=512, characters=50_000_000), by=teacher)
    assert jobs.create(store, charlm.KIND, [huge], owner=ANN)  # now allowed
    assert jobs.create(store, charlm.KIND, [whole], owner=teacher)  # the instructor: no bound


def test_a_long_language_model_lets_another_persons_run_start_within_one_turn(tmp_path):
    """Ann's language model trains for many epochs; Ben's small run, queued meanwhile, starts
    when Ann's current epoch ends, not when her run does."""
    from core.language import charlm

    store = RunStore(tmp_path / "runs.sqlite")
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "tiny.txt").write_text("to be or not to be, that is it. " * 60)
    config = charlm.CharConfig(corpus="upload:tiny", units=8, embedding_dim=4, epochs=500,
                               seq_len=20)
    anns = jobs.launch(store, charlm.KIND, config, owner=ANN)
    wait_until(lambda: store.count(anns, "epoch") >= 1, 120)
    queued_at = store.count(anns, "epoch")
    seen = {}

    def small(store, run_id, stop):
        seen["ann's epochs"] = store.count(anns, "epoch")
        return {}

    bens = store.create("k", {}, "Ben's small run", owner=BEN)
    worker.start_run(store, bens, small)
    wait_until(lambda: store.get(bens)["status"] == "finished", 120)
    assert seen["ann's epochs"] <= queued_at + 1
    assert store.get(anns)["status"] == "running"  # Ann's goes on after Ben's
    worker.request_stop(store, anns, by=ANN)
    wait_until(lambda: store.get(anns)["status"] == "stopped", 120)


def test_within_a_long_epoch_the_turn_is_shared_after_turn_seconds(monkeypatch):
    """Shares.tick hands the machine on only once TURN_SECONDS of work have passed, and only
    when someone waits; the long job then waits its turn and goes on (the Keras callback calls
    tick after every batch; the language-model test above covers the epoch end)."""
    turns = worker.Turns()
    monkeypatch.setattr(worker, "TURNS", turns)

    def steps(order, asked):
        shares = worker.Shares("long", lambda: False)
        assert shares.tick()  # nobody waits: it keeps the machine
        order.append("long: batch 1")
        asked.set()
        wait_until(lambda: turns.waiting() == 1)
        assert shares.tick() and order == ["long: batch 1"]  # under TURN_SECONDS: keeps it
        monkeypatch.setattr(worker, "TURN_SECONDS", 0.0)
        assert shares.tick()  # past it: Ben's run goes, then Ann's goes on
        order.append("long: batch 2")

    assert long_beside_short(turns, steps) == ["long: batch 1", "short", "long: batch 2"]
