/* Embree 3 peer for the mesh benchmark: the same meshes, instances and rays as
   `ScnMeshBench SCENE DIR`, traced one ray at a time (rtcIntersect1) on one thread
   (device "threads=1"), the ground plane z = 0 as a two-triangle quad of ±10 km.
   Files (little-endian), written by ScnMeshBench:
     meshes.bin     u32 meshCount; per mesh: u32 vertexCount, u32 triangleCount,
                    f32 xyz per vertex, u32 three indices per triangle
     instances.bin  u32 count; per instance: u32 mesh, f32[12] 3x4 column-major transform
     rays.bin       u32 count; per ray f32 origin xyz, direction xyz
     ours_t.bin     f64 per ray: our closest-hit t (inf for a miss)
   Prints Embree's rays/s, its hit count and how many rays agree with ours.
   Build: gcc -O2 -o embree_rays embree_rays.c -lembree3   Usage: embree_rays DIR [REPEATS] */
#include <embree3/rtcore.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *read_all(const char *dir, const char *name, size_t *size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "cannot open %s\n", path); exit(1); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *data = malloc((size_t)n + 1);
  if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "cannot read %s\n", path); exit(1); }
  fclose(f);
  if (size) *size = (size_t)n;
  return data;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the calling thread: on a shared machine it moves far less than wall time. */
