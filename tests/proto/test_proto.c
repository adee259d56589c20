/*
 * rsalab/1 under bad input: one case per class of the protocol issue, each
 * asserting the documented error on the affected side, that no partial file
 * is left in the inbox, and that a normal session on the same server
 * succeeds right after.
 *
 *   test_proto SERVER_BACKEND CLIENT_BACKEND [--cross]
 *
 * --cross runs only the sessions that must work (a normal session and a
 * relayed chat line) for a pair of different backends.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/ops.h"
#include "core/fileio.h"
#include "core/frame.h"
#include "tests/proto/harness.h"

static struct ph_keys K;
static struct ph_server S;
static char why[512];

#define FILE_SIZE 40000 /* three chunks: 16384, 16384 and a short final one */

/* Wait (up to 20 s) until the server log has at least n lines with needle:
 * the server logs a session's end after the client has seen it. */
static unsigned wait_log_count(const char *needle, unsigned n)
{
    unsigned got = ph_log_count(&S, needle);
    for (int i = 0; i < 2000 && got < n; i++) {
        usleep(10000);
        got = ph_log_count(&S, needle);
    }
    return got;
}

static void normal_after(void)
{
    unsigned ended = ph_log_count(&S, "result=");
    ck_assert_msg(ph_normal_session(&S, &K, ph_port(&S), 50000, why, sizeof why) == 0, "%s", why);
    ck_assert_int_eq(ph_inbox_count(&S), 0);
    /* settled: the server has logged this session's end too, so that the
     * next test's log starts clean */
    ck_assert_uint_ge(wait_log_count("result=", ended + 1), ended + 1);
}

static int raw_case(const void *bytes, size_t len, int close_after)
{
    int fd = ph_raw_connect(ph_port(&S));
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ph_send_all(fd, bytes, len), 0);
    if (close_after)
        shutdown(fd, SHUT_WR);
    int a = ph_read_alert(fd, 5000);
    close(fd);
    return a;
}

static void expect_log(const char *needle)
{
    ck_assert_msg(ph_log_wait(&S, needle, 5000), "server log has no \"%s\":\n%s", needle,
                  S.log ? S.log : "");
}

START_TEST(normal)
{
    normal_after();
}
END_TEST

static char relayed[128];

static void on_chat(void *ctx, const char *from, const uint8_t *text, size_t len)
{
    (void)ctx;
    snprintf(relayed, sizeof relayed, "<%s> %.*s", from, (int)len, (const char *)text);
}

START_TEST(chat_relay)
{
    struct rlab_client *a = NULL, *b = NULL;
    struct rlab_client_config cc = {
        .be = K.cbe, .identity = K.alice, .pin = K.pin.data, .pin_len = K.pin.len,
        .port = ph_port(&S), .chat = on_chat,
    };
    relayed[0] = '\0';
    ck_assert_int_eq(ph_connect(&K, ph_port(&S), K.alice, &K.pin, NULL, &a), RLAB_OK);
    ck_assert_int_eq(rlab_client_connect(&cc, &b), RLAB_OK);
    ck_assert_int_eq(rlab_client_send_line(a, (const uint8_t *)"relay me", 8), RLAB_OK);
    for (int i = 0; i < 200 && relayed[0] == '\0'; i++) {
        ck_assert_int_ge(rlab_client_wait(b, -1, 25), 0);
        ck_assert_int_ge(rlab_client_wait(a, -1, 0), 0);
    }
    ck_assert_str_eq(relayed, "<alice> relay me");
    ck_assert_int_eq(rlab_client_close(a, 5000), RLAB_OK);
    ck_assert_int_eq(rlab_client_close(b, 5000), RLAB_OK);
    rlab_client_free(a);
    rlab_client_free(b);
    expect_log("name=alice");
}
END_TEST

