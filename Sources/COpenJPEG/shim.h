// OpenJPEG 2.5 (Debian libopenjp2-7-dev); imported only by Sources/PixelCodecs/Internal.
// OpenJPEG reads and writes through stream callbacks; the memory streams and the message handlers are C
// functions here so that no Swift closure has to be passed as a C function pointer. Every function is named
// `shim_<what it does>`.
#ifndef DICOM_DEID_COPENJPEG_SHIM_H
#define DICOM_DEID_COPENJPEG_SHIM_H

#include <openjpeg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/// A byte buffer a stream reads from (input) or appends to (output, grown with realloc, freed with
/// shim_opj_memory_free).
typedef struct {
    const uint8_t *input;
    uint8_t *output;
    size_t length;
    size_t capacity;
    size_t offset;
    int failed;
} shim_opj_memory;

static inline OPJ_SIZE_T shim_opj_memory_read(void *buffer, OPJ_SIZE_T count, void *user) {
    shim_opj_memory *memory = (shim_opj_memory *)user;
    if (memory->offset >= memory->length) return (OPJ_SIZE_T)-1;
    size_t left = memory->length - memory->offset;
    size_t n = count < left ? count : left;
    memcpy(buffer, memory->input + memory->offset, n);
    memory->offset += n;
    return n;
}

static inline OPJ_SIZE_T shim_opj_memory_write(void *buffer, OPJ_SIZE_T count, void *user) {
    shim_opj_memory *memory = (shim_opj_memory *)user;
    if (count > SIZE_MAX - memory->offset) { memory->failed = 1; return (OPJ_SIZE_T)-1; }
    size_t end = memory->offset + count;
    if (end > memory->capacity) {
        size_t capacity = memory->capacity < 65536 ? 65536 : memory->capacity;
        while (capacity < end) {
            if (capacity > SIZE_MAX / 2) { memory->failed = 1; return (OPJ_SIZE_T)-1; }
            capacity *= 2;
        }
        uint8_t *grown = (uint8_t *)realloc(memory->output, capacity);
        if (grown == NULL) { memory->failed = 1; return (OPJ_SIZE_T)-1; }
        memory->output = grown;
        memory->capacity = capacity;
    }
    memcpy(memory->output + memory->offset, buffer, count);
    memory->offset = end;
    if (end > memory->length) memory->length = end;
    return count;
}

static inline OPJ_OFF_T shim_opj_memory_skip(OPJ_OFF_T count, void *user) {
    shim_opj_memory *memory = (shim_opj_memory *)user;
    if (count < 0) {
        if ((size_t)(-count) > memory->offset) return -1;
        memory->offset -= (size_t)(-count);
        return count;
    }
    if (memory->input != NULL) {
        size_t left = memory->length - memory->offset;
        if ((size_t)count > left) count = (OPJ_OFF_T)left;
    }
    memory->offset += (size_t)count;
    return count;
}

static inline OPJ_BOOL shim_opj_memory_seek(OPJ_OFF_T position, void *user) {
    shim_opj_memory *memory = (shim_opj_memory *)user;
    if (position < 0) return OPJ_FALSE;
    if (memory->input != NULL && (size_t)position > memory->length) return OPJ_FALSE;
    memory->offset = (size_t)position;
    return OPJ_TRUE;
}

/// A stream over `memory` (which must outlive it): reading its `input`, or writing to its `output`.
static inline opj_stream_t *shim_opj_memory_stream(shim_opj_memory *memory, int isInput) {
    opj_stream_t *stream = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, isInput ? OPJ_TRUE : OPJ_FALSE);
    if (stream == NULL) return NULL;
    opj_stream_set_user_data(stream, memory, NULL);
    if (isInput) {
        opj_stream_set_user_data_length(stream, memory->length);
        opj_stream_set_read_function(stream, shim_opj_memory_read);
    } else {
        opj_stream_set_write_function(stream, shim_opj_memory_write);
    }
    opj_stream_set_skip_function(stream, shim_opj_memory_skip);
    opj_stream_set_seek_function(stream, shim_opj_memory_seek);
    return stream;
}

/// Frees what an output stream wrote.
static inline void shim_opj_memory_free(shim_opj_memory *memory) {
    free(memory->output);
    memory->output = NULL;
    memory->length = memory->capacity = memory->offset = 0;
}

/// The first error OpenJPEG reported through a codec, kept as text.
typedef struct {
    char text[256];
} shim_opj_messages;

static inline void shim_opj_keep_error(const char *message, void *user) {
    shim_opj_messages *messages = (shim_opj_messages *)user;
    if (messages->text[0] != 0 || message == NULL) return;
    strncpy(messages->text, message, sizeof(messages->text) - 1);
    messages->text[sizeof(messages->text) - 1] = 0;
    size_t n = strlen(messages->text);
    while (n > 0 && (messages->text[n - 1] == '\n' || messages->text[n - 1] == '\r')) messages->text[--n] = 0;
}

static inline void shim_opj_ignore(const char *message, void *user) {
    (void)message;
    (void)user;
}

/// Keeps the codec's first error in `messages`; drops its warnings and information.
static inline void shim_opj_capture_messages(opj_codec_t *codec, shim_opj_messages *messages) {
    messages->text[0] = 0;
    opj_set_error_handler(codec, shim_opj_keep_error, messages);
    opj_set_warning_handler(codec, shim_opj_ignore, NULL);
    opj_set_info_handler(codec, shim_opj_ignore, NULL);
}

/// The component `index` of `image` (Swift does not index C arrays of structs behind pointers conveniently).
static inline opj_image_comp_t *shim_opj_component(opj_image_t *image, OPJ_UINT32 index) {
    return &image->comps[index];
}

/// The multiple component transform and resolution count of the codestream's default tile coding style.
static inline void shim_opj_coding_style(opj_codec_t *codec, OPJ_UINT32 *mct, OPJ_UINT32 *resolutions) {
    opj_codestream_info_v2_t *info = opj_get_cstr_info(codec);
    *mct = 0;
    *resolutions = 0;
    if (info == NULL) return;
    *mct = info->m_default_tile_info.mct;
    if (info->m_default_tile_info.tccp_info != NULL) *resolutions = info->m_default_tile_info.tccp_info[0].numresolutions;
    opj_destroy_cstr_info(&info);
}

#endif
