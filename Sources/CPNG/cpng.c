#include "cpng.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct encode_context {
  cpng_buffer *out;
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
    if (grown == NULL) png_error(png, "out of memory");
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
  return cpng_encode_strategy(rows, row_bytes, width, height, channels, bit_depth, compression_level, filters,
                              CPNG_STRATEGY_DEFAULT, out, error_message, error_capacity);
}

int cpng_encode_strategy(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
                         int channels, int bit_depth, int compression_level, int filters, int strategy,
                         cpng_buffer *out, char *error_message, size_t error_capacity) {
  return cpng_encode_samples(rows, row_bytes, width, height, channels, bit_depth, compression_level, filters, strategy,
                             0, out, error_message, error_capacity);
}

static int host_is_little_endian(void);

uint32_t cpng_crc32(uint32_t crc, const unsigned char *data, size_t length) {
  return (uint32_t)crc32_z(crc, data, length);
}

uint32_t cpng_adler32(uint32_t adler, const unsigned char *data, size_t length) {
  return (uint32_t)adler32_z(adler, data, length);
}

int cpng_encode_samples(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
                        int channels, int bit_depth, int compression_level, int filters, int strategy,
                        int host_order, cpng_buffer *out, char *error_message, size_t error_capacity) {
  /* Nothing in ctx changes after setjmp, so it needs no volatile; the message goes to the
     caller's buffer. */
  encode_context ctx = {out, error_message, error_capacity};
  if (channels != 1 && channels != 3) {
    copy_message(&ctx, "channels must be 1 or 3");
    return 2;
  }
  if (bit_depth != 8 && bit_depth != 16) {
    copy_message(&ctx, "bit depth must be 8 or 16");
    return 2;
  }
  if (strategy != CPNG_STRATEGY_DEFAULT && strategy != CPNG_STRATEGY_RLE && strategy != CPNG_STRATEGY_HUFFMAN) {
    copy_message(&ctx, "unknown compression strategy");
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
    return 1;
  }
  png_set_write_fn(png, &ctx, on_write, on_flush);
  png_set_compression_level(png, compression_level);
  if (strategy != CPNG_STRATEGY_DEFAULT) png_set_compression_strategy(png, strategy);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
  png_set_IHDR(png, info, width, height, bit_depth,
               channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
  png_write_info(png, info);
  /* libpng swaps each row into its own row buffer: no copy of the image in the caller. */
  if (host_order && bit_depth == 16 && host_is_little_endian()) png_set_swap(png);
  for (uint32_t y = 0; y < height; y++) {
    png_write_row(png, (png_const_bytep)(rows + (size_t)y * row_bytes));
  }
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  return 0;
}

typedef struct read_context {
  const unsigned char *data;
  size_t length;
  size_t offset;
  char *error_message;
  size_t error_capacity;
} read_context;

static void copy_read_message(read_context *ctx, const char *message) {
  if (ctx->error_message == NULL || ctx->error_capacity == 0) return;
  strncpy(ctx->error_message, message, ctx->error_capacity - 1);
  ctx->error_message[ctx->error_capacity - 1] = '\0';
}

static void on_read_error(png_structp png, png_const_charp message) {
  copy_read_message((read_context *)png_get_error_ptr(png), message);
  png_longjmp(png, 1);
}

static void on_read(png_structp png, png_bytep data, size_t length) {
  read_context *ctx = (read_context *)png_get_io_ptr(png);
  if (length > ctx->length - ctx->offset) png_error(png, "truncated PNG");
  memcpy(data, ctx->data + ctx->offset, length);
  ctx->offset += length;
}

static int host_is_little_endian(void) {
  const uint16_t probe = 1;
  return *(const unsigned char *)&probe == 1;
}

int cpng_decode_samples(const unsigned char *png_bytes, size_t length, uint32_t max_width, uint32_t max_height,
                        cpng_buffer *out, uint32_t *width, uint32_t *height, int *channels, int *bit_depth,
                        char *error_message, size_t error_capacity) {
  /* Nothing local is written between setjmp and a longjmp that is read afterwards, so no
     local needs to be volatile: the pixels go to the caller's buffer, freed by the caller. */
  read_context ctx = {png_bytes, length, 0, error_message, error_capacity};
  if (png_bytes == NULL || length < 8 || png_sig_cmp(png_bytes, 0, 8) != 0) {
    copy_read_message(&ctx, "not a PNG file (bad signature)");
    return 2;
  }
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_read_error, on_warning);
  if (png == NULL) {
    copy_read_message(&ctx, "png_create_read_struct failed");
    return 3;
  }
  png_infop info = png_create_info_struct(png);
  if (info == NULL) {
    png_destroy_read_struct(&png, NULL, NULL);
    copy_read_message(&ctx, "png_create_info_struct failed");
    return 3;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, NULL);
    return 1;
  }
  /* A corrupt header must not make us allocate gigabytes: libpng rejects larger sizes. */
  png_set_user_limits(png, max_width, max_height);
  png_set_read_fn(png, &ctx, on_read);
  png_read_info(png, info);
  int color_type = png_get_color_type(png, info);
  int depth = png_get_bit_depth(png, info);
  int is_grey = color_type == PNG_COLOR_TYPE_GRAY;
  int is_rgb = color_type == PNG_COLOR_TYPE_RGB;
  if (!((is_grey && (depth == 8 || depth == 16)) || (is_rgb && depth == 8))) {
    char message[96];
    snprintf(message, sizeof message, "unsupported PNG layout (colour type %d, bit depth %d)", color_type, depth);
    png_error(png, message);
  }
  if (depth == 16 && host_is_little_endian()) png_set_swap(png);
  int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  uint32_t w = png_get_image_width(png, info);
  uint32_t h = png_get_image_height(png, info);
  size_t row_bytes = png_get_rowbytes(png, info);
  size_t total = row_bytes * (size_t)h;
  if (h == 0 || w == 0 || total / h != row_bytes) png_error(png, "image size out of range");
  out->data = (unsigned char *)malloc(total);
  if (out->data == NULL) png_error(png, "out of memory");
  out->size = total;
  out->capacity = total;
  /* Row by row into the caller's buffer; interlaced images revisit each row once per pass. */
  for (int pass = 0; pass < passes; pass++) {
    for (uint32_t y = 0; y < h; y++) png_read_row(png, out->data + (size_t)y * row_bytes, NULL);
  }
  png_read_end(png, NULL);
  *width = w;
  *height = h;
  *channels = is_rgb ? 3 : 1;
  *bit_depth = depth;
  png_destroy_read_struct(&png, &info, NULL);
  return 0;
}