START_TEST(garbage_instead_of_hello)
{
    ph_log_reset(&S);
    const char g[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    ck_assert_int_eq(raw_case(g, sizeof g - 1, 0), RLAB_ALERT_BAD_VERSION);
    expect_log("unknown frame type 0x47");
    normal_after();
}
END_TEST

static size_t hello(uint8_t *b, const char *magic, uint16_t version)
{
    uint8_t body[64] = {0};
    memcpy(body, magic, 4);
    body[4] = (uint8_t)(version >> 8);
    body[5] = (uint8_t)version;
    rlab_frame_header(b, RLAB_FRAME_CLIENT_HELLO, sizeof body);
    memcpy(b + RLAB_FRAME_HDR, body, sizeof body);
    return RLAB_FRAME_HDR + sizeof body;
}

START_TEST(wrong_magic)
{
    ph_log_reset(&S);
    uint8_t b[128];
    ck_assert_int_eq(raw_case(b, hello(b, "XLAB", 1), 0), RLAB_ALERT_BAD_VERSION);
    expect_log("not an rsalab/1 ClientHello (magic or version)");
    normal_after();
}
END_TEST

START_TEST(wrong_version)
{
    ph_log_reset(&S);
    uint8_t b[128];
    ck_assert_int_eq(raw_case(b, hello(b, "RLAB", 2), 0), RLAB_ALERT_BAD_VERSION);
    expect_log("not an rsalab/1 ClientHello (magic or version)");
    normal_after();
}
END_TEST

START_TEST(length_over_limit)
{
    ph_log_reset(&S);
    uint8_t h[RLAB_FRAME_HDR];
    rlab_frame_header(h, RLAB_FRAME_CLIENT_HELLO, 0xffffff);
    ck_assert_int_eq(raw_case(h, sizeof h, 0), RLAB_ALERT_BAD_FRAME);
    expect_log("over its limit");
    normal_after();
}
END_TEST

START_TEST(frame_cut_short)
{
    ph_log_reset(&S);
    uint8_t b[128];
    size_t n = hello(b, "RLAB", 1);
    ck_assert_int_eq(raw_case(b, n - 20, 1), 0); /* closed, no alert: nobody to read it */
    expect_log("closed in the middle of a frame");
    normal_after();
}
END_TEST

START_TEST(handshake_timeout)
{
    ph_log_reset(&S);
    int fd = ph_raw_connect(ph_port(&S));
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ph_read_alert(fd, 8000), RLAB_ALERT_TIMEOUT);
    close(fd);
    expect_log("handshake time-out");
    normal_after();
}
END_TEST

/* A client whose connect must fail; returns the client's error detail. */
static void client_fails(rlab_key *id, const struct rlab_buf *pin,
                         void (*tamper)(void *, int, uint8_t *, size_t), const char *client_says)
{
    struct rlab_client *cl = NULL;
    rlab_error_clear();
    int rc = ph_connect(&K, ph_port(&S), id, pin, tamper, &cl);
    ck_assert_int_ne(rc, RLAB_OK);
    ck_assert_ptr_null(cl);
    ck_assert_msg(strstr(rlab_error_detail(), client_says) != NULL, "client says \"%s\"",
                  rlab_error_detail());
    rlab_error_clear();
}

START_TEST(unknown_client_key)
{
    ph_log_reset(&S);
    client_fails(K.mallory, &K.pin, NULL, "identity key not authorized");
    expect_log("client identity key is not authorized");
    normal_after();
}
END_TEST

START_TEST(wrong_server_key)
{
    ph_log_reset(&S);
    client_fails(K.alice, &K.wrong_pin, NULL, "not the pinned one");
    expect_log("the peer sent alert 3");
    normal_after();
}
END_TEST

static int tamper_field;

static void tamper(void *ctx, int field, uint8_t *p, size_t len)
{
    (void)ctx;
    if (field == tamper_field)
        p[len / 2] ^= 0x40;
}

START_TEST(bad_client_signature)
{
    ph_log_reset(&S);
    tamper_field = RLAB_HS_FIELD_SIGNATURE;
    client_fails(K.alice, &K.pin, tamper, "alert 4");
    expect_log("handshake signature is not valid");
    normal_after();
}
END_TEST

/* A wrong OAEP ciphertext under a valid signature and a wrong Finished must
 * look the same to the client: the same alert, the same log line. */
START_TEST(oaep_failure_looks_like_bad_finished)
{
    ph_log_reset(&S);
    tamper_field = RLAB_HS_FIELD_SECRET_CT;
    client_fails(K.alice, &K.pin, tamper, "alert 5: handshake failed (Finished)");
    expect_log("Finished does not match");
    ph_log_reset(&S);
    tamper_field = RLAB_HS_FIELD_FINISHED;
    client_fails(K.alice, &K.pin, tamper, "alert 5: handshake failed (Finished)");
    expect_log("Finished does not match");
    normal_after();
}
END_TEST

