"""The workshop timebox, by hand: a 20-minute stage started, paused, run over and reset."""

from salesopt.timebox import Timebox, clock


def test_a_timebox_counts_only_while_running():
    t = Timebox(20)
    assert t.left(1000) == 1200  # not started: the whole 20 minutes
    t = t.start(1000)
    assert t.spent(1300) == 300 and clock(t.left(1300)) == "15:00"
    t = t.pause(1300)
    assert t.left(5000) == 900  # paused: the clock stands still
    t = t.start(5000).start(5100)  # starting twice changes nothing
    assert t.spent(5600) == 900 and clock(t.left(5600)) == "05:00"
    assert clock(t.left(6500)) == "+10:00"  # 10 minutes over
    assert t.reset().left(9999) == 1200
