#include "cpng.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
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

/* libdeflate's checksums: the same values as zlib's crc32_z and adler32_z, vectorised
   (zlib 1.2.13 as Debian builds it has only scalar loops). */
uint32_t cpng_crc32(uint32_t crc, const unsigned char *data, size_t length) {
  return libdeflate_crc32(crc, data, length);
}

uint32_t cpng_adler32(uint32_t adler, const unsigned char *data, size_t length) {
  return libdeflate_adler32(adler, data, length);
}

static int direct_encode(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
                         int channels, int bit_depth, int compression_level, int strategy, int host_order,
                         cpng_buffer *out, char *error_message, size_t error_capacity);

void cpng_byte_histogram(const unsigned char *data, size_t length, uint32_t counts[256]) {
  /* Four tables, so that runs of one byte do not wait on one counter. */
  uint32_t c[4][256];
  memset(c, 0, sizeof c);
  size_t i = 0;
  for (; i + 4 <= length; i += 4) {
    c[0][data[i]]++;
    c[1][data[i + 1]]++;
    c[2][data[i + 2]]++;
    c[3][data[i + 3]]++;
  }
  for (; i < length; i++) c[0][data[i]]++;
  for (int s = 0; s < 256; s++) counts[s] += c[0][s] + c[1][s] + c[2][s] + c[3][s];
}

/* The low 8 bytes of `v` at `p`, least significant first. */
static inline void store64le(unsigned char *p, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(p, &v, 8);
#else
  for (int k = 0; k < 8; k++) p[k] = (unsigned char)(v >> (8 * k));
#endif
}

size_t cpng_huffman_literals(const unsigned char *input, size_t count, const uint32_t table[256],
                             unsigned char *out, uint64_t *bits, uint32_t *bit_count) {
  uint64_t b = *bits;
  unsigned n = *bit_count;
  unsigned char *o = out;
  size_t i = 0;
  /* Three codes of at most 15 bits on fewer than 8 pending bits: at most 52 bits. All 8
     bytes are stored and the whole ones kept, without a branch. */
  for (; i + 3 <= count; i += 3) {
    const uint32_t e0 = table[input[i]], e1 = table[input[i + 1]], e2 = table[input[i + 2]];
    const unsigned l0 = e0 >> 16, l1 = e1 >> 16, l2 = e2 >> 16;
    const uint64_t v = (uint64_t)(e0 & 0xFFFF) | (uint64_t)(e1 & 0xFFFF) << l0 | (uint64_t)(e2 & 0xFFFF) << (l0 + l1);
    b |= v << n;
    n += l0 + l1 + l2;
    store64le(o, b);
    o += n >> 3;
    b >>= n & ~7u;
    n &= 7;
  }
  for (; i < count; i++) {
    const uint32_t e = table[input[i]];
    b |= (uint64_t)(e & 0xFFFF) << n;
    n += e >> 16;
    store64le(o, b);
    o += n >> 3;
    b >>= n & ~7u;
    n &= 7;
  }
  *bits = b;
  *bit_count = n;
  return (size_t)(o - out);
}

int cpng_encode_samples(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
                        int channels, int bit_depth, int compression_level, int filters, int strategy,
                        int host_order, cpng_buffer *out, char *error_message, size_t error_capacity) {
  /* Sub-filtered images of more than 16 KiB of filtered bytes are written here directly
     (libpng shrinks zlib's window for smaller ones, and only those), at levels 1-9 (the
     stored blocks of level 0 end where libpng's buffers do). */
  if (filters == CPNG_FILTER_SUB && (channels == 1 || channels == 3) && (bit_depth == 8 || bit_depth == 16) &&
      width > 0 && height > 0 && compression_level >= 1 && compression_level <= 9 &&
      (strategy == CPNG_STRATEGY_DEFAULT || strategy == CPNG_STRATEGY_RLE || strategy == CPNG_STRATEGY_HUFFMAN) &&
      row_bytes == (size_t)width * (size_t)channels * (size_t)(bit_depth / 8) &&
      (size_t)height * (row_bytes + 1) > 16384 && (size_t)height * (row_bytes + 1) / height == row_bytes + 1) {
    return direct_encode(rows, row_bytes, width, height, channels, bit_depth, compression_level, strategy, host_order,
                         out, error_message, error_capacity);
  }
  return cpng_encode_samples_libpng(rows, row_bytes, width, height, channels, bit_depth, compression_level, filters,
                                    strategy, host_order, out, error_message, error_capacity);
}

