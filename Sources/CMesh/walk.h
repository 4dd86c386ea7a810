// One instantiation of the mesh walk (`MeshTraversal.intersect`), included by mesh.c once per
// path and query kind with these macros set (and undefined again after):
//   WALK_NAME  the function's name;
//   WALK_ATTR  its attributes (the AVX2 path's target);
//   WALK_ANY   1: an any-hit query (return at the first hit found), 0: the nearest hit;
//   WALK_KIND  WALK_PORTABLE, WALK_SSE or WALK_AVX2: the node test and the ray set-up.
// Each instantiation is a function of its own, so that the register allocator sees only the
// one node test and the one query kind it runs (one function with every path inlined spilled
// the walk's state to the stack on every node).

WALK_ATTR __attribute__((noinline)) static int WALK_NAME(
  const cmesh_view *restrict mesh, const cmesh_query *restrict q, const double o[3], const double d[3],
  cmesh_scratch *restrict scratch, double *restrict t_out) {
  if (mesh->node_count <= 0) return 0;
  const double tiny = q->tiny;
  const double t_min = q->t_min;
  const float lower = q->lower_limit;
  double best = q->t_max;
  int found = 0;
  long best_slot = 0;
  // The kept hit's barycentric dividends and divisor (`wray_hit`), divided at the end.
  double best_e1 = 0, best_e2 = 0, best_det = 1;
  float upper = upper_limit(best, q->upper_scale, q->upper_offset);
  const double *restrict triangles = mesh->triangles;
  const uint32_t *restrict tos = mesh->triangle_of_slot;
  const double *normals = mesh->normals;
  const unsigned char *restrict nodes = (const unsigned char *)mesh->nodes;
  uint32_t *restrict stack = scratch->stack;
  wray w;
#if WALK_KIND == WALK_AVX2
  wray4 w4;
#endif

  // `FloatRay`: the reciprocals in double (kept for the shear), rounded to Float32.
  double recip[3];
  fray r;
  prepare_fray(o, d, tiny, recip, &r);
  // The shear, prepared at the first leaf reached (many rays miss both children of the root).
  int prepared = 0;
#if WALK_KIND == WALK_AVX2
  ray8 r8;
  prepare_avx2(&r, &r8);
  __m128 lower4 = _mm_set1_ps(lower), upper4 = _mm_set1_ps(upper);
#elif WALK_KIND == WALK_SSE
  fray4 v4 = fray4_of(&r);
  __m128 lower4 = _mm_set1_ps(lower), upper4 = _mm_set1_ps(upper);
#endif

  long seed = scratch->seed;
  if (seed >= 0 && seed < mesh->slot_count) {
    wray_init(&w, o, d, recip, tiny);
#if WALK_KIND == WALK_AVX2
    wray4_of(&w, &w4);
#endif
    prepared = 1;
    double t, e1, e2, det;
    if (wray_hit(&w, triangles + seed * 9, t_min, best, 0, &t, &e1, &e2, &det)) {
      best = t;
      best_e1 = e1;
      best_e2 = e2;
      best_det = det;
      best_slot = seed;
      found = 1;
      if (WALK_ANY) goto done;
      upper = upper_limit(best, q->upper_scale, q->upper_offset);
#if WALK_KIND != WALK_PORTABLE
      upper4 = _mm_set1_ps(upper);
#endif
    }
  }

  long size = 0;
  uint32_t node = 0;
  for (;;) {
    const unsigned char *base = nodes + (size_t)node * 64;
#if WALK_KIND == WALK_AVX2
    int test = node_avx2(&r8, base, lower4, upper4);
#elif WALK_KIND == WALK_SSE
    int test = node_sse(&r, &v4, base, lower4, upper4);
#else
    int test = node_portable(&r, base, lower, upper);
#endif
    // Bit 2: lane 0's entry is not farther than lane 1's (meaningful when both are entered).
    int enter0 = test & 1, enter1 = (test >> 1) & 1, nearer1 = !((test >> 2) & 1);
    uint32_t child0 = load_u32(base + 48), child1 = load_u32(base + 52);
    uint32_t count0 = load_u32(base + 56), count1 = load_u32(base + 60);
    // Both children's first lines are requested while the slab test runs (whichever is
    // entered is read next): a node, or a leaf's first triangle.
    __builtin_prefetch(count0 ? (const void *)(triangles + (size_t)child0 * 9) : (const void *)(nodes + (size_t)child0 * 64));
    __builtin_prefetch(count1 ? (const void *)(triangles + (size_t)child1 * 9) : (const void *)(nodes + (size_t)child1 * 64));
    if ((count0 | count1) == 0) {
      // `BVHWalk.descendInterior` with one data-dependent branch (entered or not): the farther
      // child is written to the stack's next entry whatever the answer and counted only when
      // both are entered (that entry is within the stack: a push there is), and the child to
      // visit is selected, not branched to.
      int both = enter0 & enter1;
      stack[size] = nearer1 ? child0 : child1;
      size += both;
      if (__builtin_expect(enter0 | enter1, 1)) {
        node = both ? (nearer1 ? child1 : child0) : (enter0 ? child0 : child1);
        continue;
      }
      if (size == 0) break;
      node = stack[--size];
      continue;
    }
    // At least one child is a leaf (`BVHWalk.advance` after the lanes): the entered children
    // nearer first (lane 0 on a tie), a leaf's triangles tested at once, the first interior
    // child entered visited next and a second one deferred.
    long next = -1, push = -1;
    int swap = nearer1 & enter0 & enter1;
    uint32_t child_a = swap ? child1 : child0, count_a = swap ? count1 : count0;
    uint32_t child_b = swap ? child0 : child1, count_b = swap ? count0 : count1;
    int enter_a = swap ? enter1 : enter0, enter_b = swap ? enter0 : enter1;
    // A root over a handful of triangles names the same leaf in both lanes.
    if (child0 == child1 && count0 == count1) enter_b = 0;
#if WALK_KIND == WALK_AVX2
#define WALK_PREPARE()                \
  if (!prepared) {                    \
    wray_init(&w, o, d, recip, tiny); \
    wray4_of(&w, &w4);                \
    prepared = 1;                     \
  }
#else
#define WALK_PREPARE()                \
  if (!prepared) {                    \
    wray_init(&w, o, d, recip, tiny); \
    prepared = 1;                     \
  }
#endif
#define WALK_KEEP(slot, t, e1, e2, det)                                 \
  {                                                                     \
    best = t;                                                           \
    best_e1 = e1;                                                       \
    best_e2 = e2;                                                       \
    best_det = det;                                                     \
    best_slot = slot;                                                   \
    found = 1;                                                          \
    if (WALK_ANY) goto done;                                            \
    /* The caller's normal reads the hit's vertex normals next. */     \
    if (normals) __builtin_prefetch(normals + (slot) * 9);              \
    upper = upper_limit(best, q->upper_scale, q->upper_offset);                                       \
    WALK_UPPER4()                                                       \
  }
    // After a first hit, one at exactly the same t is kept when its triangle comes first in the
    // mesh: the answer is the least (t, triangle), whatever the tree.
#if WALK_KIND == WALK_AVX2
    // Four triangles a pass (`leaf_avx2`), then the lanes it passes in slot order, each
    // checked as `wray_hit` would with the limit and kept hit of that moment.
#define WALK_LEAF(first, count)                                                                    \
  {                                                                                                \
    WALK_PREPARE()                                                                                 \
    long end = (long)(first) + (long)(count);                                                      \
    for (long group = (first); group < end; group += 4) {                                          \
      long n = end - group < 4 ? end - group : 4;                                                  \
      double lt[4], le1[4], le2[4], ldet[4];                                                       \
      int pass = leaf_avx2(&w, &w4, triangles + group * 9, n, t_min, best, lt, le1, le2, ldet);    \
      while (pass) {                                                                               \
        int lane = __builtin_ctz((unsigned)pass);                                                  \
        pass &= pass - 1;                                                                          \
        long slot = group + lane;                                                                  \
        double t = lt[lane];                                                                       \
        if (((t < best) | ((WALK_ANY ? 0 : found) & (t == best))) &&                               \
            (WALK_ANY || t < best || tos[slot] < tos[best_slot]))                                  \
          WALK_KEEP(slot, t, le1[lane], le2[lane], ldet[lane])                                     \
      }                                                                                            \
    }                                                                                              \
  }
#else
    // After a first hit, one at exactly the same t is kept when its triangle comes first in the
    // mesh: the answer is the least (t, triangle), whatever the tree.
#define WALK_LEAF(first, count)                                                                    \
  {                                                                                                \
    WALK_PREPARE()                                                                                 \
    long end = (long)(first) + (long)(count);                                                      \
    for (long slot = (first); slot < end; slot++) {                                                \
      double t, e1, e2, det;                                                                       \
      if (wray_hit(&w, triangles + slot * 9, t_min, best, WALK_ANY ? 0 : found, &t, &e1, &e2, &det) && \
          (WALK_ANY || t < best || tos[slot] < tos[best_slot]))                                    \
        WALK_KEEP(slot, t, e1, e2, det)                                                            \
    }                                                                                              \
  }
#endif
#if WALK_KIND != WALK_PORTABLE
#define WALK_UPPER4() upper4 = _mm_set1_ps(upper);
#else
#define WALK_UPPER4()
#endif
    if (enter_a) {
      if (count_a != 0)
        WALK_LEAF(child_a, count_a)
      else
        next = child_a;
    }
    if (enter_b) {
      if (count_b != 0)
        WALK_LEAF(child_b, count_b)
      else if (next < 0)
        next = child_b;
      else
        push = child_b;
    }
#undef WALK_LEAF
#undef WALK_KEEP
#undef WALK_PREPARE
#undef WALK_UPPER4
    if (push >= 0) stack[size++] = (uint32_t)push;
    if (next >= 0) {
      node = (uint32_t)next;
      continue;
    }
    if (size == 0) break;
    node = stack[--size];
  }
done:
  (void)prepared;
  if (!found) return 0;
  scratch->slot = best_slot;
  scratch->u = best_e1 / best_det;
  scratch->v = best_e2 / best_det;
  *t_out = best;
  return 1;
}