void cpng_buffer_free(cpng_buffer *buffer) {
  if (buffer == NULL) return;
  free(buffer->data);
  buffer->data = NULL;
  buffer->size = 0;
  buffer->capacity = 0;
}

int cpng_decode_rgb8(const unsigned char *png_bytes, size_t length, uint32_t max_side, uint64_t max_pixels,
                     cpng_buffer *out, uint32_t *width, uint32_t *height, char *error_message, size_t error_capacity) {
  encode_context ctx = {out, error_message, error_capacity};
  *width = 0;
  *height = 0;
  if (png_bytes == NULL || length < 8 || png_sig_cmp(png_bytes, 0, 8) != 0) {
    copy_message(&ctx, "not a PNG file (bad signature)");
    return CPNG_CORRUPT;
  }
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png_bytes, length)) {
    copy_message(&ctx, image.message[0] ? image.message : "cannot read the PNG header");
    png_image_free(&image);
    return CPNG_CORRUPT;
  }
  *width = image.width;
  *height = image.height;
  if (image.width == 0 || image.height == 0) {
    png_image_free(&image);
    copy_message(&ctx, "the PNG has no pixels");
    return CPNG_CORRUPT;
  }
  if (image.width > max_side || image.height > max_side ||
      (uint64_t)image.width * (uint64_t)image.height > max_pixels) {
    png_image_free(&image);
    copy_message(&ctx, "image too large");
    return CPNG_TOO_LARGE;
  }
  image.format = PNG_FORMAT_RGB;
  const size_t size = (size_t)image.width * (size_t)image.height * 3;
  unsigned char *pixels = (unsigned char *)malloc(size);
  if (pixels == NULL) {
    png_image_free(&image);
    copy_message(&ctx, "out of memory");
    return CPNG_NO_MEMORY;
  }
  png_color black = {0, 0, 0};
  if (!png_image_finish_read(&image, &black, pixels, (png_int_32)(image.width * 3), NULL)) {
    copy_message(&ctx, image.message[0] ? image.message : "corrupt PNG data");
    png_image_free(&image);
    free(pixels);
    return CPNG_CORRUPT;
  }
  png_image_free(&image);
  free(out->data);
  out->data = pixels;
  out->size = size;
  out->capacity = size;
  return CPNG_OK;
}
