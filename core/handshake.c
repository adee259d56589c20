/* see handshake.h */
#include "core/handshake.h"

#include <stdio.h>
#include <string.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "core/hmac.h"
#include "core/keycache.h"
#include "core/random.h"

enum {
    HS_FAILED = 0,
    HS_C_WRITE_HELLO,
    HS_C_READ_HELLO,
    HS_C_WRITE_KEY,
    HS_C_WRITE_FIN,
    HS_C_READ_FIN,
    HS_S_READ_HELLO,
    HS_S_WRITE_HELLO,
    HS_S_READ_KEY,
    HS_S_READ_FIN,
    HS_S_WRITE_FIN,
    HS_DONE,
    HS_TAKEN,
};

static const char label_server_sig[] = "rsalab/1 server signature";
static const char label_client_sig[] = "rsalab/1 client signature";

const char *rlab_alert_text(unsigned code)
{
#define RLAB_X_ALERT_TEXT(name, c, text) if (code == (c)) return text;
    RLAB_ALERT_LIST(RLAB_X_ALERT_TEXT)
#undef RLAB_X_ALERT_TEXT
    return "unknown alert";
}

/* ---- failure ------------------------------------------------------------ */

static void wipe_secrets(struct rlab_hs *hs)
{
    rlab_wipe(hs->kc, sizeof hs->kc);
    rlab_wipe(hs->ks, sizeof hs->ks);
    rlab_wipe(hs->fin_c, sizeof hs->fin_c);
    rlab_wipe(hs->fin_s, sizeof hs->fin_s);
    rlab_wipe(hs->mac_c, sizeof hs->mac_c);
    rlab_wipe(&hs->keys, sizeof hs->keys);
}

void rlab_hs_fail(struct rlab_hs *hs, rlab_alert alert, int err)
{
    if (hs->state != HS_FAILED) {
        hs->alert = alert;
        hs->err = err != RLAB_OK ? err : RLAB_ERR_PARSE;
    }
    hs->state = HS_FAILED;
    wipe_secrets(hs);
}

/* Fail with alert and return the error, for `return fail(...)`. */
static int fail(struct rlab_hs *hs, rlab_alert alert, int err, const char *why)
{
    int e = err != RLAB_OK ? err : RLAB_ERR_PARSE;
    if (why != NULL)
        rlab_error_set(e, "%s", why);
    rlab_hs_fail(hs, alert, e);
    return e;
}

rlab_alert rlab_hs_alert(const struct rlab_hs *hs)
{
    return hs->state == HS_FAILED ? (rlab_alert)hs->alert : RLAB_ALERT_NONE;
}

int rlab_hs_error(const struct rlab_hs *hs)
{
    return hs->state == HS_FAILED ? hs->err : RLAB_OK;
}

/* ---- helpers -------------------------------------------------------------- */

static int spki_of(const struct rlab_backend *be, const rlab_key *k, uint8_t *out,
                   size_t cap, size_t *len)
{
    struct rlab_buf b = RLAB_BUF_INIT;
    int rc = rlab_key_export(be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &b);
    if (rc == RLAB_OK && b.len > cap)
        rc = RLAB_ERR_TOO_BIG;
    if (rc == RLAB_OK) {
        memcpy(out, b.data, b.len);
        *len = b.len;
    }
    rlab_buf_clear(&b);
    return rc;
}

/* This side's key as SPKI DER: the caller's copy, else exported now. */
static int own_spki(const struct rlab_backend *be, const rlab_key *k, const uint8_t *given,
                    size_t given_len, uint8_t *out, size_t cap, size_t *len)
{
    if (given == NULL)
        return spki_of(be, k, out, cap, len);
    if (given_len > cap)
        return RLAB_ERR_TOO_BIG;
    memcpy(out, given, given_len);
    *len = given_len;
    return RLAB_OK;
}

/* Import a peer's public key from SPKI DER (or take it from the cache of
 * keys validated before) and put its canonical encoding (our backend's
 * export) in canon. */
