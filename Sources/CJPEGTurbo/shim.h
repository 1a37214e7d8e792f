// libjpeg-turbo's libjpeg API (Debian libjpeg62-turbo-dev, 8 bits per sample); imported only by
// Sources/PixelCodecs/Internal.
//
// libjpeg reports errors by calling error_exit, which must not return: the usual answer is setjmp/longjmp, and a
// longjmp across Swift frames is undefined. So every step that can fail is one C function here that sets its own
// jump point, calls libjpeg, and returns 0 on success or 1 with the library's message in the job. Swift only
// creates a job, calls these steps in order and reads plain values out of it. Warnings (corrupt or truncated
// data, which libjpeg would paper over with grey blocks) fail the step too. Every function is named
// `shim_jpeg_<what it does>`.
#ifndef DICOM_DEID_CJPEGTURBO_SHIM_H
#define DICOM_DEID_CJPEGTURBO_SHIM_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/// At most this many components are described (DICOM has 1 or 3).
#define SHIM_JPEG_MAX_COMPONENTS 4

/// What the frame header and tables say, read by shim_jpeg_open.
typedef struct {
    int width, height, components, precision;
    /// J_COLOR_SPACE as libjpeg decides it from the markers and component identifiers.
    int colorSpace;
    int progressive, arithmetic;
    /// Whether a JFIF or an Adobe marker came before the first scan (what decides the colour space; markers
    /// after it, which jpeg_read_coefficients also reads, must not count).
    int sawJFIF, sawAdobe;
    int maxH, maxV;
    int h[SHIM_JPEG_MAX_COMPONENTS], v[SHIM_JPEG_MAX_COMPONENTS];
    /// The DC step of each component's quantisation table; 0 when the table is not defined.
    int quantDC[SHIM_JPEG_MAX_COMPONENTS];
    int widthInBlocks[SHIM_JPEG_MAX_COMPONENTS], heightInBlocks[SHIM_JPEG_MAX_COMPONENTS];
} shim_jpeg_info;

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
} shim_jpeg_error;

struct shim_jpeg_job;

/// A destination manager writing into the job's `output`, grown with realloc: the job owns that buffer at every
/// moment (libjpeg's jpeg_mem_dest frees and replaces its buffer while it grows, so a caller's pointer to it can
/// dangle after an error).
typedef struct {
    struct jpeg_destination_mgr base;
    struct shim_jpeg_job *job;
} shim_jpeg_destination;

/// One frame's decoding or redaction: both libjpeg objects, their error managers and the output.
typedef struct shim_jpeg_job {
    struct jpeg_decompress_struct decompress;
    struct jpeg_compress_struct compress;
    shim_jpeg_error decompressError, compressError;
    shim_jpeg_destination destination;
    int decompressCreated, compressCreated;
    unsigned char *output;
    unsigned long outputCapacity;
    unsigned long outputLength;
    shim_jpeg_info info;
    char message[JMSG_LENGTH_MAX];
} shim_jpeg_job;

static inline void shim_jpeg_error_exit(j_common_ptr common) {
    shim_jpeg_error *error = (shim_jpeg_error *)common->err;
    (*common->err->format_message)(common, error->message);
    longjmp(error->jump, 1);
}

/// Level -1 is a warning: corrupt or truncated data. Fail rather than write what libjpeg guessed.
static inline void shim_jpeg_emit_message(j_common_ptr common, int level) {
    if (level < 0) shim_jpeg_error_exit(common);
}

static inline void shim_jpeg_output_message(j_common_ptr common) { (void)common; }

static inline struct jpeg_error_mgr *shim_jpeg_error_init(shim_jpeg_error *error, char *message) {
    jpeg_std_error(&error->base);
    error->base.error_exit = shim_jpeg_error_exit;
    error->base.emit_message = shim_jpeg_emit_message;
    error->base.output_message = shim_jpeg_output_message;
    error->message = message;
    return &error->base;
}

static inline void shim_jpeg_destination_init(j_compress_ptr c) {
    shim_jpeg_job *job = ((shim_jpeg_destination *)c->dest)->job;
    if (job->output == NULL) {
        job->output = (unsigned char *)malloc(65536);
        if (job->output == NULL) ERREXIT1(c, JERR_OUT_OF_MEMORY, 0);
        job->outputCapacity = 65536;
    }
    c->dest->next_output_byte = job->output;
    c->dest->free_in_buffer = job->outputCapacity;
}

static inline boolean shim_jpeg_destination_grow(j_compress_ptr c) {
    shim_jpeg_job *job = ((shim_jpeg_destination *)c->dest)->job;
    unsigned long used = job->outputCapacity;
    if (used > (unsigned long)-1 / 2) ERREXIT1(c, JERR_OUT_OF_MEMORY, 1);
    unsigned char *grown = (unsigned char *)realloc(job->output, used * 2);
    if (grown == NULL) ERREXIT1(c, JERR_OUT_OF_MEMORY, 2);
    job->output = grown;
    job->outputCapacity = used * 2;
    c->dest->next_output_byte = grown + used;
    c->dest->free_in_buffer = used;
    return TRUE;
}