/* A server that misbehaves: the client is the affected side. */
START_TEST(bad_server)
{
    static const int fields[] = {RLAB_HS_FIELD_SIGNATURE, RLAB_HS_FIELD_SECRET_CT,
                                 RLAB_HS_FIELD_FINISHED};
    static const char *const client_says[] = {"signature is not valid",
                                              "alert 5: handshake failed",
                                              "Finished does not match"};
    for (int i = 0; i < 3; i++) {
        struct ph_server bad;
        struct ph_server_opts o = {.tamper = tamper};
        tamper_field = fields[i];
        ck_assert_int_eq(ph_server_start(&bad, &K, &o), 0);
        struct rlab_client *cl = NULL;
        rlab_error_clear();
        ck_assert_int_ne(ph_connect(&K, ph_port(&bad), K.alice, &K.pin, NULL, &cl), RLAB_OK);
        ck_assert_msg(strstr(rlab_error_detail(), client_says[i]) != NULL,
                      "case %d: client says \"%s\"", i, rlab_error_detail());
        ph_server_stop(&bad);
    }
    tamper_field = 0;
    normal_after();
}
END_TEST

/* Three files through the tampering proxy, then close. */
static void via_proxy(const struct ph_rule *rule, const char *server_says, int files_kept)
{
    ph_inbox_clear(&S);
    ph_log_reset(&S);
    struct ph_proxy *p;
    ck_assert_int_eq(ph_proxy_start(&p, ph_port(&S), rule, 0), 0);
    struct rlab_client *cl = NULL;
    ck_assert_int_eq(ph_connect(&K, ph_proxy_port(p), K.alice, &K.pin, NULL, &cl), RLAB_OK);
    int rc = RLAB_OK;
    for (int i = 0; i < 3 && rc == RLAB_OK; i++) {
        char path[256], name[32];
        snprintf(name, sizeof name, "f%d.bin", i);
        ck_assert_int_eq(ph_make_file(&S, name, FILE_SIZE, (uint32_t)i, path, sizeof path), 0);
        rc = rlab_client_send_file(cl, path, NULL, NULL, NULL, NULL);
        unlink(path);
    }
    if (rc == RLAB_OK)
        (void)rlab_client_close(cl, 3000);
    rlab_client_free(cl);
    ph_proxy_stop(p);
    ph_proxy_free(p);
    expect_log(server_says);
    ck_assert_msg(ph_log_wait(&S, "result=error", 5000), "the connection did not fail");
    ck_assert_int_eq(ph_inbox_count(&S), files_kept);
    ph_inbox_clear(&S);
    normal_after();
}

START_TEST(tampered_chunk)
{
    struct ph_rule r = {.type = RLAB_FRAME_CHUNK, .index = 1, .action = PH_FLIP};
    via_proxy(&r, "a chunk does not authenticate", 0);
}
END_TEST

START_TEST(replayed_chunk)
{
    struct ph_rule r = {.type = RLAB_FRAME_CHUNK, .index = 0, .action = PH_DUP};
    via_proxy(&r, "a chunk does not authenticate", 0);
}
END_TEST

START_TEST(reordered_chunks)
{
    struct ph_rule r = {.type = RLAB_FRAME_CHUNK, .index = 0, .action = PH_SWAP};
    via_proxy(&r, "a chunk does not authenticate", 0);
}
END_TEST

START_TEST(dropped_chunk)
{
    struct ph_rule r = {.type = RLAB_FRAME_CHUNK, .index = 1, .action = PH_DROP};
    via_proxy(&r, "a chunk does not authenticate", 0);
}
END_TEST

START_TEST(replayed_message)
{
    /* The first file completes (kept), its replay is refused. */
    struct ph_rule r = {.type = 0, .index = 0, .action = PH_DUP_MSG};
    via_proxy(&r, "message 0 arrived where 1 was expected", 1);
}
END_TEST

START_TEST(dropped_message)
{
    struct ph_rule r = {.type = 0, .index = 0, .action = PH_DROP_MSG};
    via_proxy(&r, "message 1 arrived where 0 was expected", 0);
}
END_TEST

