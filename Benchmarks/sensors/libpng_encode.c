/* C libpng peer for the PNG benchmark: the same 640x480 RGB image, zlib level 1, SUB
   filter, written to memory through png_set_write_fn, as the Swift encoder does. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { unsigned char *data; size_t size, capacity; } buffer;

static void on_write(png_structp png, png_bytep data, size_t length) {
  buffer *b = (buffer *)png_get_io_ptr(png);
  if (b->size + length > b->capacity) {
    size_t capacity = b->capacity ? b->capacity : 65536;
    while (capacity < b->size + length) capacity *= 2;
    b->data = realloc(b->data, capacity);
    if (b->data == NULL) png_error(png, "out of memory");
    b->capacity = capacity;
  }
  memcpy(b->data + b->size, data, length);
  b->size += length;
}

static void on_flush(png_structp png) { (void)png; }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int iterations = atoi(argv[2]);
  char path[4096];
  snprintf(path, sizeof path, "%s/smooth.rgb", argv[1]);
  FILE *f = fopen(path, "rb");
  if (!f) return 1;
  static unsigned char image[640 * 480 * 3];
  if (fread(image, 1, sizeof image, f) != sizeof image) return 1;
  fclose(f);
  double best = 1e9;
  size_t size = 0;
  for (int i = 0; i < iterations; i++) {
    buffer b = {0};
    double start = now();
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) return 1;
    png_set_write_fn(png, &b, on_write, on_flush);
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_IHDR(png, info, 640, 480, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE,
                 PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    for (int y = 0; y < 480; y++) png_write_row(png, image + y * 640 * 3);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    double elapsed = now() - start;
    if (elapsed < best) best = elapsed;
    size = b.size;
    free(b.data);
  }
  printf("c_libpng_ms %f bytes %zu\n", best * 1e3, size);
  return 0;
}
