# (3) A requirement that accepts about 1% of attempts.
x = Range(0, 1)
obj = new Object at (Range(-10, 10), 0, 0.2), facing Range(0, 360) deg,
    with width 0.4, with length 0.4, with height 0.4
require x < 0.01
