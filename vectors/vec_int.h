/*
 * Inside vectors/: the parsed-case model shared by the parsers and the
 * runners, and the helpers they share.  Not for apps/ (use vec.h).
 *
 * Every parser turns its format into the same model: a list of keys and a
 * list of cases, each case naming its key by index.  The runners know only
 * this model, so each operation is written once and runs every format.
 */
#ifndef RLAB_VEC_INT_H
#define RLAB_VEC_INT_H

#include <stdarg.h>

#include "vectors/vec.h"

typedef enum rlab_vec_expect {
    RLAB_VEC_VALID = 0,
    RLAB_VEC_INVALID,
    RLAB_VEC_ACCEPTABLE,
} rlab_vec_expect;

/*
 * A key as the file gives it.  c.n and c.e are set whenever the file has
 * them; c.d and the CRT values when it has them (all five or none are
 * passed to a backend).  `der` holds an encoding for files that give the key
 * only that way (oaep-label.txt, older Wycheproof files, multi-prime keys).
 */
struct rlab_vec_key {
    struct rlab_components c;
    struct rlab_buf der;
    rlab_keyfmt der_fmt;
    rlab_encoding der_enc; /* DER, or PEM text */
    int multi_prime; /* Wycheproof otherPrimeInfos: not two-prime */
};

/*
 * One vector case.  Which fields mean what, by family:
 *   OAEP / PKCS1_CRYPT: msg = plaintext, out = ciphertext, seed = the OAEP
 *     seed or the v1.5 padding string (encrypt KAT), label = OAEP label.
 *   PSS / PKCS1_SIG: msg = message, out = signature, seed = PSS salt (sign
 *     KAT); salt_len the PSS salt length.
 *   AEAD: skey, iv, aad, msg = plaintext, out = ciphertext, tag.
 *   HASH: msg, out = digest (SHAKE: the output, of out.len bytes).  Monte:
 *     seed, out = checkpoint digest; SHAKE Monte also xof_min / xof_max.
 *   HMAC: skey, msg, out = MAC (a shorter out is a truncated MAC).
 *   HKDF: skey = IKM, salt, info, prk (may be empty), out = OKM.
 *   STREAM: skey = input key, info = context, out = the whole ciphertext
 *     (decompressed), prk = aeadKey and iv = baseNonce (empty when the file
 *     gives none), tag = msgSha512 and msg_len = msgLength (the message, or
 *     for PartialPlaintext its valid prefix; msg_len -1 when absent),
 *     stream_flags the RLAB_VEC_SF_* flags of the case.
 */
struct rlab_vec_case {
    char id[32];
    char *context;          /* owned; "" when nothing to say */
    rlab_vec_expect expect;
    char *skip;             /* owned: why no backend can run this case */
    size_t key;             /* index into rlab_vec_file.keys */
    rlab_hash hash, mgf1;
    int salt_len;
    int sign;               /* signature families: a signing check applies */
    struct rlab_buf msg, out, seed, label;
    struct rlab_buf skey, iv, aad, tag, salt, info, prk;
    long msg_len;
    unsigned stream_flags;
    size_t xof_min, xof_max; /* SHAKE Monte: output length bounds, bytes */
};

/* Wycheproof chunked-encryption flags the stream runner acts on. */
#define RLAB_VEC_SF_PARTIAL 1u        /* PartialPlaintext */
#define RLAB_VEC_SF_KEY_SIZE 2u       /* InvalidKeySize */
#define RLAB_VEC_SF_HEADER 4u         /* HeaderFailure */

struct rlab_vec_file {
    const struct rlab_vec_entry *entry;
    rlab_vec_family family;
    struct rlab_vec_key *keys;
    size_t n_keys, cap_keys;
    struct rlab_vec_case *cases;
    size_t n_cases, cap_cases;
};

/* ---- building a file (vec.c) ------------------------------------------- */

/* Append a zeroed case; NULL on NOMEM.  The pointer is valid until the next
 * append. */
struct rlab_vec_case *rlab_vec_case_new(struct rlab_vec_file *f);
/* Add a key, taking ownership of *k's buffers (k is zeroed); if it equals the
 * last key added, the last key's index is returned instead.  SIZE_MAX on
 * NOMEM. */
size_t rlab_vec_key_add(struct rlab_vec_file *f, struct rlab_vec_key *k);
void rlab_vec_key_clear(struct rlab_vec_key *k);
/* printf into a fresh string (NULL on NOMEM). */
char *rlab_vec_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Read a whole file; RLAB_ERR_IO with detail. */
int rlab_vec_read_file(const char *path, struct rlab_buf *out);
/* Hex into a buffer, replacing any old content; RLAB_ERR_PARSE on bad hex. */
int rlab_vec_hex(struct rlab_buf *b, const char *hex, size_t len);
/* Drop leading zero bytes of a big-endian integer (keeps one byte). */
void rlab_vec_strip_zeros(struct rlab_buf *b);