static double thread_cpu(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: embree_rays DIR [REPEATS]\n"); return 2; }
  int repeats = argc > 2 ? atoi(argv[2]) : 5;
  RTCDevice device = rtcNewDevice("threads=1");
  if (!device) { fprintf(stderr, "rtcNewDevice failed\n"); return 1; }

  double buildStart = now();
  const uint8_t *m = read_all(argv[1], "meshes.bin", NULL);
  uint32_t meshCount;
  memcpy(&meshCount, m, 4);
  m += 4;
  RTCScene *meshScenes = calloc(meshCount, sizeof *meshScenes);
  for (uint32_t k = 0; k < meshCount; k++) {
    uint32_t vertexCount, triangleCount;
    memcpy(&vertexCount, m, 4);
    memcpy(&triangleCount, m + 4, 4);
    m += 8;
    RTCGeometry geometry = rtcNewGeometry(device, RTC_GEOMETRY_TYPE_TRIANGLE);
    float *vertices = rtcSetNewGeometryBuffer(geometry, RTC_BUFFER_TYPE_VERTEX, 0, RTC_FORMAT_FLOAT3,
                                              3 * sizeof(float), vertexCount);
    memcpy(vertices, m, (size_t)vertexCount * 12);
    m += (size_t)vertexCount * 12;
    unsigned *indices = rtcSetNewGeometryBuffer(geometry, RTC_BUFFER_TYPE_INDEX, 0, RTC_FORMAT_UINT3,
                                                3 * sizeof(unsigned), triangleCount);
    memcpy(indices, m, (size_t)triangleCount * 12);
    m += (size_t)triangleCount * 12;
    rtcCommitGeometry(geometry);
    meshScenes[k] = rtcNewScene(device);
    rtcAttachGeometry(meshScenes[k], geometry);
    rtcReleaseGeometry(geometry);
    rtcCommitScene(meshScenes[k]);
  }

  RTCScene scene = rtcNewScene(device);
  const uint8_t *in = read_all(argv[1], "instances.bin", NULL);
  uint32_t instanceCount;
  memcpy(&instanceCount, in, 4);
  in += 4;
  for (uint32_t i = 0; i < instanceCount; i++) {
    uint32_t mesh;
    float xfm[12];
    memcpy(&mesh, in, 4);
    memcpy(xfm, in + 4, 48);
    in += 52;
    RTCGeometry instance = rtcNewGeometry(device, RTC_GEOMETRY_TYPE_INSTANCE);
    rtcSetGeometryInstancedScene(instance, meshScenes[mesh]);
    rtcSetGeometryTransform(instance, 0, RTC_FORMAT_FLOAT3X4_COLUMN_MAJOR, xfm);
    rtcCommitGeometry(instance);
    rtcAttachGeometry(scene, instance);
    rtcReleaseGeometry(instance);
  }
  /* The ground plane z = 0 (ours is analytic). */
  RTCGeometry ground = rtcNewGeometry(device, RTC_GEOMETRY_TYPE_TRIANGLE);
  float *gv = rtcSetNewGeometryBuffer(ground, RTC_BUFFER_TYPE_VERTEX, 0, RTC_FORMAT_FLOAT3, 12, 4);
  const float g[12] = {-1e4f, -1e4f, 0, 1e4f, -1e4f, 0, 1e4f, 1e4f, 0, -1e4f, 1e4f, 0};
  memcpy(gv, g, sizeof g);
  unsigned *gi = rtcSetNewGeometryBuffer(ground, RTC_BUFFER_TYPE_INDEX, 0, RTC_FORMAT_UINT3, 12, 2);
  const unsigned gidx[6] = {0, 1, 2, 0, 2, 3};
  memcpy(gi, gidx, sizeof gidx);
  rtcCommitGeometry(ground);
  rtcAttachGeometry(scene, ground);
  rtcReleaseGeometry(ground);
  rtcCommitScene(scene);
  double buildSeconds = now() - buildStart;

  const uint8_t *r = read_all(argv[1], "rays.bin", NULL);
  uint32_t rayCount;
  memcpy(&rayCount, r, 4);
  const float *rays = (const float *)(r + 4);
  size_t oursSize;
  const double *ours = read_all(argv[1], "ours_t.bin", &oursSize);
  if (oursSize != (size_t)rayCount * 8) { fprintf(stderr, "ours_t.bin does not match rays.bin\n"); return 1; }
  float *t = malloc((size_t)rayCount * sizeof(float));

  double best = INFINITY, bestCPU = INFINITY;
  for (int rep = 0; rep < repeats; rep++) {
    struct RTCIntersectContext context;
    rtcInitIntersectContext(&context);
    double start = now(), startCPU = thread_cpu();
    for (uint32_t k = 0; k < rayCount; k++) {
      const float *q = rays + (size_t)k * 6;
      struct RTCRayHit rh;
      rh.ray.org_x = q[0]; rh.ray.org_y = q[1]; rh.ray.org_z = q[2];
      rh.ray.dir_x = q[3]; rh.ray.dir_y = q[4]; rh.ray.dir_z = q[5];
      rh.ray.tnear = 0; rh.ray.tfar = INFINITY; rh.ray.time = 0; rh.ray.mask = 0xFFFFFFFF;
      rh.ray.id = 0; rh.ray.flags = 0;
      rh.hit.geomID = RTC_INVALID_GEOMETRY_ID;
      rh.hit.instID[0] = RTC_INVALID_GEOMETRY_ID;
      rtcIntersect1(scene, &context, &rh);
      t[k] = rh.hit.geomID == RTC_INVALID_GEOMETRY_ID ? INFINITY : rh.ray.tfar;
    }
    double elapsed = now() - start, elapsedCPU = thread_cpu() - startCPU;
    if (elapsed < best) best = elapsed;
    if (elapsedCPU < bestCPU) bestCPU = elapsedCPU;
  }
  uint32_t hits = 0, agree = 0;
  for (uint32_t k = 0; k < rayCount; k++) {
    if (isfinite(t[k])) hits++;
    /* Agreement: both miss, or both hit within 1 mm + 1e-5 relative (Float32 geometry and
       transforms on Embree's side, double on ours). */
    if ((!isfinite(t[k]) && !isfinite(ours[k])) ||
        (isfinite(t[k]) && isfinite(ours[k]) && fabs(t[k] - ours[k]) <= 1e-3 + 1e-5 * fabs(ours[k])))
      agree++;
  }
  printf("embree_build_seconds %g\n", buildSeconds);
  printf("embree_rays_per_second %g wall, %g thread CPU\n", rayCount / best, rayCount / bestCPU);
  printf("embree_hits %u\n", hits);
  printf("rays_agreeing %u of %u\n", agree, rayCount);
  rtcReleaseScene(scene);
  for (uint32_t k = 0; k < meshCount; k++) rtcReleaseScene(meshScenes[k]);
  rtcReleaseDevice(device);
  return 0;
}