START_TEST(reordered_messages)
{
    struct ph_rule r = {.type = 0, .index = 0, .action = PH_SWAP_MSG};
    via_proxy(&r, "message 1 arrived where 0 was expected", 0);
}
END_TEST

START_TEST(stream_ends_early)
{
    /* The final chunk of the first file never arrives: the connection ends. */
    struct ph_rule r = {.type = RLAB_FRAME_CHUNK, .index = 2, .action = PH_CUT};
    via_proxy(&r, "ended early", 0);
}
END_TEST


static void bad_name(const char *name, const char *server_says)
{
    ph_inbox_clear(&S);
    ph_log_reset(&S);
    struct rlab_client *cl = NULL;
    ck_assert_int_eq(ph_connect(&K, ph_port(&S), K.alice, &K.pin, NULL, &cl), RLAB_OK);
    struct rlab_sess *s = rlab_client_session(cl);
    ck_assert_int_eq(rlab_sess_msg_begin(s, RLAB_MSG_FILE, 5, name), RLAB_OK);
    ck_assert_int_eq(rlab_sess_msg_write(s, (const uint8_t *)"owned", 5), RLAB_OK);
    ck_assert_int_eq(rlab_sess_msg_end(s), RLAB_OK);
    int rc = RLAB_OK;
    for (int i = 0; i < 100 && rc >= 0; i++)
        rc = rlab_client_wait(cl, -1, 50);
    ck_assert_int_lt(rc, 0);
    ck_assert_uint_eq(rlab_sess_alert(s), RLAB_ALERT_BAD_NAME);
    rlab_client_free(cl);
    expect_log(server_says);
    ck_assert_int_eq(ph_inbox_count(&S), 0);
    ck_assert_int_ne(access("/tmp/owned-by-rsalab-test", F_OK), 0);
    normal_after();
}

START_TEST(file_name_dotdot)
{
    bad_name("../../../../tmp/owned-by-rsalab-test", "contains '/'");
}
END_TEST

START_TEST(file_name_absolute)
{
    bad_name("/tmp/owned-by-rsalab-test", "contains '/'");
}
END_TEST

START_TEST(file_name_dots)
{
    bad_name("..", "starts with '.'");
}
END_TEST

/* Send one file message of `len` bytes named `name` on a fresh session and
 * close; returns the alert the session ended with (0: a clean close). */
static unsigned send_named(const char *name, const uint8_t *p, size_t len)
{
    struct rlab_client *cl = NULL;
    ck_assert_int_eq(ph_connect(&K, ph_port(&S), K.alice, &K.pin, NULL, &cl), RLAB_OK);
    struct rlab_sess *s = rlab_client_session(cl);
    ck_assert_int_eq(rlab_sess_send(s, RLAB_MSG_FILE, name, p, len), RLAB_OK);
    (void)rlab_client_close(cl, 5000);
    ck_assert(rlab_sess_done(s));
    unsigned a = rlab_client_closed(cl) ? 0 : rlab_sess_alert(s);
    rlab_client_free(cl);
    return a;
}

/* The file dir/name holds exactly p[0..len). */
static void expect_file(const char *name, const uint8_t *p, size_t len)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", S.inbox, name);
    struct rlab_buf b = RLAB_BUF_INIT;
    ck_assert_msg(rlab_file_read(path, 1 << 20, &b) == RLAB_OK, "%s: %s", path,
                  rlab_error_detail());
    ck_assert_uint_eq(b.len, len);
    ck_assert(memcmp(b.data, p, len) == 0);
    rlab_buf_clear(&b);
}

static char *long_name(size_t n, char c)
{
    char *name = malloc(n + 1);
    ck_assert_ptr_nonnull(name);
    memset(name, c, n);
    memcpy(name, "long-", 5);
    name[n] = '\0';
    return name;
}

/* Names up to 255 bytes are taken as they are (the temporary name does not
 * grow with them); a suffix that would pass 255 bytes is not invented: a
 * 255-byte name that is taken is refused with bad_name, not `internal`. */