static int peer_key(struct rlab_hs *hs, const uint8_t *spki, size_t len, rlab_key **out,
                    uint8_t *canon, size_t *canon_len)
{
    if (hs->cfg.keys != NULL) {
        const uint8_t *c = NULL;
        size_t clen = 0;
        int rc = rlab_keycache_get(hs->cfg.keys, hs->cfg.be, spki, len, out, &c, &clen);
        if (rc == RLAB_OK && clen > RLAB_HS_MAX_SPKI) {
            rlab_keycache_put(hs->cfg.keys, *out);
            *out = NULL;
            rc = RLAB_ERR_TOO_BIG;
        }
        if (rc == RLAB_OK) {
            memcpy(canon, c, clen);
            *canon_len = clen;
        }
        return rc;
    }
    int rc = rlab_key_import(hs->cfg.be, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, spki, len, out);
    if (rc == RLAB_OK)
        rc = spki_of(hs->cfg.be, *out, canon, RLAB_HS_MAX_SPKI, canon_len);
    return rc;
}

static void peer_key_release(struct rlab_hs *hs, rlab_key *k)
{
    if (hs->cfg.keys != NULL)
        rlab_keycache_put(hs->cfg.keys, k);
    else
        rlab_key_free(k);
}

static unsigned min_bits(const struct rlab_hs *hs)
{
    return hs->cfg.min_bits > RLAB_HS_MIN_BITS ? hs->cfg.min_bits : RLAB_HS_MIN_BITS;
}

static int th_append(struct rlab_hs *hs, const uint8_t *p, size_t len)
{
    if (len > sizeof hs->transcript - hs->th_len)
        return RLAB_ERR_TOO_BIG;
    memcpy(hs->transcript + hs->th_len, p, len);
    hs->th_len += len;
    return RLAB_OK;
}

/* SHA-256(label || 0x00 || transcript[0..th_len) || extra). */
static int signed_digest(struct rlab_hs *hs, const char *label, const uint8_t *extra,
                         size_t extra_len, uint8_t out[32])
{
    rlab_hash_ctx *c = NULL;
    const struct rlab_backend *be = hs->sym;
    static const uint8_t zero = 0;
    int rc = rlab_hash_new(be, RLAB_HASH_SHA256, &c);
    if (rc == RLAB_OK)
        rc = rlab_hash_update(be, c, (const uint8_t *)label, strlen(label));
    if (rc == RLAB_OK)
        rc = rlab_hash_update(be, c, &zero, 1);
    if (rc == RLAB_OK)
        rc = rlab_hash_update(be, c, hs->transcript, hs->th_len);
    if (rc == RLAB_OK && extra_len > 0)
        rc = rlab_hash_update(be, c, extra, extra_len);
    if (rc != RLAB_OK) {
        rlab_hash_free(be, c);
        return rc;
    }
    return rlab_hash_final(be, c, out);
}

static const struct rlab_pss_params pss = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, 32};
static const struct rlab_oaep_params oaep = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};

/* Decrypt a 32-byte secret; on any failure, the pre-drawn `fallback` takes
 * its place without a branch on the outcome (RFC 5246 7.4.7.1): the
 * handshake then fails at Finished, like any other wrong secret. */
static void oaep_secret(struct rlab_hs *hs, const uint8_t *ct, size_t ct_len,
                        const uint8_t fallback[RLAB_HS_SECRET], uint8_t out[RLAB_HS_SECRET])
{
    uint8_t pt[2048];
    size_t pt_len = sizeof pt;
    int rc = rlab_oaep_decrypt(hs->cfg.be, hs->cfg.transient, &oaep, ct, ct_len, pt, &pt_len);
    uint32_t ok = rlab_ct_eq32((uint32_t)rc, RLAB_OK) &
                  rlab_ct_eq32((uint32_t)pt_len, RLAB_HS_SECRET);
    memcpy(out, fallback, RLAB_HS_SECRET);
    rlab_ct_copy_if(ok, out, pt, RLAB_HS_SECRET);
    rlab_wipe(pt, sizeof pt);
    rlab_error_clear();
}

/* HKDF-Expand(prk, "rsalab/1 " label || th, 32). */
static int expand(struct rlab_hs *hs, const uint8_t prk[32], const char *label, uint8_t *out)
{
    uint8_t info[64];
    size_t l = strlen(label);
    memcpy(info, "rsalab/1 ", 9);
    memcpy(info + 9, label, l);
    memcpy(info + 9 + l, hs->keys.th, 32);
    return rlab_hkdf_expand(hs->sym, RLAB_HASH_SHA256, prk, 32, info, 9 + l + 32, out, 32);
}

