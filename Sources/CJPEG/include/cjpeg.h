#ifndef CJPEG_H
#define CJPEG_H

// JPEG decoding through libjpeg-turbo (Debian's libjpeg62-turbo), behind plain C: libjpeg
// reports errors by longjmp, which Swift cannot survive, so every libjpeg call happens in
// cjpeg.c behind one setjmp.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { CJPEG_OK = 0, CJPEG_CORRUPT = 1, CJPEG_TOO_LARGE = 2, CJPEG_NO_MEMORY = 3 };

/// Decodes a baseline or progressive JPEG (grey or YCbCr) held in memory to 8-bit RGB,
/// rows top to bottom, into a malloc'ed buffer of width × height × 3 bytes in `*pixels` (the
/// caller frees it). The header is read first: an image wider or taller than `max_side` or
/// of more than `max_pixels` pixels returns CJPEG_TOO_LARGE, with its size in
/// `width`/`height`, before the pixels are allocated. Corrupt or truncated data (libjpeg's
/// warnings included: it would otherwise fill the missing part with grey), a colour space
/// other than grey or YCbCr/RGB, or more than 256 progressive scans returns CJPEG_CORRUPT
/// with libjpeg's message in `error_message` (NUL-terminated, truncated).
int cjpeg_decode_rgb8(const unsigned char *jpeg, size_t length, uint32_t max_side, uint64_t max_pixels,
                      unsigned char **pixels, uint32_t *width, uint32_t *height, char *error_message,
                      size_t error_capacity);

/// Encodes width × height 8-bit RGB pixels (rows top to bottom) as a baseline JPEG of
/// `quality` (1…100) without chroma subsampling, into a malloc'ed buffer in `*jpeg` of
/// `*length` bytes (the caller frees it). For the tests and fuzz seeds, which write their
/// own texture images. Returns CJPEG_OK, or CJPEG_CORRUPT with a message.
int cjpeg_encode_rgb8(const unsigned char *pixels, uint32_t width, uint32_t height, int quality,
                      unsigned char **jpeg, unsigned long *length, char *error_message, size_t error_capacity);

#ifdef __cplusplus
}
#endif

#endif