START_TEST(file_name_long)
{
    ph_inbox_clear(&S);
    ph_log_reset(&S);
    static const size_t lens[] = {244, 245, 250, 254, 255};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        char *name = long_name(lens[i], (char)('a' + i));
        ck_assert_msg(send_named(name, (const uint8_t *)name, lens[i]) == 0,
                      "a name of %zu bytes was refused", lens[i]);
        expect_file(name, (const uint8_t *)name, lens[i]);
        free(name);
    }
    ck_assert_int_eq(ph_inbox_count(&S), 5);
    /* 253 bytes, twice: the second is name.1, 255 bytes. */
    char *n253 = long_name(253, 'x'), n255[256];
    ck_assert_uint_eq(send_named(n253, (const uint8_t *)"one", 3), 0);
    ck_assert_uint_eq(send_named(n253, (const uint8_t *)"two", 3), 0);
    snprintf(n255, sizeof n255, "%s.1", n253);
    expect_file(n253, (const uint8_t *)"one", 3);
    expect_file(n255, (const uint8_t *)"two", 3);
    free(n253);
    /* 255 bytes taken: no room for a suffix. */
    char *n = long_name(255, (char)('a' + 4));
    ck_assert_uint_eq(send_named(n, (const uint8_t *)"again", 5), RLAB_ALERT_BAD_NAME);
    expect_file(n, (const uint8_t *)n, 255);
    free(n);
    expect_log("no free name");
    ck_assert_int_eq(ph_inbox_count(&S), 7);
    ph_inbox_clear(&S);
    normal_after();
}
END_TEST

/* Pump a client's session for up to ms milliseconds (or until it ends). */
static void pump(struct rlab_client *cl, int ms)
{
    for (int i = 0; i < ms / 10; i++)
        if (rlab_client_wait(cl, -1, 10) < 0)
            return;
}

/* Wait until the inbox holds n entries (temporaries included). */
static void wait_inbox(int n, struct rlab_client *a, struct rlab_client *b)
{
    for (int i = 0; i < 3000 && ph_inbox_count(&S) != n; i++) {
        if (a != NULL)
            pump(a, 10);
        if (b != NULL)
            pump(b, 10);
    }
    ck_assert_int_eq(ph_inbox_count(&S), n);
}

/* Two transfers of the same name at once: the one that began first is still
 * being written when the other completes; both files are kept, each whole,
 * under the name and name.1 in the order they complete. */
START_TEST(same_name_concurrent)
{
    ph_inbox_clear(&S);
    ph_log_reset(&S);
    static uint8_t first[100000], second[30000];
    for (size_t i = 0; i < sizeof first; i++)
        first[i] = (uint8_t)(i * 7 + 1);
    for (size_t i = 0; i < sizeof second; i++)
        second[i] = (uint8_t)(i * 13 + 5);
    struct rlab_client *a = NULL, *b = NULL;
    ck_assert_int_eq(ph_connect(&K, ph_port(&S), K.alice, &K.pin, NULL, &a), RLAB_OK);
    ck_assert_int_eq(ph_connect(&K, ph_port(&S), K.alice, &K.pin, NULL, &b), RLAB_OK);
    struct rlab_sess *sa = rlab_client_session(a), *sb = rlab_client_session(b);
    /* a: begins and sends half; the server has its temporary open. */
    ck_assert_int_eq(rlab_sess_msg_begin(sa, RLAB_MSG_FILE, sizeof first, "same.bin"), RLAB_OK);
    ck_assert_int_eq(rlab_sess_msg_write(sa, first, sizeof first / 2), RLAB_OK);
    wait_inbox(1, a, NULL);
    /* b: the same name, whole, and closed: it takes the free name. */
    ck_assert_int_eq(rlab_sess_send(sb, RLAB_MSG_FILE, "same.bin", second, sizeof second),
                     RLAB_OK);
    ck_assert_int_eq(rlab_client_close(b, 10000), RLAB_OK);
    /* a: the rest, then close: its name is taken by now. */
    ck_assert_int_eq(rlab_sess_msg_write(sa, first + sizeof first / 2,
                                         sizeof first - sizeof first / 2), RLAB_OK);
    ck_assert_int_eq(rlab_sess_msg_end(sa), RLAB_OK);
    ck_assert_msg(rlab_client_close(a, 10000) == RLAB_OK, "a: %s", rlab_error_detail());
    rlab_client_free(a);
    rlab_client_free(b);
    expect_file("same.bin", second, sizeof second);
    expect_file("same.bin.1", first, sizeof first);
    ck_assert_int_eq(ph_inbox_count(&S), 2);
    ph_inbox_clear(&S);
    ck_assert_uint_eq(wait_log_count("result=ok (1 files", 2), 2);
    normal_after();
}
END_TEST