/* The key schedule, once CH, SH and CK are in the transcript. */
static int schedule(struct rlab_hs *hs)
{
    uint8_t salt[2 * RLAB_HS_RANDOM], ikm[2 * RLAB_HS_SECRET], prk[32];
    uint8_t c2s[RLAB_HS_KEY], s2c[RLAB_HS_KEY];
    memcpy(salt, hs->cr, RLAB_HS_RANDOM);
    memcpy(salt + RLAB_HS_RANDOM, hs->sr, RLAB_HS_RANDOM);
    memcpy(ikm, hs->kc, RLAB_HS_SECRET);
    memcpy(ikm + RLAB_HS_SECRET, hs->ks, RLAB_HS_SECRET);
    int rc = rlab_backend_hash(hs->sym, RLAB_HASH_SHA256, hs->transcript, hs->th_len,
                               hs->keys.th);
    if (rc == RLAB_OK)
        rc = rlab_hkdf_extract(hs->sym, RLAB_HASH_SHA256, salt, sizeof salt, ikm,
                               sizeof ikm, prk);
    if (rc == RLAB_OK)
        rc = expand(hs, prk, "c2s key", c2s);
    if (rc == RLAB_OK)
        rc = expand(hs, prk, "s2c key", s2c);
    if (rc == RLAB_OK)
        rc = expand(hs, prk, "c finished", hs->fin_c);
    if (rc == RLAB_OK)
        rc = expand(hs, prk, "s finished", hs->fin_s);
    if (rc == RLAB_OK) {
        int client = hs->cfg.role == RLAB_HS_CLIENT;
        memcpy(hs->keys.send, client ? c2s : s2c, RLAB_HS_KEY);
        memcpy(hs->keys.recv, client ? s2c : c2s, RLAB_HS_KEY);
    }
    rlab_wipe(ikm, sizeof ikm);
    rlab_wipe(prk, sizeof prk);
    rlab_wipe(c2s, sizeof c2s);
    rlab_wipe(s2c, sizeof s2c);
    rlab_wipe(hs->kc, sizeof hs->kc);
    rlab_wipe(hs->ks, sizeof hs->ks);
    return rc;
}

/* Client Finished = HMAC(fin_c, th); server Finished = HMAC(fin_s, th || client's). */
static int finished_mac(struct rlab_hs *hs, int of_server, uint8_t out[RLAB_HS_MAC])
{
    uint8_t msg[32 + RLAB_HS_MAC];
    memcpy(msg, hs->keys.th, 32);
    memcpy(msg + 32, hs->mac_c, RLAB_HS_MAC);
    return rlab_hmac(hs->sym, RLAB_HASH_SHA256, of_server ? hs->fin_s : hs->fin_c, 32, msg,
                     of_server ? sizeof msg : 32, out);
}

/* ---- set-up ------------------------------------------------------------- */

/* What a handshake asks of its backend: transient and identity keys,
 * OAEP-SHA-256 key transport and PSS-SHA-256 (salt 32) signatures, both
 * directions. */
const char *rlab_hs_unfit(const struct rlab_backend *be)
{
    static const struct rlab_op_query need[] = {
        {.op = RLAB_OP_KEYGEN, .bits = 2048},
        {.op = RLAB_OP_OAEP_ENCRYPT, .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256},
        {.op = RLAB_OP_OAEP_DECRYPT, .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256},
        {.op = RLAB_OP_PSS_SIGN, .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256,
         .salt_len = 32},
        {.op = RLAB_OP_PSS_VERIFY, .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256,
         .salt_len = 32},
    };
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        const char *why = rlab_backend_check(be, &need[i]);
        if (why != NULL)
            return why;
    }
    return NULL;
}

