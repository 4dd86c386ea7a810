#ifndef CMESH_H
#define CMESH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma clang assume_nonnull begin

/// The bottom level of the two-level ray walk: one triangle mesh's BVH, walked in C
/// (Sources/CMesh/README.md). The Swift reference is `MeshTraversal.intersect` in
/// Sources/ScnSensors/Tracing/MeshBVH.swift; every path here gives its bits: the same hit
/// distance, barycentric weights and leaf slot, from the same IEEE operations in the same
/// order, never fused.

/// Which code runs: the best the processor has, or one forced (for tests and measurements).
enum {
  CMESH_PATH_AUTO = 0,
  CMESH_PATH_PORTABLE = 1,
  /// Both children's slab tests of a node in one pass of 128-bit SSE lanes (x86-64 only).
  CMESH_PATH_SSE = 2,
  /// Both children's slab tests of a node from two 32-byte loads, blended by the ray's signs
  /// (x86-64 processors with AVX2, chosen at run time).
  CMESH_PATH_AVX2 = 3
};

/// The path `path` resolves to on this processor: AUTO becomes the best one available (AVX2,
/// else SSE on x86-64; portable elsewhere) capped by `SCN_CPU_PATH` (CDevelop's
/// `cdevelop_cpu_level`, which every C kernel follows), a forced AVX2 path on an x86-64
/// processor without AVX2 becomes SSE, and a forced vector path on another processor becomes
/// PORTABLE. A forced path (tests and measurements) is not capped by `SCN_CPU_PATH`.
int cmesh_resolve_path(int path);

/// One mesh's BVH (`MeshView`): `node_count` 64-byte nodes (`BVH`'s layout: lower x, y, z
/// and upper x, y, z of both children as Float32 pairs, then child0, child1, count0, count1),
/// nine doubles per leaf slot (the triangle's v0, v1, v2), per slot the triangle's index in
/// the mesh, and `slot_count` slots. `normals` (nine doubles per slot, or NULL) is not read
/// by the walk.
typedef struct cmesh_view {
  const void *nodes;
  long node_count;
  const double *triangles;
  const double *_Nullable normals;
  const uint32_t *triangle_of_slot;
  long slot_count;
} cmesh_view;

/// Where a ray met a mesh (`MeshHitScratch`): the walk's node stack (the mesh's BVH depth +
/// 2 entries), and the leaf slot and barycentric weights of v1 and v2 of the last hit kept.
/// `seed`: a leaf slot tested before any node, or −1 (a slot past the mesh's is ignored).
typedef struct cmesh_scratch {
  uint32_t *stack;
  long slot;
  double u;
  double v;
  long seed;
} cmesh_scratch;

/// A query: the ray origin + t·direction, t in (t_min, t_max); the nearest hit, or with
/// `any_hit` the first found. `lower_limit` is `FloatRay.lowerLimit(t_min)`; `tiny`,
/// `upper_scale` and `upper_offset` are `FloatRay`'s constants, passed in so that C uses the
/// very values Swift's literals produce.
typedef struct cmesh_query {
  double origin[3];
  double direction[3];
  double t_min;
  double t_max;
  double tiny;
  float lower_limit;
  float upper_scale;
  float upper_offset;
  int any_hit;
} cmesh_query;

/// `MeshTraversal.intersect` with the ray given in the mesh frame: returns 1 and the hit
/// distance in `*t` (and the hit in `scratch`) when a triangle is hit, 0 otherwise
/// (`scratch`'s hit untouched).
int cmesh_intersect(const cmesh_view *mesh, const cmesh_query *query, cmesh_scratch *scratch, double *t, int path);

/// `PrimitiveIntersection.instance`: the ray given in the world, moved into the mesh frame
/// by the instance record's rotation (doubles 0–8, world → local rows) and frame origin
/// (doubles 9–11) as `PrimitiveIntersection.toLocal` does, then `cmesh_intersect`.
int cmesh_intersect_instance(
  const double *record, const cmesh_view *mesh, const cmesh_query *query, cmesh_scratch *scratch, double *t,
  int path);

/// The most rays `cmesh_intersect_instance_packet` takes at once (one per float lane of AVX2).
enum { CMESH_PACKET_MAX = 8 };

/// A closest hit of a packet's ray: distance, barycentric weights of v1 and v2, leaf slot
/// (what `cmesh_scratch` records after `cmesh_intersect_instance`).
typedef struct cmesh_hit {
  double t;
  double u;
  double v;
  long slot;
} cmesh_hit;

/// Up to `CMESH_PACKET_MAX` closest-hit queries through one instance, one array entry per
/// ray: origin, direction, window (t_min, t_max) and `FloatRay.lowerLimit(t_min)`; `tiny`,
/// `upper_scale` and `upper_offset` as in `cmesh_query`.
typedef struct cmesh_packet {
  double ox[CMESH_PACKET_MAX], oy[CMESH_PACKET_MAX], oz[CMESH_PACKET_MAX];
  double dx[CMESH_PACKET_MAX], dy[CMESH_PACKET_MAX], dz[CMESH_PACKET_MAX];
  double t_min[CMESH_PACKET_MAX], t_max[CMESH_PACKET_MAX];
  float lower_limit[CMESH_PACKET_MAX];
  double tiny;
  float upper_scale;
  float upper_offset;
} cmesh_packet;

/// Sets ray `k` of `packet`.
static inline void cmesh_packet_set(
  cmesh_packet *packet, long k, double ox, double oy, double oz, double dx, double dy, double dz, double t_min,
  double t_max, float lower_limit) {
  packet->ox[k] = ox;
  packet->oy[k] = oy;
  packet->oz[k] = oz;
  packet->dx[k] = dx;
  packet->dy[k] = dy;
  packet->dz[k] = dz;
  packet->t_min[k] = t_min;
  packet->t_max[k] = t_max;
  packet->lower_limit[k] = lower_limit;
}

/// `cmesh_intersect_instance`'s closest hit for each of the first `count` (1 to
/// `CMESH_PACKET_MAX`) rays of `packet` (no seed is tested) through one instance: bit i of the
/// result is set when ray i hits, and `hits[i]` then holds its hit, the very bits
/// `cmesh_intersect_instance` answers (the least (t, triangle) does not depend on the walk's
/// order). On the AVX2 path the rays walk the mesh's BVH together (one node fetch and one
/// eight-lane slab test per child for all of them; a leaf's triangles against four rays at a
/// time when the rays share one axis permutation); on the other paths each ray walks alone.
/// `stack`: 2 × (the mesh's BVH depth + 2) entries.
unsigned cmesh_intersect_instance_packet(
  const double *record, const cmesh_view *mesh, const cmesh_packet *packet, long count, uint32_t *stack,
  cmesh_hit *hits, int path);

/// A vector of three doubles (a normal).
typedef struct cmesh_vec3 {
  double x, y, z;
} cmesh_vec3;

/// `PrimitiveIntersection.instanceNormal`: the unit normal, in the world, of the triangle at
/// leaf slot `slot` at barycentric (u, v) (a hit `cmesh_intersect_instance` reported), facing
/// the world ray direction (dx, dy, dz): the direction moved into the mesh frame by the
/// record's rotation, `MeshTraversal.facingNormal` (the geometric normal turned towards the
/// ray, or the interpolated vertex normal turned to its side), and the result rotated back.
/// The Swift code's operations in its order, so the same bits.
cmesh_vec3 cmesh_instance_normal(
  const double *record, const cmesh_view *mesh, long slot, double u, double v, double dx, double dy, double dz);

#pragma clang assume_nonnull end

#ifdef __cplusplus
}
#endif

#endif
