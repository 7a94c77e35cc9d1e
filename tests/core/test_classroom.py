"""A class on one lab: people and the instructor, what each may do, limits, fair turns,
liveness after a restart, the files a run owns."""
from __future__ import annotations

import threading
import time

import pytest

from core import jobs
from core.runs import people, worker
from core.runs.people import NotAllowed, Person
from core.runs.store import RunStore

ANN, BEN = Person("ann-browser-id", "Ann"), Person("ben-browser-id", "Ben")


@pytest.fixture
def store(tmp_path) -> RunStore:
    return RunStore(tmp_path / "runs.sqlite")


def _ended(store, owner: Person) -> int:
    run = store.create("k", {}, "a run", owner)
    store.finish(run, "finished")
    return run


def wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_run_records_its_owner_and_the_command_line_is_the_instructor(store):
    run = store.get(store.create("k", {}, "x", ANN))
    assert (run["owner"], run["owner_name"], run["by_instructor"]) == (ANN.id, "Ann", 0)
    cli = store.get(store.create("k", {}))
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
    teacher = people.sign_in(Person("teacher-browser", "Ms T"), a_class)
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
    teacher = people.sign_in(ANN, a_class)
    store.show_to_class(run, by=teacher)
    assert store.get(run)["shown"] == 1 and people.follows(BEN, store.get(run))
    assert motion.set_watched_words("popcorn", tmp_path, by=teacher) == ["popcorn"]


def test_the_key_must_match_and_a_stolen_browser_id_does_not_make_an_instructor(store, a_class):
    with pytest.raises(NotAllowed, match="not the instructor key"):
        people.sign_in(BEN, "guess")
    teacher = people.sign_in(Person("teacher-browser", "Ms T"), a_class)
    run = store.create("k", {}, "the teacher's", teacher)
    thief = Person("teacher-browser", "Ben")  # the id read off the projected link
    with pytest.raises(NotAllowed):
        store.request_stop(run, by=thief)


def test_charts_follow_my_runs_and_the_shown_ones(store, a_class):
    mine, theirs = store.get(_ended(store, ANN)), store.get(_ended(store, BEN))
    assert people.follows(ANN, mine) and not people.follows(ANN, theirs)


def test_limits_per_person_and_per_class(store, a_class):
    store.set_limits(people.Limits(per_person=2, per_class=3),
                     by=people.sign_in(BEN, a_class))
    store.create("k", {}, "1", ANN)
    store.check_room(ANN, 1)
    with pytest.raises(NotAllowed, match="you have 1 run queued or running and at most 2"):
        store.check_room(ANN, 2)
    store.create("k", {}, "2", BEN)
    store.create("k", {}, "3", BEN)
    with pytest.raises(NotAllowed, match="the class has 3 runs"):
        store.check_room(ANN, 1)
    with pytest.raises(ValueError, match="per_person must be a whole number"):
        people.Limits(per_person=0)


def test_a_race_past_the_limit_queues_nothing(store, a_class):
    from core.classify import models, training

    store.set_limits(people.Limits(per_person=2), by=people.sign_in(BEN, a_class))
    with pytest.raises(NotAllowed, match="this would add 3"):
        jobs.launch_all(store, training.KIND, [models.preset("dense")] * 3, ANN)
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
        wait_for(lambda: turns.waiting() == i + 1)
    release.set()
    [t.join(30) for t in threads]
    assert order == ["t1", "a1", "b1", "c1", "a2", "a3"]


def test_a_queued_run_stops_at_once(store):
    holding, release = threading.Event(), threading.Event()

    def hold():
        with worker.TURNS.turn("someone else"):
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(30)
    run = store.create("k", {})
    thread = worker.start_run(store, run, lambda store, run_id, stop: {"trained": True})
    wait_for(lambda: worker.TURNS.waiting() == 1)
    asked = time.monotonic()
    worker.request_stop(store, run)
    thread.join(30)
    took = time.monotonic() - asked
    release.set()
    holder.join(30)
    assert store.get(run)["status"] == "stopped" and took < 0.4  # woken, not polled


def test_a_run_whose_pid_was_reused_after_a_restart_is_interrupted_and_can_be_deleted(store):
    run = store.create("k", {})
    store.start(run)
    assert store.mark_stale() == 0  # this very process answers for it
    here = store.get(run)
    store._update(run, pstart=here["pstart"] + 1)  # same host, boot and pid; another process
    assert store.mark_stale() == 1
    assert store.get(run)["status"] == "interrupted"
    store.delete(run)


def test_a_queued_run_from_a_restarted_machine_is_interrupted(store):
    run = store.create("k", {})
    store._update(run, boot="another-boot-id")
    store.mark_stale()
    assert store.get(run)["status"] == "interrupted"


def test_delete_removes_every_file_the_run_recorded_and_no_other(store):
    run, other = store.create("k", {}), store.create("k", {})
    files = [store.file_path(run, name) for name in (f"run-{run}.keras", f"run-{run}.npz",
                                                     f"char-{run}.chars.json", "space.npz")]
    legacy = store.path.parent / "models" / f"run-{run}.snapshots.npz"  # from before recording
    kept = store.file_path(other, f"run-{other}.keras")
    for path in [*files, legacy, kept]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    store.finish(run, "finished")
    removed = store.delete(run)
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
    teacher = people.sign_in(Person("teacher-browser-0003", "Ms T"), a_class)
    store.remember(teacher)
    assert store.person(teacher.id).instructor  # a reload keeps it
    store.remember(ANN)
    assert not store.person(ANN.id).instructor
    monkeypatch.setenv(people.KEY_ENV, "a-new-key")  # the lab restarted with another key
    assert not store.person(teacher.id).instructor


def test_the_key_can_come_from_streamlits_secrets_file_and_a_change_is_seen(tmp_path,
                                                                              monkeypatch):
    import os

    secrets = tmp_path / "secrets.toml"
    monkeypatch.setattr(people, "SECRETS_FILE", secrets)
    assert people.instructor_key() is None
    secrets.write_text('instructor_key = "first"\n')
    assert people.instructor_key() == "first" and people.is_class()
    secrets.write_text('instructor_key = "second"\n')
    os.utime(secrets, ns=(secrets.stat().st_atime_ns, secrets.stat().st_mtime_ns + 10**9))
    assert people.instructor_key() == "second"