/* Appends `length` bytes to `out`, growing it; 0 when memory ran out. */
static int append(cpng_buffer *out, const void *data, size_t length) {
  if (out->size + length > out->capacity) {
    size_t capacity = out->capacity ? out->capacity : 65536;
    while (capacity < out->size + length) capacity *= 2;
    unsigned char *grown = (unsigned char *)realloc(out->data, capacity);
    if (grown == NULL) return 0;
    out->data = grown;
    out->capacity = capacity;
  }
  memcpy(out->data + out->size, data, length);
  out->size += length;
  return 1;
}

static void put32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/* One chunk: length, type, data, CRC-32 of type and data. */
static int append_chunk(cpng_buffer *out, const char type[4], const unsigned char *data, size_t length) {
  unsigned char head[8];
  put32(head, (uint32_t)length);
  memcpy(head + 4, type, 4);
  uint32_t crc = libdeflate_crc32(0, head + 4, 4);
  if (length > 0) crc = libdeflate_crc32(crc, data, length);
  unsigned char tail[4];
  put32(tail, crc);
  return append(out, head, 8) && (length == 0 || append(out, data, length)) && append(out, tail, 4);
}

/* Sixteen bytes in one vector (Clang's vector extensions: SSE2 on x86-64, NEON on arm64). */
typedef unsigned char cpng_u8x16 __attribute__((vector_size(16)));

/* libpng's IDAT size: it writes its zlib output buffer (PNG_ZBUF_SIZE) as a chunk each time
   the buffer fills, then what is left at the end. */
enum { IDAT_BYTES = 8192, FILTER_BATCH = 1 << 16 };

/* The file libpng 1.6 writes for these settings, without libpng: signature, IHDR, the
   Sub-filtered rows (16-bit samples big-endian) deflated by zlib with libpng's parameters
   (the given level, a 32 KiB window, memory level 8, Z_FILTERED unless a strategy is
   chosen), in IDAT chunks of 8192 bytes, then IEND. The deflate stream is raw and wrapped
   here, so its Adler-32 is libdeflate's (vectorised) rather than zlib's; rows are filtered a
   batch at a time into scratch memory. Checked byte for byte against libpng in
   Tests/ScnSensorsTests/PNGTests.swift. */
