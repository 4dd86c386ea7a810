# (2) Ten 0.4 m boxes in a 40 m square, every pair more than 2 m apart, and no overlap
# (Scenic rejects intersecting objects by default).
objs = []
for i in range(10):
    objs.append(new Object at (Range(-20, 20), Range(-20, 20), 0.2), facing Range(0, 360) deg,
                    with width 0.4, with length 0.4, with height 0.4)
for i in range(10):
    for j in range(i):
        require (distance from objs[i] to objs[j]) > 2