int rlab_hs_init(struct rlab_hs *hs, const struct rlab_hs_config *cfg)
{
    memset(hs, 0, sizeof *hs);
    hs->state = HS_FAILED;
    hs->err = RLAB_ERR_INVALID_ARG;
    hs->alert = RLAB_ALERT_INTERNAL;
    if (cfg == NULL || cfg->be == NULL || cfg->identity == NULL || cfg->transient == NULL ||
        !cfg->identity->has_private || !cfg->transient->has_private)
        return RLAB_ERR_INVALID_ARG;
    if (cfg->role == RLAB_HS_CLIENT ? cfg->pin == NULL || cfg->pin_len == 0
                                    : cfg->authorize == NULL)
        return RLAB_ERR_INVALID_ARG;
    hs->cfg = *cfg;
    hs->sym = cfg->sym;
    if (hs->sym == NULL)
        hs->sym = (cfg->be->caps & RLAB_CAP_HASH) ? cfg->be : rlab_backend_default_provider();
    if (hs->sym == NULL)
        return RLAB_ERR_UNSUPPORTED;
    if (cfg->identity->bits < min_bits(hs) || cfg->transient->bits < min_bits(hs))
        return rlab_error_set(RLAB_ERR_KEY_INVALID, "keys of the protocol are at least %u bits",
                              min_bits(hs));
    int rc = own_spki(cfg->be, cfg->identity, cfg->identity_spki, cfg->identity_spki_len,
                      hs->own_spki, sizeof hs->own_spki, &hs->own_spki_len);
    if (rc == RLAB_OK)
        rc = own_spki(cfg->be, cfg->transient, cfg->transient_spki, cfg->transient_spki_len,
                      hs->own_tspki, sizeof hs->own_tspki, &hs->own_tspki_len);
    if (rc != RLAB_OK)
        return rc;
    hs->err = RLAB_OK;
    hs->alert = RLAB_ALERT_NONE;
    hs->state = cfg->role == RLAB_HS_CLIENT ? HS_C_WRITE_HELLO : HS_S_READ_HELLO;
    return RLAB_OK;
}

enum rlab_hs_action rlab_hs_next(const struct rlab_hs *hs)
{
    switch (hs->state) {
    case HS_C_WRITE_HELLO:
    case HS_C_WRITE_KEY:
    case HS_C_WRITE_FIN:
    case HS_S_WRITE_HELLO:
    case HS_S_WRITE_FIN: return RLAB_HS_WRITE;
    case HS_C_READ_HELLO:
    case HS_C_READ_FIN:
    case HS_S_READ_HELLO:
    case HS_S_READ_KEY:
    case HS_S_READ_FIN: return RLAB_HS_READ;
    case HS_DONE: return RLAB_HS_SPLIT;
    default: return RLAB_HS_FAILED;
    }
}

/* ---- writing ------------------------------------------------------------- */

static int write_client_hello(struct rlab_hs *hs, struct rlab_wr *w)
{
    int rc = rlab_random(hs->cfg.rng, hs->cr, sizeof hs->cr);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, "no randomness");
    rlab_wr_bytes(w, RLAB_PROTO_MAGIC, 4);
    rlab_wr_u16(w, RLAB_PROTO_VERSION);
    rlab_wr_bytes(w, hs->cr, sizeof hs->cr);
    rlab_wr_vec16(w, hs->own_spki, hs->own_spki_len);
    rlab_wr_vec16(w, hs->own_tspki, hs->own_tspki_len);
    if (w->bad || (rc = th_append(hs, w->p, w->len)) != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, RLAB_ERR_TOO_BIG, "ClientHello too large");
    hs->state = HS_C_READ_HELLO;
    return RLAB_OK;
}

/* OAEP-encrypt a fresh secret to the peer's transient key into the writer. */
static int write_secret(struct rlab_hs *hs, struct rlab_wr *w, uint8_t secret[RLAB_HS_SECRET])
{
    uint8_t ct[2048];
    size_t ct_len = sizeof ct;
    int rc = rlab_random(hs->cfg.rng, secret, RLAB_HS_SECRET);
    if (rc == RLAB_OK)
        rc = rlab_oaep_encrypt(hs->cfg.be, hs->peer_transient, &oaep, hs->cfg.rng, secret,
                               RLAB_HS_SECRET, ct, &ct_len);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, NULL);
    if (hs->cfg.tamper != NULL)
        hs->cfg.tamper(hs->cfg.tamper_ctx, RLAB_HS_FIELD_SECRET_CT, ct, ct_len);
    rlab_wr_vec16(w, ct, ct_len);
    return RLAB_OK;
}

