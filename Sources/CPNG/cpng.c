#include "cpng.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct encode_context {
  cpng_buffer *out;
  int out_of_memory;
  char *error_message;
  size_t error_capacity;
} encode_context;

static void copy_message(encode_context *ctx, const char *message) {
  if (ctx->error_message == NULL || ctx->error_capacity == 0) return;
  strncpy(ctx->error_message, message, ctx->error_capacity - 1);
  ctx->error_message[ctx->error_capacity - 1] = '\0';
}

static void on_error(png_structp png, png_const_charp message) {
  encode_context *ctx = (encode_context *)png_get_error_ptr(png);
  copy_message(ctx, message);
  png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp message) {
  (void)png;
  (void)message;
}

static void on_write(png_structp png, png_bytep data, size_t length) {
  encode_context *ctx = (encode_context *)png_get_io_ptr(png);
  cpng_buffer *out = ctx->out;
  if (out->size + length > out->capacity) {
    size_t capacity = out->capacity ? out->capacity : 65536;
    while (capacity < out->size + length) capacity *= 2;
    unsigned char *grown = (unsigned char *)realloc(out->data, capacity);
    if (grown == NULL) {
      ctx->out_of_memory = 1;
      png_error(png, "out of memory");
    }
    out->data = grown;
    out->capacity = capacity;
  }
  memcpy(out->data + out->size, data, length);
  out->size += length;
}

static void on_flush(png_structp png) { (void)png; }

int cpng_encode(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
                int channels, int bit_depth, int compression_level, int filters,
                cpng_buffer *out, char *error_message, size_t error_capacity) {
  encode_context ctx = {out, 0, error_message, error_capacity};
  if (channels != 1 && channels != 3) {
    copy_message(&ctx, "channels must be 1 or 3");
    return 2;
  }
  if (bit_depth != 8 && bit_depth != 16) {
    copy_message(&ctx, "bit depth must be 8 or 16");
    return 2;
  }
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
  if (png == NULL) {
    copy_message(&ctx, "png_create_write_struct failed");
    return 3;
  }
  png_infop info = png_create_info_struct(png);
  if (info == NULL) {
    png_destroy_write_struct(&png, NULL);
    copy_message(&ctx, "png_create_info_struct failed");
    return 3;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return ctx.out_of_memory ? 4 : 1;
  }
  png_set_write_fn(png, &ctx, on_write, on_flush);
  png_set_compression_level(png, compression_level);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
  png_set_IHDR(png, info, width, height, bit_depth,
               channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
  png_write_info(png, info);
  for (uint32_t y = 0; y < height; y++) {
    png_write_row(png, (png_const_bytep)(rows + (size_t)y * row_bytes));
  }
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  return 0;
}

void cpng_buffer_free(cpng_buffer *buffer) {
  if (buffer == NULL) return;
  free(buffer->data);
  buffer->data = NULL;
  buffer->size = 0;
  buffer->capacity = 0;
}
