#include "cjpeg.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

typedef struct error_manager {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
} error_manager;

static void on_error(j_common_ptr cinfo) {
  error_manager *e = (error_manager *)cinfo->err;
  (*cinfo->err->format_message)(cinfo, e->message);
  longjmp(e->jump, 1);
}

/// Warnings (msg_level -1: corrupt data libjpeg would paper over) are errors here; trace
/// messages are dropped.
static void on_message(j_common_ptr cinfo, int msg_level) {
  if (msg_level < 0) on_error(cinfo);
}

/// A progressive JPEG can hold thousands of scans, each a pass over the whole image: a
/// known way to make a small file cost minutes of decoding. Stop after 256.
static void on_progress(j_common_ptr cinfo) {
  if (cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > 256) {
    error_manager *e = (error_manager *)cinfo->err;
    strncpy(e->message, "more than 256 progressive scans", sizeof e->message - 1);
    e->message[sizeof e->message - 1] = '\0';
    longjmp(e->jump, 1);
  }
}

static void copy_out(const char *message, char *buffer, size_t capacity) {
  if (buffer == NULL || capacity == 0) return;
  strncpy(buffer, message, capacity - 1);
  buffer[capacity - 1] = '\0';
}

int cjpeg_decode_rgb8(const unsigned char *jpeg, size_t length, uint32_t max_side, uint64_t max_pixels,
                      unsigned char **pixels, uint32_t *width, uint32_t *height, char *error_message,
                      size_t error_capacity) {
  *pixels = NULL;
  *width = 0;
  *height = 0;
  if (jpeg == NULL || length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) {
    copy_out("not a JPEG file (no SOI marker)", error_message, error_capacity);
    return CJPEG_CORRUPT;
  }
  struct jpeg_decompress_struct cinfo;
  error_manager err;
  struct jpeg_progress_mgr progress;
  /* Written between setjmp and a possible longjmp and read after it: volatile. */
  unsigned char *volatile buffer = NULL;
  memset(&cinfo, 0, sizeof cinfo);
  memset(&err, 0, sizeof err);
  memset(&progress, 0, sizeof progress);
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error;
  err.pub.emit_message = on_message;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    free(buffer);
    copy_out(err.message[0] ? err.message : "corrupt JPEG data", error_message, error_capacity);
    return CJPEG_CORRUPT;
  }
  jpeg_create_decompress(&cinfo);
  progress.progress_monitor = on_progress;
  cinfo.progress = &progress;
  jpeg_mem_src(&cinfo, jpeg, (unsigned long)length);
  jpeg_read_header(&cinfo, TRUE);
  *width = cinfo.image_width;
  *height = cinfo.image_height;
  if (cinfo.image_width == 0 || cinfo.image_height == 0 || cinfo.image_width > max_side ||
      cinfo.image_height > max_side || (uint64_t)cinfo.image_width * (uint64_t)cinfo.image_height > max_pixels) {
    jpeg_destroy_decompress(&cinfo);
    copy_out("image too large", error_message, error_capacity);
    return CJPEG_TOO_LARGE;
  }
  if (cinfo.jpeg_color_space != JCS_GRAYSCALE && cinfo.jpeg_color_space != JCS_YCbCr &&
      cinfo.jpeg_color_space != JCS_RGB) {
    jpeg_destroy_decompress(&cinfo);
    copy_out("colour space other than grey, YCbCr or RGB (CMYK?)", error_message, error_capacity);
    return CJPEG_CORRUPT;
  }
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_components != 3 || cinfo.output_width != *width || cinfo.output_height != *height) {
    jpeg_destroy_decompress(&cinfo);
    copy_out("unexpected JPEG output layout", error_message, error_capacity);
    return CJPEG_CORRUPT;
  }
  const size_t row = (size_t)cinfo.output_width * 3;
  buffer = (unsigned char *)malloc(row * cinfo.output_height);
  if (buffer == NULL) {
    jpeg_destroy_decompress(&cinfo);
    copy_out("out of memory", error_message, error_capacity);
    return CJPEG_NO_MEMORY;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW rows[1] = {buffer + row * cinfo.output_scanline};
    if (jpeg_read_scanlines(&cinfo, rows, 1) != 1) {
      jpeg_destroy_decompress(&cinfo);
      free(buffer);
      copy_out("truncated JPEG data", error_message, error_capacity);
      return CJPEG_CORRUPT;
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  *pixels = buffer;
  return CJPEG_OK;
}

int cjpeg_encode_rgb8(const unsigned char *pixels, uint32_t width, uint32_t height, int quality,
                      unsigned char **jpeg, unsigned long *length, char *error_message, size_t error_capacity) {
  *jpeg = NULL;
  *length = 0;
  if (pixels == NULL || width == 0 || height == 0 || width > 65500 || height > 65500) {
    copy_out("no pixels, or a side over 65500", error_message, error_capacity);
    return CJPEG_CORRUPT;
  }
  struct jpeg_compress_struct cinfo;
  error_manager err;
  /* jpeg_mem_dest owns the buffer until jpeg_destroy_compress; read after a longjmp. */
  unsigned char *volatile out = NULL;
  unsigned long out_length = 0;
  memset(&cinfo, 0, sizeof cinfo);
  memset(&err, 0, sizeof err);
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error;
  err.pub.emit_message = on_message;
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    free(out);
    copy_out(err.message[0] ? err.message : "JPEG encoding failed", error_message, error_capacity);
    return CJPEG_CORRUPT;
  }
  jpeg_create_compress(&cinfo);
  unsigned char *dest = NULL;
  jpeg_mem_dest(&cinfo, &dest, &out_length);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
  for (int i = 0; i < cinfo.num_components; ++i) {
    cinfo.comp_info[i].h_samp_factor = 1;
    cinfo.comp_info[i].v_samp_factor = 1;
  }
  jpeg_start_compress(&cinfo, TRUE);
  const size_t row = (size_t)width * 3;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW rows[1] = {(JSAMPROW)(pixels + row * cinfo.next_scanline)};
    jpeg_write_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_compress(&cinfo);
  out = dest;
  jpeg_destroy_compress(&cinfo);
  *jpeg = out;
  *length = out_length;
  return CJPEG_OK;
}