/* Sign SHA-256(label || 0 || transcript || w's bytes so far) into the writer. */
static int write_signature(struct rlab_hs *hs, struct rlab_wr *w, const char *label)
{
    uint8_t digest[32], sig[2048];
    size_t sig_len = sizeof sig;
    int rc = w->bad ? RLAB_ERR_TOO_BIG : signed_digest(hs, label, w->p, w->len, digest);
    if (rc == RLAB_OK)
        rc = rlab_pss_sign(hs->cfg.be, hs->cfg.identity, &pss, hs->cfg.rng, digest, sizeof digest,
                           sig, &sig_len);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, NULL);
    if (hs->cfg.tamper != NULL)
        hs->cfg.tamper(hs->cfg.tamper_ctx, RLAB_HS_FIELD_SIGNATURE, sig, sig_len);
    rlab_wr_vec16(w, sig, sig_len);
    return RLAB_OK;
}

static int write_server_hello(struct rlab_hs *hs, struct rlab_wr *w)
{
    int rc = rlab_random(hs->cfg.rng, hs->sr, sizeof hs->sr);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, "no randomness");
    rlab_wr_u16(w, RLAB_PROTO_VERSION);
    rlab_wr_bytes(w, hs->sr, sizeof hs->sr);
    rlab_wr_vec16(w, hs->own_spki, hs->own_spki_len);
    rlab_wr_vec16(w, hs->own_tspki, hs->own_tspki_len);
    if ((rc = write_secret(hs, w, hs->ks)) != RLAB_OK ||
        (rc = write_signature(hs, w, label_server_sig)) != RLAB_OK)
        return rc;
    if (w->bad || (rc = th_append(hs, w->p, w->len)) != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, RLAB_ERR_TOO_BIG, "ServerHello too large");
    hs->state = HS_S_READ_KEY;
    return RLAB_OK;
}

static int write_client_key(struct rlab_hs *hs, struct rlab_wr *w)
{
    int rc;
    if ((rc = write_secret(hs, w, hs->kc)) != RLAB_OK ||
        (rc = write_signature(hs, w, label_client_sig)) != RLAB_OK)
        return rc;
    if (w->bad || (rc = th_append(hs, w->p, w->len)) != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, RLAB_ERR_TOO_BIG, "ClientKey too large");
    if ((rc = schedule(hs)) != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, NULL);
    hs->state = HS_C_WRITE_FIN;
    return RLAB_OK;
}

static int write_finished(struct rlab_hs *hs, struct rlab_wr *w)
{
    int server = hs->cfg.role == RLAB_HS_SERVER;
    uint8_t mac[RLAB_HS_MAC];
    int rc = finished_mac(hs, server, mac);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, NULL);
    if (!server)
        memcpy(hs->mac_c, mac, sizeof mac);
    if (hs->cfg.tamper != NULL)
        hs->cfg.tamper(hs->cfg.tamper_ctx, RLAB_HS_FIELD_FINISHED, mac, sizeof mac);
    rlab_wr_bytes(w, mac, sizeof mac);
    rlab_wipe(mac, sizeof mac);
    hs->state = server ? HS_DONE : HS_C_READ_FIN;
    return RLAB_OK;
}

int rlab_hs_write(struct rlab_hs *hs, uint8_t *type, uint8_t *out, size_t cap, size_t *len)
{
    *len = 0;
    if (rlab_hs_next(hs) != RLAB_HS_WRITE)
        return hs->state == HS_FAILED ? hs->err : RLAB_ERR_INVALID_ARG;
    struct rlab_wr w = rlab_wr_init(out, cap);
    int rc;
    switch (hs->state) {
    case HS_C_WRITE_HELLO:
        *type = RLAB_FRAME_CLIENT_HELLO;
        rc = write_client_hello(hs, &w);
        break;
    case HS_S_WRITE_HELLO:
        *type = RLAB_FRAME_SERVER_HELLO;
        rc = write_server_hello(hs, &w);
        break;
    case HS_C_WRITE_KEY:
        *type = RLAB_FRAME_CLIENT_KEY;
        rc = write_client_key(hs, &w);
        break;
    default:
        *type = RLAB_FRAME_FINISHED;
        rc = write_finished(hs, &w);
        break;
    }
    if (rc == RLAB_OK && w.bad)
        rc = fail(hs, RLAB_ALERT_INTERNAL, RLAB_ERR_BUFFER_TOO_SMALL, NULL);
    if (rc == RLAB_OK)
        *len = w.len;
    return rc;
}