/* ---- parsers ----------------------------------------------------------- */

/* Each fills f (whose entry and family are set) from the file text;
 * RLAB_ERR_PARSE with rlab_error_set() detail on malformed input. */
int rlab_vec_parse_pkcs1txt(struct rlab_vec_file *f, const char *text, size_t len);
int rlab_vec_parse_cavp_sig(struct rlab_vec_file *f, const char *text, size_t len);
int rlab_vec_parse_oaep_label(struct rlab_vec_file *f, const char *text, size_t len);
int rlab_vec_parse_sym(struct rlab_vec_file *f, const char *text, size_t len);
int rlab_vec_parse_wycheproof(struct rlab_vec_file *f, const char *text, size_t len);
/* schema c2sp_chunked_encryption (parse_c2sp.c); zlib-decompresses "ct". */
int rlab_vec_parse_c2sp(struct rlab_vec_file *f, const char *text, size_t len);

/*
 * The key = value line reader shared by the CAVP-style parsers.  Lines end
 * with LF or CRLF.  Each call returns the next event; key/value point into
 * the text (not NUL-terminated) with surrounding blanks removed.
 */
typedef enum rlab_kv_event {
    RLAB_KV_END = 0,
    RLAB_KV_BLANK,   /* empty line */
    RLAB_KV_COMMENT, /* "# ..." : value is the text after '#' */
    RLAB_KV_SECTION, /* "[key = value]" or "[key]" */
    RLAB_KV_PAIR,    /* "key = value" (value may be empty) */
    RLAB_KV_WORD,    /* a line without '=' (e.g. "FAIL"): key is the line */
} rlab_kv_event;

struct rlab_kv {
    const char *p, *end;
    size_t line;
    const char *key, *value;
    size_t key_len, value_len;
};

void rlab_kv_init(struct rlab_kv *kv, const char *text, size_t len);
rlab_kv_event rlab_kv_next(struct rlab_kv *kv);
/* Case-sensitive comparison of the current key with a C string. */
int rlab_kv_key_is(const struct rlab_kv *kv, const char *name);
/* Decode the current value as hex into b. */
int rlab_kv_hex(const struct rlab_kv *kv, struct rlab_buf *b);
/* The current value as an unsigned decimal; RLAB_ERR_PARSE otherwise. */
int rlab_kv_ulong(const struct rlab_kv *kv, unsigned long *out);
/* The current value as a hash name (rlab_hash_from_name); RLAB_ERR_PARSE
 * otherwise. */
int rlab_kv_hash(const struct rlab_kv *kv, rlab_hash *h);

/* ---- running (vec.c, run_*.c) ------------------------------------------ */

/* Per-run state shared by the runners: the backend, the file, the result
 * and the keys built so far (one public and one private per file key). */
struct rlab_vec_ctx {
    const struct rlab_backend *be;
    const struct rlab_vec_file *f;
    struct rlab_vec_result *r;
    rlab_key **pub, **priv;
    char **pub_err, **priv_err; /* why a key could not be built */
    int *pub_skip, *priv_skip;  /* ... and whether that is a skip */
    int nomem;
};

/*
 * The backend's key for case c: public (n, e) or private.  NULL when it
 * cannot be built: then *why says why and *skip is 1 when that is a limit of
 * the library (RLAB_ERR_UNSUPPORTED), 0 when it is a failure.
 */
const rlab_key *rlab_vec_key_public(struct rlab_vec_ctx *x,
                                    const struct rlab_vec_case *c,
                                    const char **why, int *skip);
const rlab_key *rlab_vec_key_private(struct rlab_vec_ctx *x,
                                     const struct rlab_vec_case *c,
                                     const char **why, int *skip);

/* Record one check. */
void rlab_vec_pass(struct rlab_vec_ctx *x, rlab_vec_kind k);
void rlab_vec_skip(struct rlab_vec_ctx *x, rlab_vec_kind k, const char *reason);
void rlab_vec_fail(struct rlab_vec_ctx *x, rlab_vec_kind k,
                   const struct rlab_vec_case *c, const char *expected,
                   const char *got_fmt, ...) __attribute__((format(printf, 5, 6)));
void rlab_vec_accept(struct rlab_vec_ctx *x, rlab_vec_kind k,
                     const struct rlab_vec_case *c, int accepted,
                     const char *got);
/* A key could not be built: record the check as skip or failure. */
void rlab_vec_key_missing(struct rlab_vec_ctx *x, rlab_vec_kind k,
                          const struct rlab_vec_case *c, const char *why,
                          int skip);