static inline void shim_jpeg_destination_term(j_compress_ptr c) {
    shim_jpeg_job *job = ((shim_jpeg_destination *)c->dest)->job;
    job->outputLength = job->outputCapacity - c->dest->free_in_buffer;
}

static inline shim_jpeg_job *shim_jpeg_job_create(void) {
    return (shim_jpeg_job *)calloc(1, sizeof(shim_jpeg_job));
}

static inline void shim_jpeg_job_destroy(shim_jpeg_job *job) {
    if (job == NULL) return;
    if (job->compressCreated) jpeg_destroy_compress(&job->compress);
    if (job->decompressCreated) jpeg_destroy_decompress(&job->decompress);
    free(job->output);
    free(job);
}

/// Reads the markers up to the first scan of `data` (which must outlive the job) and fills `job->info`.
/// APPn and COM markers are saved for shim_jpeg_redact, which keeps the ICC profile of them.
static inline int shim_jpeg_open(shim_jpeg_job *job, const uint8_t *data, unsigned long length) {
    struct jpeg_decompress_struct *d = &job->decompress;
    d->err = shim_jpeg_error_init(&job->decompressError, job->message);
    if (setjmp(job->decompressError.jump)) return 1;
    jpeg_create_decompress(d);
    job->decompressCreated = 1;
    jpeg_mem_src(d, data, length);
    jpeg_save_markers(d, JPEG_COM, 0xFFFF);
    for (int m = 0; m < 16; m++) jpeg_save_markers(d, JPEG_APP0 + m, 0xFFFF);
    jpeg_read_header(d, TRUE);
    shim_jpeg_info *info = &job->info;
    info->width = (int)d->image_width;
    info->height = (int)d->image_height;
    info->components = d->num_components;
    info->precision = d->data_precision;
    info->colorSpace = (int)d->jpeg_color_space;
    info->progressive = d->progressive_mode;
    info->arithmetic = d->arith_code;
    info->sawJFIF = d->saw_JFIF_marker;
    info->sawAdobe = d->saw_Adobe_marker;
    info->maxH = d->max_h_samp_factor;
    info->maxV = d->max_v_samp_factor;
    for (int c = 0; c < d->num_components && c < SHIM_JPEG_MAX_COMPONENTS; c++) {
        jpeg_component_info *component = &d->comp_info[c];
        info->h[c] = component->h_samp_factor;
        info->v[c] = component->v_samp_factor;
        // jpeg_read_header does not check the frame header's table number (decompression does, later).
        int tableNumber = component->quant_tbl_no;
        JQUANT_TBL *table = tableNumber >= 0 && tableNumber < NUM_QUANT_TBLS ? d->quant_tbl_ptrs[tableNumber] : NULL;
        info->quantDC[c] = table == NULL ? 0 : table->quantval[0];
        info->widthInBlocks[c] = (int)component->width_in_blocks;
        info->heightInBlocks[c] = (int)component->height_in_blocks;
    }
    return 0;
}

static inline int shim_jpeg_same_table(const JHUFF_TBL *a, const JHUFF_TBL *b) {
    if (a == NULL || b == NULL) return a == b;
    if (memcmp(a->bits, b->bits, sizeof(a->bits)) != 0) return 0;
    int count = 0;
    for (int i = 1; i <= 16; i++) count += a->bits[i];
    return count <= 256 && memcmp(a->huffval, b->huffval, (size_t)count) == 0;
}

/// Whether the input's Huffman tables are all the standard ones (PS3.10 K.3) that libjpeg writes when it does
/// not optimise; `c` must hold the defaults (after jpeg_copy_critical_parameters).
static inline int shim_jpeg_uses_standard_tables(struct jpeg_decompress_struct *d, struct jpeg_compress_struct *c) {
    for (int i = 0; i < NUM_HUFF_TBLS; i++) {
        if (d->dc_huff_tbl_ptrs[i] != NULL && (i > 1 || !shim_jpeg_same_table(d->dc_huff_tbl_ptrs[i], c->dc_huff_tbl_ptrs[i]))) return 0;
        if (d->ac_huff_tbl_ptrs[i] != NULL && (i > 1 || !shim_jpeg_same_table(d->ac_huff_tbl_ptrs[i], c->ac_huff_tbl_ptrs[i]))) return 0;
    }
    return 1;
}

