// Micro-benchmark of the CDevelop and CShade kernels alone (see run.sh): every path the
// processor has, on a synthetic 640 x 480 frame, with a check that each vector path gives
// the portable path's bytes and doubles (the Swift tests are the reference: see
// Tests/ScnSensorsTests/DevelopRowTests.swift and GroundKernelTests.swift).
#include "cdevelop.h"
#include "cshade.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { WIDTH = 640, HEIGHT = 480, REPEATS = 7, CHUNK = 256 };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static uint64_t state = 0x1234567;
static double unit(void) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return (double)(state >> 11) * 0x1.0p-53;
}

static const char *names[] = {"auto", "portable", "avx2", "avx512"};

// Develop: a frame whose top third is bright sky (about one channel in ten of it above the
// tone curve's knee), the rest darker scenery.
static void bench_develop(void) {
  // Stand-ins of the sizes of NoiseVariates.table and Develop.toneTable.
  enum { TONE = 9339 };
  static float noise[4096];
  static uint8_t tone[TONE];
  for (int i = 0; i < 4096; i++) noise[i] = 4.0f * (4096 - i) / 4096;
  for (int i = 0; i < TONE; i++) tone[i] = (uint8_t)(255.0 * sqrt((i < 4096 ? i : 4095) / 4095.0));
  double *colours = malloc(sizeof(double) * 4 * WIDTH * HEIGHT);
  for (int y = 0; y < HEIGHT; y++) {
    for (int x = 0; x < WIDTH; x++) {
      double *c = colours + 4 * (y * WIDTH + x);
      double base = y < HEIGHT / 3 ? 0.45 + 0.38 * unit() : 0.02 + 0.5 * unit();
      c[0] = base * (0.9 + 0.1 * unit());
      c[1] = base * (0.9 + 0.1 * unit());
      c[2] = base * (0.9 + 0.2 * unit());
      c[3] = 0;
    }
  }
  cdevelop_params p = {1.0f, 0.004f, 1e-5f, {1.05f, 1.0f, 0.92f}, (TONE - 1) / 4095.0f, 0x9E3779B97F4A7C15ull * 77,
                       noise, tone};
  uint8_t *reference = malloc(3 * WIDTH * HEIGHT), *rgb = malloc(3 * WIDTH * HEIGHT);
  cdevelop_rows(&p, colours, WIDTH, HEIGHT, 0, WIDTH, reference, CDEVELOP_PATH_PORTABLE);
  for (int path = CDEVELOP_PATH_PORTABLE; path <= CDEVELOP_PATH_AVX2; path++) {
    if (cdevelop_resolve_path(path) != path) continue;
    double best = 1e9;
    for (int r = 0; r < REPEATS; r++) {
      memset(rgb, 0xAA, 3 * WIDTH * HEIGHT);
      double start = now();
      cdevelop_rows(&p, colours, WIDTH, HEIGHT, 0, WIDTH, rgb, path);
      double took = now() - start;
      if (took < best) best = took;
    }
    int same = memcmp(rgb, reference, 3 * WIDTH * HEIGHT) == 0;
    printf("develop %-8s %7.3f ms per frame  %5.2f ns per channel  %s\n", names[path], 1e3 * best,
           1e9 * best / (3.0 * WIDTH * HEIGHT), same ? "same bytes as portable" : "DIFFERENT BYTES");
  }
  free(colours);
  free(reference);
  free(rgb);
}

// Ground: the lower half of a 640 x 480, 70° camera 1.4 m above level ground, every pixel
// hitting it, nine in ten lit, in pieces of 256 as SceneIntersector.shadeGround hands them.
static void bench_ground(void) {
  long n = WIDTH * (HEIGHT / 2);
  double *in = malloc(sizeof(double) * 7 * n);
  uint8_t *lit = malloc(n);
  double *t = in, *nx = in + n, *ny = in + 2 * n, *nz = in + 3 * n, *dx = in + 4 * n, *dy = in + 5 * n, *dz = in + 6 * n;
  double focal = (WIDTH / 2) / tan(35.0 * M_PI / 180);
  for (long k = 0; k < n; k++) {
    long row = k / WIDTH + HEIGHT / 2, column = k % WIDTH;
    dx[k] = 1;
    dy[k] = (WIDTH / 2 - column - 0.5) / focal;
    dz[k] = (HEIGHT / 2 - row - 0.5) / focal;
    t[k] = 1.4 / -dz[k];
    nx[k] = 0;
    ny[k] = 0;
    nz[k] = 1;
    lit[k] = unit() < 0.9;
  }
  double *out = malloc(sizeof(double) * 8 * n), *reference = malloc(sizeof(double) * 8 * n);
  const char *materials[] = {"plain", "asphalt", "paint"};
  for (int material = CSHADE_PLAIN; material <= CSHADE_PAINT; material++) {
    cshade_ground_params p = {
      .origin = {3, -1, 1.4}, .ray_angle = (70.0 * M_PI / 180) / WIDTH, .material = material, .fog = 0, .wet = 0,
      .colour = {0.3, 0.28, 0.25}, .roughness = material == CSHADE_PAINT ? 0.5 : 0.9, .metallic = 0,
      .snow_cover = 0, .puddle_cover = 0,
      .light = {
        .sun = {0.5, 0.3, 0.8124}, .sun_strength = 3.2, .ambient = 0.7, .horizon = {0.75, 0.8, 0.9},
        .zenith = {0.25, 0.4, 0.8}, .ground_radiance = {0.2, 0.2, 0.18}, .sky_mean = {0.5, 0.6, 0.8},
        .extinction = 0}};
    for (int path = CDEVELOP_PATH_PORTABLE; path <= CDEVELOP_PATH_AVX512; path++) {
      if (cdevelop_resolve_path(path) != path) continue;
      double *o = path == CDEVELOP_PATH_PORTABLE ? reference : out;
      double best = 1e9;
      for (int r = 0; r < REPEATS; r++) {
        double start = now();
        for (long from = 0; from < n; from += CHUNK) {
          long count = n - from < CHUNK ? n - from : CHUNK;
          cshade_ground_hits h = {t + from, nx + from, ny + from, nz + from, dx + from, dy + from, dz + from, lit + from};
          cshade_ground_out w = {o + from, o + n + from, o + 2 * n + from, o + 3 * n + from, o + 4 * n + from,
                                 o + 5 * n + from, o + 6 * n + from, o + 7 * n + from};
          cshade_ground(&p, &h, count, &w, path);
        }
        double took = now() - start;
        if (took < best) best = took;
      }
      int same = path == CDEVELOP_PATH_PORTABLE || memcmp(out, reference, sizeof(double) * 8 * n) == 0;
      printf("ground  %-8s %-8s %7.3f ms per 640x240  %6.1f ns per pixel  %s\n", names[path], materials[material],
             1e3 * best, 1e9 * best / n, same ? "same doubles as portable" : "DIFFERENT DOUBLES");
    }
  }
  free(in);
  free(lit);
  free(out);
  free(reference);
}

int main(int argc, char **argv) {
  int develop = argc < 2 || strcmp(argv[1], "ground") != 0;
  int ground = argc < 2 || strcmp(argv[1], "develop") != 0;
  if (develop) bench_develop();
  if (ground) bench_ground();
  return 0;
}