struct stopper {
    struct ph_server *srv;
    pthread_t t;
};

static void *stop_server(void *arg)
{
    ph_server_halt(((struct stopper *)arg)->srv);
    return NULL;
}

/* 1 while something accepts connections on port. */
static int listening(unsigned port)
{
    int fd = ph_raw_connect(port);
    if (fd >= 0)
        close(fd);
    return fd >= 0;
}

/* A server that stops sends its close on every session: an idle client
 * sees a clean end; a client in the middle of a file finishes it (kept) and
 * then closes cleanly too. */
START_TEST(shutdown_sends_close)
{
    struct ph_server own;
    struct ph_server_opts o = {.stop_grace_ms = 20000};
    ck_assert_int_eq(ph_server_start(&own, &K, &o), 0);
    unsigned port = ph_port(&own);
    struct rlab_client *idle = NULL, *busy = NULL;
    ck_assert_int_eq(ph_connect(&K, port, K.alice, &K.pin, NULL, &idle), RLAB_OK);
    ck_assert_int_eq(ph_connect(&K, port, K.alice, &K.pin, NULL, &busy), RLAB_OK);
    struct rlab_sess *sb = rlab_client_session(busy);
    static uint8_t data[80000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 31 + 3);
    ck_assert_int_eq(rlab_sess_msg_begin(sb, RLAB_MSG_FILE, sizeof data, "late.bin"), RLAB_OK);
    ck_assert_int_eq(rlab_sess_msg_write(sb, data, sizeof data / 2), RLAB_OK);
    /* generous waits: a sanitizer build on a loaded machine is slow */
    for (int i = 0; i < 3000 && ph_inbox_count(&own) != 1; i++)
        pump(busy, 10);
    ck_assert_int_eq(ph_inbox_count(&own), 1);
    /* Stop (in a thread: it waits for the closes), and wait until the
     * server no longer accepts: it has sent its closes by then. */
    struct stopper st = {&own, 0};
    ck_assert_int_eq(pthread_create(&st.t, NULL, stop_server, &st), 0);
    for (int i = 0; i < 3000 && listening(port); i++)
        pump(idle, 10);
    ck_assert(!listening(port));
    /* The idle client answers the server's close by itself. */
    int w = 0;
    for (int i = 0; i < 3000 && w >= 0; i++)
        w = rlab_client_wait(idle, -1, 10);
    ck_assert_int_lt(w, 0);
    ck_assert_msg(rlab_client_closed(idle), "idle client: %s",
                  rlab_sess_detail(rlab_client_session(idle)));
    /* The busy one finishes its file, then closes. */
    ck_assert_int_eq(rlab_sess_msg_write(sb, data + sizeof data / 2,
                                         sizeof data - sizeof data / 2), RLAB_OK);
    ck_assert_int_eq(rlab_sess_msg_end(sb), RLAB_OK);
    ck_assert_msg(rlab_client_close(busy, 10000) == RLAB_OK, "busy client: %s",
                  rlab_error_detail());
    ck_assert(rlab_client_closed(busy));
    pthread_join(st.t, NULL);
    rlab_client_free(idle);
    rlab_client_free(busy);
    char line[300];
    snprintf(line, sizeof line, "file %s/late.bin from alice: %zu bytes", own.inbox, sizeof data);
    /* The probes of `listening` connect and hang up at once: each ends in
     * its handshake, dropped by the stop or seen closing before it. */
    ck_assert_msg(ph_log_count(&own, line) == 1 && ph_log_count(&own, "result=ok") == 2 &&
                  ph_log_count(&own, "result=error") ==
                      ph_log_count(&own, "the server stopped during the handshake") +
                          ph_log_count(&own, "the peer closed the connection during the "
                                             "handshake"),
                  "server log:\n%s", own.log);
    ck_assert_int_eq(ph_inbox_count(&own), 1);
    ph_server_stop(&own);
    normal_after();
}
END_TEST