/*
 * Judge a decryption (rc, out) or a verification (rc) against the case's
 * expectation: valid must succeed (with the vector's plaintext), invalid
 * must fail with the interface's single code (RLAB_ERR_DECRYPT,
 * RLAB_ERR_VERIFY), acceptable is recorded either way.
 */
void rlab_vec_judge_decrypt(struct rlab_vec_ctx *x, rlab_vec_kind k,
                            const struct rlab_vec_case *c, int rc,
                            const uint8_t *out, size_t out_len);
void rlab_vec_judge_verify(struct rlab_vec_ctx *x, rlab_vec_kind k,
                           const struct rlab_vec_case *c, int rc);

/* "RLAB_ERR_VERIFY (signature is not valid: detail)" into a static buffer. */
const char *rlab_vec_errstr(int rc);
/* "0a1b2c... (28 bytes)" into buf (at most 48 hex digits shown). */
const char *rlab_vec_hexstr(const uint8_t *p, size_t len, char *buf, size_t size);
#define RLAB_VEC_HEXSTR_SIZE 128

/* An rng that hands out the vector's bytes in order (KATs). */
struct rlab_vec_replay {
    const uint8_t *p;
    size_t len, pos;
    int overrun; /* asked for more than the vector has */
};
void rlab_vec_replay_init(struct rlab_vec_replay *rp, struct rlab_rng *rng,
                          const struct rlab_buf *bytes);

/* Digest of the case's message with its hash, through the backend. */
int rlab_vec_digest(struct rlab_vec_ctx *x, const struct rlab_vec_case *c,
                    uint8_t *out, size_t *out_len);

/* ---- shared by the RSA runners (run_rsa.c) ----------------------------- */

/* One check of one case; records its own outcome. */
typedef void rlab_vec_check_fn(struct rlab_vec_ctx *x, const struct rlab_vec_case *c);

/* When the second check of a case applies (besides the case being valid). */
typedef enum rlab_vec_second_if {
    RLAB_VEC_SECOND_IF_SEED, /* the case gives bytes to replay: encrypt KAT */
    RLAB_VEC_SECOND_IF_SIGN, /* c->sign: a signing check */
} rlab_vec_second_if;

/*
 * Every case of the file through `first` (recorded as kind k1) and, where
 * `when` holds for a valid case, through `second` (k2).  A case the parser
 * marked skip records both checks as skipped with its reason.
 */
void rlab_vec_run_cases(struct rlab_vec_ctx *x, rlab_vec_kind k1, rlab_vec_check_fn *first,
                        rlab_vec_kind k2, rlab_vec_check_fn *second, rlab_vec_second_if when);

/*
 * The key for check k of case c, once the backend says it can run q: NULL
 * when it cannot (the check is recorded as skipped) or when the key cannot
 * be built (recorded through rlab_vec_key_missing()).
 */
const rlab_key *rlab_vec_checked_key(struct rlab_vec_ctx *x, const struct rlab_vec_case *c,
                                     rlab_vec_kind k, const struct rlab_op_query *q,
                                     int want_private);

/* A buffer of k's size (*len) for an operation's output, to free(); NULL
 * with x->nomem set when out of memory. */
uint8_t *rlab_vec_key_buf(struct rlab_vec_ctx *x, const rlab_key *k, size_t *len);

/*
 * Judge a known answer: rc must be RLAB_OK and got equal the case's out.
 * rp is the replayed rng the operation drew on (NULL when none); a failure
 * then says how much of the vector's `what` ("seed", "salt") was used.
 */
void rlab_vec_judge_kat(struct rlab_vec_ctx *x, rlab_vec_kind k, const struct rlab_vec_case *c,
                        int rc, const uint8_t *got, size_t got_len,
                        const struct rlab_vec_replay *rp, const char *what);

/* Runners, one per family. */
void rlab_vec_run_oaep(struct rlab_vec_ctx *x);
void rlab_vec_run_pss(struct rlab_vec_ctx *x);
void rlab_vec_run_pkcs1_sig(struct rlab_vec_ctx *x);
void rlab_vec_run_pkcs1_crypt(struct rlab_vec_ctx *x);
void rlab_vec_run_aead(struct rlab_vec_ctx *x);
void rlab_vec_run_hash(struct rlab_vec_ctx *x);
void rlab_vec_run_mac(struct rlab_vec_ctx *x); /* HMAC and HKDF */
void rlab_vec_run_stream(struct rlab_vec_ctx *x); /* C2SP chunked encryption */
void rlab_vec_run_pkcs1_gen(struct rlab_vec_ctx *x); /* v1.5 signature generation */

#endif
