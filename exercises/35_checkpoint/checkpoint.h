/* checkpoint.h: the interface of exercise 35_checkpoint (do not edit).
 *
 * A llama2.c checkpoint is a 28-byte header of seven little-endian int32
 * followed by every weight as float32, in one fixed order:
 *
 *   dim hidden_dim n_layers n_heads n_kv_heads vocab_size seq_len
 *   token_embedding (vocab, dim)      rms_att (layers, dim)
 *   wq (layers, dim, dim)             wk (layers, kv_dim, dim)
 *   wv (layers, kv_dim, dim)          wo (layers, dim, dim)
 *   rms_ffn (layers, dim)             w1 (layers, hidden, dim)
 *   w2 (layers, dim, hidden)          w3 (layers, hidden, dim)
 *   rms_final (dim)                   legacy RoPE tables: 2 x (seq_len,
 *   wcls (vocab, dim) only when vocab_size < 0     head_size/2), skipped
 *
 * with head_size = dim / n_heads and kv_dim = head_size * n_kv_heads.
 * vocab_size > 0: the classifier is the token embedding (shared);
 * vocab_size < 0: a separate classifier follows and |vocab_size| is the
 * vocabulary. The file is used in place (mmap), never copied.
 */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H

#include <stddef.h>

typedef struct {
    int dim;        /* transformer width */
    int hidden_dim; /* width inside the feed-forward network */
    int n_layers;
    int n_heads;    /* query heads */
    int n_kv_heads; /* key/value heads (< n_heads: grouped-query) */
    int vocab_size; /* always positive here: |header value| */
    int seq_len;    /* longest context the model supports */
} Config;

/* Pointers into the checkpoint bytes (nothing is copied). */
typedef struct {
    const float *token_embedding; /* (vocab_size, dim) */
    const float *rms_att;         /* (n_layers, dim) */
    const float *wq;              /* (n_layers, dim, dim) */
    const float *wk;              /* (n_layers, kv_dim, dim) */
    const float *wv;              /* (n_layers, kv_dim, dim) */
    const float *wo;              /* (n_layers, dim, dim) */
    const float *rms_ffn;         /* (n_layers, dim) */
    const float *w1;              /* (n_layers, hidden_dim, dim) */
    const float *w2;              /* (n_layers, dim, hidden_dim) */
    const float *w3;              /* (n_layers, hidden_dim, dim) */
    const float *rms_final;       /* (dim) */
    const float *wcls; /* (vocab_size, dim): == token_embedding if shared */
} TransformerWeights;

typedef struct {
    Config config;
    TransformerWeights weights;
    int shared_classifier; /* 1 when wcls is the token embedding */
    /* set by checkpoint_open only: the mapping to undo in checkpoint_close */
    void *map;
    size_t map_size;
} Checkpoint;

/* Error codes: each kind of bad file has its own. */
enum {
    CK_OK = 0,
    CK_ERR_OPEN = -1,      /* cannot open, stat or map the file, or it is
                              not a regular file (a FIFO, a directory...) */
    CK_ERR_SHORT = -2,     /* fewer bytes than the 28-byte header */
    CK_ERR_DIM = -3,       /* a dimension is zero or negative (vocab_size:
                              zero, or -2^31, whose magnitude is no int) */
    CK_ERR_HEADS = -4,     /* dim % n_heads, n_heads % n_kv_heads not 0,
                              or head_size = dim / n_heads is odd */
    CK_ERR_OVERFLOW = -5,  /* the size the header implies overflows size_t */
    CK_ERR_TRUNCATED = -6, /* fewer bytes than the header implies */
    CK_ERR_OVERSIZED = -7, /* more bytes than the header implies */
};

/* The exact file size (bytes, header included) the header implies, checked
 * for overflow. Returns CK_OK and sets *size, or CK_ERR_DIM, CK_ERR_HEADS or
 * CK_ERR_OVERFLOW. `header` is the seven int32 exactly as stored. */
int checkpoint_expected_size(const int header[7], size_t *size);

/* Validates `size` bytes at `data` (the whole file) and, only when valid,
 * fills ck->config, ck->weights and ck->shared_classifier with pointers into
 * data. Reads nothing but the header before the file is known to be valid.
 * ck->map stays NULL. Returns CK_OK or the first error found, in the order
 * CK_ERR_SHORT, the checks of checkpoint_expected_size, then
 * CK_ERR_TRUNCATED / CK_ERR_OVERSIZED. */
int checkpoint_from_memory(Checkpoint *ck, const void *data, size_t size);

/* Maps the file at `path` read-only (mmap) and loads it as above. Only a
 * regular file is accepted, and checking must not block: opening a FIFO
 * for reading waits for a writer unless it is opened with O_NONBLOCK (or
 * refused after stat() first). On any error nothing stays mapped or open. */
int checkpoint_open(Checkpoint *ck, const char *path);

/* Unmaps what checkpoint_open mapped (nothing for checkpoint_from_memory). */
void checkpoint_close(Checkpoint *ck);

#endif