/// After shim_jpeg_open: reads the DCT coefficients, sets every block listed in `blocks` (`blockCount`
/// quintuples: component, first column, first row, end column, end row, in blocks, ends exclusive) to DC
/// `dc[component]` and every AC coefficient to 0, and writes a sequential JPEG with the same quantisation tables,
/// sampling, component identifiers, colour markers (JFIF, Adobe) and ICC profile (other APPn and COM markers are dropped).
/// Every other block keeps its coefficients. Huffman tables are optimised unless the input used the standard ones. The result is in
/// `job->output` / `job->outputLength`.
static inline int shim_jpeg_redact(shim_jpeg_job *job, const int32_t *blocks, int blockCount, const int16_t *dc) {
    struct jpeg_decompress_struct *d = &job->decompress;
    struct jpeg_compress_struct *c = &job->compress;
    if (setjmp(job->decompressError.jump)) return 1;
    c->err = shim_jpeg_error_init(&job->compressError, job->message);
    if (setjmp(job->compressError.jump)) return 1;
    jvirt_barray_ptr *coefficients = jpeg_read_coefficients(d);
    for (int i = 0; i < blockCount; i++) {
        const int32_t *b = blocks + 5 * i;
        int component = b[0];
        if (component < 0 || component >= d->num_components) continue;
        jpeg_component_info *info = &d->comp_info[component];
        JDIMENSION endColumn = (JDIMENSION)b[3] < info->width_in_blocks ? (JDIMENSION)b[3] : info->width_in_blocks;
        JDIMENSION endRow = (JDIMENSION)b[4] < info->height_in_blocks ? (JDIMENSION)b[4] : info->height_in_blocks;
        for (JDIMENSION row = (JDIMENSION)b[2]; row < endRow; row++) {
            JBLOCKARRAY line = (*d->mem->access_virt_barray)((j_common_ptr)d, coefficients[component], row, 1, TRUE);
            for (JDIMENSION column = (JDIMENSION)b[1]; column < endColumn; column++) {
                memset(line[0][column], 0, sizeof(JBLOCK));
                line[0][column][0] = dc[component];
            }
        }
    }
    jpeg_create_compress(c);
    job->compressCreated = 1;
    jpeg_copy_critical_parameters(d, c);
    c->optimize_coding = shim_jpeg_uses_standard_tables(d, c) ? FALSE : TRUE;
    c->restart_interval = d->restart_interval;
    c->write_JFIF_header = job->info.sawJFIF;
    c->write_Adobe_marker = job->info.sawAdobe;
    job->destination.job = job;
    job->destination.base.init_destination = shim_jpeg_destination_init;
    job->destination.base.empty_output_buffer = shim_jpeg_destination_grow;
    job->destination.base.term_destination = shim_jpeg_destination_term;
    c->dest = &job->destination.base;
    jpeg_write_coefficients(c, coefficients);
    for (jpeg_saved_marker_ptr marker = d->marker_list; marker != NULL; marker = marker->next) {
        // Of the APPn and COM markers only an ICC profile is written again (libjpeg writes JFIF and Adobe itself,
        // from the flags above, JFIF without a thumbnail). The others are no decoder's business and may hold
        // what cleaning must not leave: Exif and JFXX carry a thumbnail of the image before cleaning, Exif, XMP
        // and IPTC dates and names, COM free text.
        if (marker->marker == JPEG_APP0 + 2 && marker->data_length >= 12 && memcmp(marker->data, "ICC_PROFILE", 12) == 0)
            jpeg_write_marker(c, marker->marker, marker->data, marker->data_length);
    }
    jpeg_finish_compress(c);
    jpeg_finish_decompress(d);
    return 0;
}

/// After shim_jpeg_open: decodes to `buffer` (`capacity` bytes, rows of width * output components samples)
/// in `colorSpace` (a J_COLOR_SPACE libjpeg can convert to).
static inline int shim_jpeg_decode(shim_jpeg_job *job, int colorSpace, uint8_t *buffer, unsigned long capacity) {
    struct jpeg_decompress_struct *d = &job->decompress;
    if (setjmp(job->decompressError.jump)) return 1;
    d->out_color_space = (J_COLOR_SPACE)colorSpace;
    jpeg_start_decompress(d);
    unsigned long stride = (unsigned long)d->output_width * (unsigned long)d->output_components;
    if (stride * d->output_height > capacity) {
        strncpy(job->message, "decoded frame larger than its description", JMSG_LENGTH_MAX - 1);
        return 1;
    }
    while (d->output_scanline < d->output_height) {
        JSAMPROW row = buffer + stride * d->output_scanline;
        jpeg_read_scanlines(d, &row, 1);
    }
    jpeg_finish_decompress(d);
    return 0;
}

// J_COLOR_SPACE values Swift compares with.
static inline int shim_jpeg_color_grayscale(void) { return JCS_GRAYSCALE; }
static inline int shim_jpeg_color_rgb(void) { return JCS_RGB; }
static inline int shim_jpeg_color_ycbcr(void) { return JCS_YCbCr; }

#endif