static int direct_encode(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
                         int channels, int bit_depth, int compression_level, int strategy, int host_order,
                         cpng_buffer *out, char *error_message, size_t error_capacity) {
  encode_context ctx = {out, error_message, error_capacity};
  const size_t bpp = (size_t)channels * (size_t)(bit_depth / 8);
  const int swap = bit_depth == 16 && host_order && host_is_little_endian();
  const size_t line = row_bytes + 1;
  size_t batch_rows = FILTER_BATCH / line;
  if (batch_rows == 0) batch_rows = 1;
  if (batch_rows > height) batch_rows = height;
  unsigned char *scratch = (unsigned char *)malloc(batch_rows * line);
  unsigned char *zout = (unsigned char *)malloc(IDAT_BYTES);
  if (scratch == NULL || zout == NULL) {
    free(scratch);
    free(zout);
    copy_message(&ctx, "out of memory");
    return 3;
  }
  static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  unsigned char ihdr[13];
  put32(ihdr, width);
  put32(ihdr + 4, height);
  ihdr[8] = (unsigned char)bit_depth;
  ihdr[9] = channels == 3 ? 2 : 0;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  int ok = append(out, signature, 8) && append_chunk(out, "IHDR", ihdr, 13);

  z_stream z;
  memset(&z, 0, sizeof z);
  const int zstrategy = strategy == CPNG_STRATEGY_DEFAULT ? Z_FILTERED : strategy;
  if (ok && deflateInit2(&z, compression_level, Z_DEFLATED, -15, 8, zstrategy) != Z_OK) {
    free(scratch);
    free(zout);
    copy_message(&ctx, "deflateInit2 failed");
    return 3;
  }
  /* The zlib header (RFC 1950) libpng's zlib writes: deflate with a 32 KiB window, level
     flags 0 below level 2 or for Huffman-only and RLE, 1 below 6, 2 at 6, 3 above. */
  int level_flags = 0;
  if (zstrategy >= Z_HUFFMAN_ONLY || compression_level < 2) level_flags = 0;
  else if (compression_level < 6) level_flags = 1;
  else if (compression_level == 6) level_flags = 2;
  else level_flags = 3;
  unsigned header = (Z_DEFLATED + ((15 - 8) << 4)) << 8 | (unsigned)level_flags << 6;
  header += 31 - header % 31;
  zout[0] = (unsigned char)(header >> 8);
  zout[1] = (unsigned char)header;
  z.next_out = zout + 2;
  z.avail_out = IDAT_BYTES - 2;
  uint32_t adler = 1;
  uint32_t y0 = 0;
  int finished = 0;
  while (ok && !finished) {
    uint32_t y1 = y0 + (uint32_t)batch_rows < height ? y0 + (uint32_t)batch_rows : height;
    for (uint32_t y = y0; y < y1; y++) {
      const unsigned char *row = rows + (size_t)y * row_bytes;
      unsigned char *f = scratch + (size_t)(y - y0) * line;
      f[0] = 1; /* Sub */
      unsigned char *d = f + 1;
      if (swap) {
        /* Big-endian samples (bytes swapped in pairs), each byte minus the byte bpp before
           it (bpp is even, so a byte's pair partner and its predecessor's line up). */
        for (size_t i = 0; i < bpp; i += 2) {
          d[i] = row[i + 1];
          d[i + 1] = row[i];
        }
        /* 16 bytes a step: the byte-wise difference, then each pair swapped (the same
           bytes as the pair loop below, which finishes the row). */
        size_t i = bpp;
        for (; i + 16 <= row_bytes; i += 16) {
          cpng_u8x16 a, b;
          memcpy(&a, row + i, 16);
          memcpy(&b, row + i - bpp, 16);
          cpng_u8x16 v = a - b;
          v = __builtin_shufflevector(v, v, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
          memcpy(d + i, &v, 16);
        }
        for (; i < row_bytes; i += 2) {
          d[i] = (unsigned char)(row[i + 1] - row[i + 1 - bpp]);
          d[i + 1] = (unsigned char)(row[i] - row[i - bpp]);
        }
      } else {
        memcpy(d, row, bpp);
        for (size_t i = bpp; i < row_bytes; i++) d[i] = (unsigned char)(row[i] - row[i - bpp]);
      }
    }
    size_t length = (size_t)(y1 - y0) * line;
    adler = libdeflate_adler32(adler, scratch, length);
    const int flush = y1 == height ? Z_FINISH : Z_NO_FLUSH;
    z.next_in = scratch;
    z.avail_in = (uInt)length;
    for (;;) {
      int ret = deflate(&z, flush);
      if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
        ok = 0;
        copy_message(&ctx, "zlib deflate failed");
        break;
      }
      if (z.avail_out == 0) {
        ok = append_chunk(out, "IDAT", zout, IDAT_BYTES);
        z.next_out = zout;
        z.avail_out = IDAT_BYTES;
        if (!ok) break;
      }
      if (ret == Z_STREAM_END) {
        finished = 1;
        break;
      }
      if (z.avail_in == 0 && flush == Z_NO_FLUSH) break;
    }
    y0 = y1;
  }
  deflateEnd(&z);
  if (ok) {
    /* The Adler-32 trailer, then the last IDAT with what is left. */
    unsigned char trailer[4];
    put32(trailer, adler);
    for (int k = 0; k < 4 && ok; k++) {
      *z.next_out++ = trailer[k];
      if (--z.avail_out == 0) {
        ok = append_chunk(out, "IDAT", zout, IDAT_BYTES);
        z.next_out = zout;
        z.avail_out = IDAT_BYTES;
      }
    }
    size_t rest = IDAT_BYTES - z.avail_out;
    if (ok && rest > 0) ok = append_chunk(out, "IDAT", zout, rest);
    if (ok) ok = append_chunk(out, "IEND", NULL, 0);
  }
  free(scratch);
  free(zout);
  if (!ok) {
    if (error_message != NULL && error_capacity > 0 && error_message[0] == '\0') copy_message(&ctx, "out of memory");
    return 1;
  }
  return 0;
}

int cpng_encode_samples_libpng(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
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