/* The peer's close and one more frame in the same write: the receiver must
 * report data after close, however the frames are cut into reads. */
static void after_close(uint8_t inject)
{
    ph_inbox_clear(&S);
    ph_log_reset(&S);
    /* Message 0 a chat line, message 1 the close; then a copy of the first
     * frame of type `inject`. */
    struct ph_rule r = {.action = PH_INJECT_AFTER_MSG, .index = 1, .inject_type = inject};
    struct ph_proxy *p;
    ck_assert_int_eq(ph_proxy_start(&p, ph_port(&S), &r, 0), 0);
    struct rlab_client *cl = NULL;
    ck_assert_int_eq(ph_connect(&K, ph_proxy_port(p), K.alice, &K.pin, NULL, &cl), RLAB_OK);
    ck_assert_int_eq(rlab_client_send_line(cl, (const uint8_t *)"last words", 10), RLAB_OK);
    (void)rlab_client_close(cl, 5000);
    rlab_client_free(cl);
    ph_proxy_stop(p);
    ph_proxy_free(p);
    expect_log("result=error: data after the peer's close (alert sent: unexpected frame)");
    ck_assert_uint_eq(ph_log_count(&S, "result=ok"), 0);
    normal_after();
}

START_TEST(data_after_close_chunk)
{
    after_close(RLAB_FRAME_CHUNK);
}
END_TEST

START_TEST(data_after_close_msg_start)
{
    after_close(RLAB_FRAME_MSG_START);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_proto SERVER_BACKEND CLIENT_BACKEND [--cross]\n");
        return 2;
    }
    int cross = argc > 3 && strcmp(argv[3], "--cross") == 0;
    const char *unfit = ph_unfit(argv[1], argv[2]);
    if (unfit != NULL) {
        printf("SKIP: rsalab/1 needs OAEP and PSS with SHA-256: %s\n", unfit);
        return 77;
    }
    if (ph_keys_make(&K, argv[1], argv[2]) != 0) {
        fprintf(stderr, "test_proto: cannot make keys with %s / %s\n", argv[1], argv[2]);
        return 1;
    }
    struct ph_server_opts o = {.hs_timeout_ms = 1500};
    if (ph_server_start(&S, &K, &o) != 0) {
        fprintf(stderr, "test_proto: cannot start the server\n");
        return 1;
    }
    Suite *su = suite_create("proto");
    TCase *tc = tcase_create("proto");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, normal);
    tcase_add_test(tc, chat_relay);
    if (!cross) {
        tcase_add_test(tc, garbage_instead_of_hello);
        tcase_add_test(tc, wrong_magic);
        tcase_add_test(tc, wrong_version);
        tcase_add_test(tc, length_over_limit);
        tcase_add_test(tc, frame_cut_short);
        tcase_add_test(tc, handshake_timeout);
        tcase_add_test(tc, unknown_client_key);
        tcase_add_test(tc, wrong_server_key);
        tcase_add_test(tc, bad_client_signature);
        tcase_add_test(tc, oaep_failure_looks_like_bad_finished);
        tcase_add_test(tc, bad_server);
        tcase_add_test(tc, tampered_chunk);
        tcase_add_test(tc, replayed_chunk);
        tcase_add_test(tc, reordered_chunks);
        tcase_add_test(tc, dropped_chunk);
        tcase_add_test(tc, replayed_message);
        tcase_add_test(tc, dropped_message);
        tcase_add_test(tc, reordered_messages);
        tcase_add_test(tc, stream_ends_early);
        tcase_add_test(tc, file_name_dotdot);
        tcase_add_test(tc, file_name_absolute);
        tcase_add_test(tc, file_name_dots);
        tcase_add_test(tc, file_name_long);
        tcase_add_test(tc, same_name_concurrent);
        tcase_add_test(tc, shutdown_sends_close);
        tcase_add_test(tc, data_after_close_chunk);
        tcase_add_test(tc, data_after_close_msg_start);
    }
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_set_fork_status(sr, CK_NOFORK); /* the server thread lives in this process */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    ph_server_stop(&S);
    ph_keys_clear(&K);
    rlab_registry_cleanup();
    return failed == 0 ? 0 : 1;
}
