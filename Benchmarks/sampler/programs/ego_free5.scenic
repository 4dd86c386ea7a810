# An ego and five free 0.4 m boxes anywhere in a 100 m square, any heading, overlap allowed.
ego = new Object at (0, 0, 0.2), facing 0 deg,
    with width 0.4, with length 0.4, with height 0.4, with allowCollisions True
for i in range(5):
    new Object at (Range(-50, 50), Range(-50, 50), 0.2), facing Range(0, 360) deg,
        with width 0.4, with length 0.4, with height 0.4, with allowCollisions True
