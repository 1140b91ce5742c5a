"""Sign-in helpers never hand out a TOTP code about to expire (the cause of a flaky browser journey)."""

from tests import factories


def test_a_code_near_the_end_of_its_window_waits_for_the_next_one(monkeypatch):
    clock = {"now": 1_000_000 * 30 + 28.5}  # 1.5 s before a boundary
    slept = []
    monkeypatch.setattr(factories.time, "time", lambda: clock["now"])

    def sleep(seconds):
        slept.append(seconds)
        clock["now"] += seconds

    monkeypatch.setattr(factories.time, "sleep", sleep)
    code = factories.totp_fresh()
    assert slept and 1.5 <= slept[0] < 2
    assert code == factories.totp_now()  # a code from the new window
    slept.clear()
    clock["now"] = 1_000_000 * 30 + 5  # early in a window: no wait
    factories.totp_fresh()
    assert slept == []