/* ---- reading ------------------------------------------------------------- */

/* Check a peer key's size; alert WEAK_KEY below the minimum. */
static int key_size_ok(struct rlab_hs *hs, const rlab_key *k)
{
    if (k->bits >= min_bits(hs))
        return RLAB_OK;
    char why[96];
    snprintf(why, sizeof why, "peer key of %u bits, below the minimum of %u", k->bits,
             min_bits(hs));
    return fail(hs, RLAB_ALERT_WEAK_KEY, RLAB_ERR_KEY_INVALID, why);
}

static int read_client_hello(struct rlab_hs *hs, const uint8_t *body, size_t len)
{
    struct rlab_rd r = rlab_rd_init(body, len);
    const uint8_t *magic, *cr, *id, *tk;
    size_t id_len, tk_len;
    uint16_t version;
    if (!rlab_rd_bytes(&r, 4, &magic) || memcmp(magic, RLAB_PROTO_MAGIC, 4) != 0 ||
        !rlab_rd_u16(&r, &version) || version != RLAB_PROTO_VERSION)
        return fail(hs, RLAB_ALERT_BAD_VERSION, RLAB_ERR_PARSE,
                    "not an rsalab/1 ClientHello (magic or version)");
    if (!rlab_rd_bytes(&r, RLAB_HS_RANDOM, &cr) || !rlab_rd_vec16(&r, &id, &id_len) ||
        !rlab_rd_vec16(&r, &tk, &tk_len) || !rlab_rd_done(&r))
        return fail(hs, RLAB_ALERT_BAD_FRAME, RLAB_ERR_PARSE, "malformed ClientHello");
    memcpy(hs->cr, cr, RLAB_HS_RANDOM);
    int rc = peer_key(hs, id, id_len, &hs->peer_identity, hs->keys.peer_spki,
                      &hs->keys.peer_spki_len);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_BAD_FRAME, rc, "client identity key does not parse");
    hs->keys.peer_bits = hs->peer_identity->bits;
    /* Before any private-key operation on the client's behalf. */
    if (!hs->cfg.authorize(hs->cfg.authorize_ctx, hs->keys.peer_spki, hs->keys.peer_spki_len))
        return fail(hs, RLAB_ALERT_UNKNOWN_KEY, RLAB_ERR_VERIFY,
                    "client identity key is not authorized");
    if ((rc = key_size_ok(hs, hs->peer_identity)) != RLAB_OK)
        return rc;
    uint8_t canon[RLAB_HS_MAX_SPKI];
    size_t canon_len;
    rc = peer_key(hs, tk, tk_len, &hs->peer_transient, canon, &canon_len);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_BAD_FRAME, rc, "client transient key does not parse");
    if ((rc = key_size_ok(hs, hs->peer_transient)) != RLAB_OK)
        return rc;
    if ((rc = th_append(hs, body, len)) != RLAB_OK)
        return fail(hs, RLAB_ALERT_BAD_FRAME, rc, "ClientHello too large");
    hs->state = HS_S_WRITE_HELLO;
    return RLAB_OK;
}

/* Verify a PSS signature by the peer's identity over the transcript and
 * `signed_part` (the frame's bytes before its signature). */
static int check_signature(struct rlab_hs *hs, const char *label, const uint8_t *signed_part,
                           size_t signed_len, const uint8_t *sig, size_t sig_len)
{
    uint8_t digest[32];
    int rc = signed_digest(hs, label, signed_part, signed_len, digest);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, NULL);
    rc = rlab_pss_verify(hs->cfg.be, hs->peer_identity, &pss, digest, sizeof digest, sig,
                         sig_len);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_BAD_SIGNATURE, RLAB_ERR_VERIFY,
                    "the peer's handshake signature is not valid");
    return RLAB_OK;
}

