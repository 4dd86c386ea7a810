#ifndef CPNG_H
#define CPNG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Growable output buffer the encoder writes into. Owned by the caller; release it
/// with `cpng_buffer_free` whatever `cpng_encode` returned.
typedef struct cpng_buffer {
  unsigned char *data;
  size_t size;
  size_t capacity;
} cpng_buffer;

/// Filter selection, mirroring libpng's PNG_FILTER_* bit set.
enum {
  CPNG_FILTER_NONE = 0x08,
  CPNG_FILTER_SUB = 0x10,
  CPNG_FILTER_UP = 0x20,
  CPNG_FILTER_AVG = 0x40,
  CPNG_FILTER_PAETH = 0x80,
  CPNG_FILTER_ALL = 0xF8
};

/// Encodes one image to PNG in memory.
///
/// `rows` holds `height` rows of `row_bytes` bytes each; 16-bit samples must already be
/// big-endian, as the PNG specification stores them. `channels` is 1 (grey) or 3 (RGB),
/// `bit_depth` 8 or 16, `compression_level` 0…9, `filters` a CPNG_FILTER_* set.
/// Returns 0 on success; otherwise a non-zero code and a NUL-terminated message in
/// `error_message` (which may be NULL). libpng reports errors by longjmp, which Swift
/// cannot survive, so every libpng call happens in this file behind one setjmp.
int cpng_encode(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
                int channels, int bit_depth, int compression_level, int filters,
                cpng_buffer *out, char *error_message, size_t error_capacity);

/// zlib's match strategies for `cpng_encode_strategy` (zlib.h's Z_DEFAULT_STRATEGY,
/// Z_HUFFMAN_ONLY, Z_RLE).
enum {
  CPNG_STRATEGY_DEFAULT = 0,
  CPNG_STRATEGY_HUFFMAN = 2,
  CPNG_STRATEGY_RLE = 3
};

/// `cpng_encode` with a zlib strategy: CPNG_STRATEGY_RLE looks for runs of one byte only;
/// CPNG_STRATEGY_HUFFMAN looks for no repeats at all and only entropy-codes the filtered
/// bytes, which for noisy photographs is the fastest and no larger than either.
int cpng_encode_strategy(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
                         int channels, int bit_depth, int compression_level, int filters, int strategy,
                         cpng_buffer *out, char *error_message, size_t error_capacity);

/// CRC-32 (start with 0) and Adler-32 (start with 1) of `length` bytes, continuing from
/// `crc` / `adler`, the values of zlib's `crc32_z` and `adler32_z` computed by libdeflate's
/// vectorised loops: the checksums of a PNG written without libpng (ScnSensors' `LiteralPNG`).
uint32_t cpng_crc32(uint32_t crc, const unsigned char *data, size_t length);
uint32_t cpng_adler32(uint32_t adler, const unsigned char *data, size_t length);

/// Byte counts of `length` bytes added to `counts` (256 entries): the histogram `LiteralPNG`
/// builds each deflate block's code from.
void cpng_byte_histogram(const unsigned char *data, size_t length, uint32_t counts[256]);

/// The Huffman codes of `count` literal bytes appended to a deflate bit stream (least
/// significant bit first): `table[b]` holds byte b's code (bit-reversed, as deflate sends
/// it) in its low 16 bits and its length, 1...15, above them (only bytes that occur need an
/// entry). `*bits` holds the `*bit_count` (< 8) bits not yet written; whole bytes go to
/// `out`, which must have room for the coded bytes and 8 more (it is written 8 bytes at a
/// time), and the < 8 bits left over come back in `*bits` / `*bit_count`. Returns the
/// bytes written. The same stream as writing one code at a time, whatever the grouping.
size_t cpng_huffman_literals(const unsigned char *input, size_t count, const uint32_t table[256],
                             unsigned char *out, uint64_t *bits, uint32_t *bit_count);

/// `cpng_encode_strategy` for samples in the host's byte order when `host_order` is non-zero:
/// 16-bit samples are swapped to big-endian row by row (no copy of the image). An image of
/// the Sub filter alone with more than 16 KiB of filtered rows is written without libpng,
/// byte for byte the file libpng writes (the rows filtered and deflated by zlib with
/// libpng's settings, the zlib stream's Adler-32 and the chunks' CRC-32 from libdeflate);
/// any other image through `cpng_encode_samples_libpng`.
int cpng_encode_samples(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
                        int channels, int bit_depth, int compression_level, int filters, int strategy,
                        int host_order, cpng_buffer *out, char *error_message, size_t error_capacity);

/// `cpng_encode_samples` through libpng whatever the image (the reference its direct writer
/// is tested against).
int cpng_encode_samples_libpng(const unsigned char *rows, size_t row_bytes, uint32_t width, uint32_t height,
                               int channels, int bit_depth, int compression_level, int filters, int strategy,
                               int host_order, cpng_buffer *out, char *error_message, size_t error_capacity);

/// Decodes a PNG held in memory that has one of the layouts scn writes: 8-bit RGB, 8-bit
/// grey or 16-bit grey (any other colour type or depth is an error, not a conversion).
/// `out` receives the samples, rows top to bottom, channels interleaved, 16-bit samples in
/// the host's byte order. Images wider than `max_width` or taller than `max_height` are
/// refused before any pixel memory is allocated. Corrupt or truncated input (bad signature,
/// CRC or zlib errors, missing data) returns a non-zero code with a message, never crashes.
int cpng_decode_samples(const unsigned char *png, size_t length, uint32_t max_width, uint32_t max_height,
                        cpng_buffer *out, uint32_t *width, uint32_t *height, int *channels, int *bit_depth,
                        char *error_message, size_t error_capacity);

/// Decodes any PNG held in memory (every colour type, palette, bit depth, interlacing;
/// gamma handled by libpng's simplified API) to 8-bit sRGB RGB, rows top to bottom, alpha
/// dropped (composited on black). The header is read first: an image wider or taller than
/// `max_side` or of more than `max_pixels` pixels returns CPNG_TOO_LARGE, with its size in
/// `width`/`height`, before any pixel memory is allocated. Corrupt or truncated input
/// returns CPNG_CORRUPT with libpng's message; nothing longjmps past this function.
/// On success `out` holds width × height × 3 bytes (the caller frees it).
enum { CPNG_OK = 0, CPNG_CORRUPT = 1, CPNG_TOO_LARGE = 2, CPNG_NO_MEMORY = 3 };
int cpng_decode_rgb8(const unsigned char *png, size_t length, uint32_t max_side, uint64_t max_pixels,
                     cpng_buffer *out, uint32_t *width, uint32_t *height, char *error_message, size_t error_capacity);

/// Releases the buffer's storage and resets it to empty.
void cpng_buffer_free(cpng_buffer *buffer);

#ifdef __cplusplus
}
#endif

#endif