static int read_server_hello(struct rlab_hs *hs, const uint8_t *body, size_t len)
{
    struct rlab_rd r = rlab_rd_init(body, len);
    const uint8_t *sr, *id, *tk, *eks, *sig;
    size_t id_len, tk_len, eks_len, sig_len;
    uint16_t version;
    if (!rlab_rd_u16(&r, &version) || version != RLAB_PROTO_VERSION)
        return fail(hs, RLAB_ALERT_BAD_VERSION, RLAB_ERR_PARSE, "ServerHello of another version");
    if (!rlab_rd_bytes(&r, RLAB_HS_RANDOM, &sr) || !rlab_rd_vec16(&r, &id, &id_len) ||
        !rlab_rd_vec16(&r, &tk, &tk_len) || !rlab_rd_vec16(&r, &eks, &eks_len))
        return fail(hs, RLAB_ALERT_BAD_FRAME, RLAB_ERR_PARSE, "malformed ServerHello");
    size_t signed_len = len - r.left;
    if (!rlab_rd_vec16(&r, &sig, &sig_len) || !rlab_rd_done(&r))
        return fail(hs, RLAB_ALERT_BAD_FRAME, RLAB_ERR_PARSE, "malformed ServerHello");
    memcpy(hs->sr, sr, RLAB_HS_RANDOM);
    int rc = peer_key(hs, id, id_len, &hs->peer_identity, hs->keys.peer_spki,
                      &hs->keys.peer_spki_len);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_BAD_FRAME, rc, "server identity key does not parse");
    hs->keys.peer_bits = hs->peer_identity->bits;
    /* The pin, before any private-key operation. */
    if (hs->keys.peer_spki_len != hs->cfg.pin_len ||
        !rlab_ct_equal(hs->keys.peer_spki, hs->cfg.pin, hs->cfg.pin_len))
        return fail(hs, RLAB_ALERT_UNKNOWN_KEY, RLAB_ERR_VERIFY,
                    "the server's identity key is not the pinned one");
    if ((rc = key_size_ok(hs, hs->peer_identity)) != RLAB_OK)
        return rc;
    uint8_t canon[RLAB_HS_MAX_SPKI];
    size_t canon_len;
    rc = peer_key(hs, tk, tk_len, &hs->peer_transient, canon, &canon_len);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_BAD_FRAME, rc, "server transient key does not parse");
    if ((rc = key_size_ok(hs, hs->peer_transient)) != RLAB_OK)
        return rc;
    if ((rc = check_signature(hs, label_server_sig, body, signed_len, sig, sig_len)) != RLAB_OK)
        return rc;
    if ((rc = th_append(hs, body, len)) != RLAB_OK)
        return fail(hs, RLAB_ALERT_BAD_FRAME, rc, "ServerHello too large");
    uint8_t fallback[RLAB_HS_SECRET];
    if ((rc = rlab_random(hs->cfg.rng, fallback, sizeof fallback)) != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, "no randomness");
    oaep_secret(hs, eks, eks_len, fallback, hs->ks);
    rlab_wipe(fallback, sizeof fallback);
    hs->state = HS_C_WRITE_KEY;
    return RLAB_OK;
}

static int read_client_key(struct rlab_hs *hs, const uint8_t *body, size_t len)
{
    struct rlab_rd r = rlab_rd_init(body, len);
    const uint8_t *ekc, *sig;
    size_t ekc_len, sig_len;
    if (!rlab_rd_vec16(&r, &ekc, &ekc_len))
        return fail(hs, RLAB_ALERT_BAD_FRAME, RLAB_ERR_PARSE, "malformed ClientKey");
    size_t signed_len = len - r.left;
    if (!rlab_rd_vec16(&r, &sig, &sig_len) || !rlab_rd_done(&r))
        return fail(hs, RLAB_ALERT_BAD_FRAME, RLAB_ERR_PARSE, "malformed ClientKey");
    int rc = check_signature(hs, label_client_sig, body, signed_len, sig, sig_len);
    if (rc != RLAB_OK)
        return rc;
    if ((rc = th_append(hs, body, len)) != RLAB_OK)
        return fail(hs, RLAB_ALERT_BAD_FRAME, rc, "ClientKey too large");
    uint8_t fallback[RLAB_HS_SECRET];
    if ((rc = rlab_random(hs->cfg.rng, fallback, sizeof fallback)) != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, "no randomness");
    oaep_secret(hs, ekc, ekc_len, fallback, hs->kc);
    rlab_wipe(fallback, sizeof fallback);
    if ((rc = schedule(hs)) != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, NULL);
    hs->state = HS_S_READ_FIN;
    return RLAB_OK;
}

static int read_finished(struct rlab_hs *hs, const uint8_t *body, size_t len)
{
    int server = hs->cfg.role == RLAB_HS_SERVER;
    uint8_t want[RLAB_HS_MAC];
    int rc = finished_mac(hs, !server, want);
    if (rc != RLAB_OK)
        return fail(hs, RLAB_ALERT_INTERNAL, rc, NULL);
    int ok = len == RLAB_HS_MAC && rlab_ct_equal(body, want, RLAB_HS_MAC);
    rlab_wipe(want, sizeof want);
    if (!ok)
        return fail(hs, RLAB_ALERT_HANDSHAKE_FAILED, RLAB_ERR_AUTH,
                    "Finished does not match: the peer derived other keys");
    if (server)
        memcpy(hs->mac_c, body, RLAB_HS_MAC);
    hs->state = server ? HS_S_WRITE_FIN : HS_DONE;
    return RLAB_OK;
}

int rlab_hs_read(struct rlab_hs *hs, uint8_t type, const uint8_t *body, size_t len)
{
    if (rlab_hs_next(hs) != RLAB_HS_READ)
        return hs->state == HS_FAILED ? hs->err
                                      : fail(hs, RLAB_ALERT_UNEXPECTED, RLAB_ERR_PARSE,
                                             "a frame arrived when none was expected");
    static const uint8_t expected[] = {
        [HS_C_READ_HELLO] = RLAB_FRAME_SERVER_HELLO, [HS_C_READ_FIN] = RLAB_FRAME_FINISHED,
        [HS_S_READ_HELLO] = RLAB_FRAME_CLIENT_HELLO, [HS_S_READ_KEY] = RLAB_FRAME_CLIENT_KEY,
        [HS_S_READ_FIN] = RLAB_FRAME_FINISHED,
    };
    if (type != expected[hs->state]) {
        char why[80];
        snprintf(why, sizeof why, "frame type 0x%02x where 0x%02x was expected", type,
                 expected[hs->state]);
        return fail(hs, RLAB_ALERT_UNEXPECTED, RLAB_ERR_PARSE, why);
    }
    switch (hs->state) {
    case HS_S_READ_HELLO: return read_client_hello(hs, body, len);
    case HS_C_READ_HELLO: return read_server_hello(hs, body, len);
    case HS_S_READ_KEY: return read_client_key(hs, body, len);
    default: return read_finished(hs, body, len);
    }
}

int rlab_hs_split(struct rlab_hs *hs, struct rlab_hs_keys *out)
{
    if (hs->state != HS_DONE)
        return RLAB_ERR_INVALID_ARG;
    *out = hs->keys;
    hs->state = HS_TAKEN;
    wipe_secrets(hs);
    return RLAB_OK;
}

void rlab_hs_clear(struct rlab_hs *hs)
{
    if (hs == NULL)
        return;
    peer_key_release(hs, hs->peer_identity);
    peer_key_release(hs, hs->peer_transient);
    rlab_wipe(hs, sizeof *hs);
}

void rlab_hs_fingerprint(const struct rlab_backend *sym, const uint8_t *spki, size_t len,
                         char out[48])
{
    uint8_t d[32];
    static const char hex[] = "0123456789abcdef";
    if (rlab_backend_hash(sym, RLAB_HASH_SHA256, spki, len, d) != RLAB_OK) {
        snprintf(out, 48, "sha256:?");
        return;
    }
    memcpy(out, "sha256:", 7);
    for (size_t i = 0; i < 16; i++) {
        out[7 + 2 * i] = hex[d[i] >> 4];
        out[8 + 2 * i] = hex[d[i] & 15];
    }
    out[39] = '\0';
}
