/* Tests for 08_binary_files. Students: read them, do not edit them.
 *
 * Every test works in its own temporary directory (under $TMPDIR, or /tmp),
 * builds its input files byte by byte, and removes everything afterwards.
 * Besides return codes, the tests watch the process itself: the number of
 * open file descriptors (/proc/self/fd) and the file mappings
 * (/proc/self/maps) must be the same after a call as before it.
 *
 * Each test also draws files of its own from the grader's seeded generator
 * (ll_rand_*): seeded values (special floats included), counts, corrupted
 * bytes and wrong sizes; every rejection test ends with the same kind of
 * file made valid, which must then open with its seeded count. */
#define _POSIX_C_SOURCE 200809L
#include "llmlings.h"
#include "llmt.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_dir[512]; /* this test's temporary directory */

static void make_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    snprintf(g_dir, sizeof g_dir, "%s/llmt-test-XXXXXX", base);
    if (mkdtemp(g_dir) == NULL)
        g_dir[0] = '\0';
}

/* Criterion runs this after the test, passed or not. */
static void remove_tmpdir(void)
{
    if (g_dir[0] == '\0')
        return;
    DIR *d = opendir(g_dir);
    if (d != NULL) {
        struct dirent *e;
        char path[1024];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", g_dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(g_dir);
}

/* Every test runs in a fresh directory: .init = make_tmpdir creates it,
 * .fini = remove_tmpdir removes it (after a failure too). */

/* Path of a file in the test's directory (a static buffer per slot). */
static const char *tmp_path(const char *name)
{
    static char buf[4][1024];
    static int slot;
    LL_CHECK(g_dir[0] != '\0', "could not create a temporary directory");
    char *p = buf[slot++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", g_dir, name);
    return p;
}

/* Writes n raw bytes to path (the test's own writer, not llmt_write). */
static void write_bytes(const char *path, const void *bytes, size_t n)
{
    FILE *fp = fopen(path, "wb");
    LL_CHECK(fp != NULL, "test setup: cannot create %s", path);
    const size_t w = n ? fwrite(bytes, 1, n, fp) : 0;
    const int c = fclose(fp);
    LL_CHECK(w == n && c == 0, "test setup: cannot write %s", path);
}

/* Stores v at p, least significant byte first. */
static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Builds a header + payload in buf and returns its length. */
static size_t build(unsigned char *buf, const char magic[4], uint32_t version,
                    uint32_t count, size_t payload_bytes)
{
    memcpy(buf, magic, 4);
    put_le32(buf + 4, version);
    put_le32(buf + 8, count);
    for (size_t i = 0; i < payload_bytes; i++)
        buf[12 + i] = (unsigned char)(i * 7 + 1);
    return 12 + payload_bytes;
}

/* The bytes of a valid LLMT file holding v[0..n), encoded by the test
 * itself; returns its length (buf has room for 12 + 4 * n). */
static size_t encode(unsigned char *buf, const float *v, uint32_t n)
{
    build(buf, "LLMT", 1, n, 0);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &v[i], sizeof bits);
        put_le32(buf + 12 + 4 * (size_t)i, bits);
    }
    return 12 + 4 * (size_t)n;
}

/* n seeded floats: mostly ordinary values, with the special ones a byte
 * order or a value conversion gets wrong (-0, Inf, NaN payloads,
 * subnormals, integers). */
static float *random_values(uint32_t n)
{
    float *v = ll_alloc((size_t)n * sizeof *v);
    for (uint32_t i = 0; i < n; i++) {
        const uint32_t bits = ll_rand_u32();
        switch (ll_rand_int(0, 7)) {
        case 0: /* any bit pattern at all: NaNs, subnormals, Inf */
            memcpy(&v[i], &bits, sizeof bits);
            break;
        case 1: v[i] = (float)ll_rand_int(-1000, 1000); break;
        default: v[i] = ll_rand_float(-1000.0f, 1000.0f);
        }
    }
    return v;
}

/* Reads the whole file at path (at most cap bytes) into buf. */
static size_t read_file(const char *path, unsigned char *buf, size_t cap)
{
    FILE *fp = fopen(path, "rb");
    LL_CHECK(fp != NULL, "llmt_write returned LLMT_OK but %s does not exist",
             path);
    const size_t n = fread(buf, 1, cap, fp);
    fclose(fp);
    return n;
}

static int count_open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    LL_CHECK(d != NULL, "cannot list /proc/self/fd");
    int n = 0;
    while (readdir(d) != NULL)
        n++;
    closedir(d);
    return n;
}

/* Number of lines of /proc/self/maps that map a file of our directory. */
static int count_mappings(void)
{
    FILE *fp = fopen("/proc/self/maps", "r");
    LL_CHECK(fp != NULL, "cannot read /proc/self/maps");
    char line[2048];
    int n = 0;
    while (fgets(line, sizeof line, fp) != NULL)
        if (g_dir[0] != '\0' && strstr(line, g_dir) != NULL)
            n++;
    fclose(fp);
    return n;
}

static const char *code_name(int code)
{
    static const char *const names[] = {"LLMT_OK",          "LLMT_ERR_OPEN",
                                        "LLMT_ERR_SHORT",   "LLMT_ERR_MAGIC",
                                        "LLMT_ERR_VERSION", "LLMT_ERR_COUNT",
                                        "LLMT_ERR_SIZE",    "LLMT_ERR_IO"};
    return code >= 0 && code <= 7 ? names[code] : "an unknown code";
}

static int is_zeroed(const llmt_file *f)
{
    return f->version == 0 && f->count == 0 && f->values == NULL &&
           f->map == NULL && f->map_len == 0;
}

/* llmt_open must return want, zero *f, and leave no fd and no mapping. */
static void expect_reject(const char *path, int want, const char *what)
{
    const int fds = count_open_fds(), maps = count_mappings();
    llmt_file f;
    memset(&f, 0x5a, sizeof f);
    const int got = llmt_open(path, &f);
    char msg[256];
    snprintf(msg, sizeof msg, "llmt_open(%s) returned %s; the code (%s is %d)",
             what, code_name(got), code_name(want), want);
    LL_CHECK_INT_EQ(got, want, msg);
    LL_CHECK(is_zeroed(&f), "llmt_open(%s) failed but did not zero *f", what);
    const int fds_after = count_open_fds();
    LL_CHECK(fds_after == fds,
             "llmt_open(%s): %d file descriptor(s) left open on error", what,
             fds_after - fds);
    LL_CHECK(count_mappings() == maps,
             "llmt_open(%s) failed but left the file mapped (munmap it)", what);
}

static const unsigned char doc_bytes[20] = {
    'L',  'L',  'M',  'T',  1, 0,
    0,    0,    2,    0,    0, 0, /* header: version 1, count 2 */
    0x00, 0x00, 0x80, 0x3f,       /* 1.0f  = 0x3f800000 */
    0x00, 0x00, 0x20, 0xc0,       /* -2.5f = 0xc0200000 */
};

/* llmt_write(path, v, n) must give exactly the bytes the test encodes. */
static void check_written(const char *path, const float *v, uint32_t n)
{
    const size_t len = 12 + 4 * (size_t)n;
    char what[128];
    snprintf(what, sizeof what, "llmt_write(path, %u seeded values)", n);
    LL_CHECK_INT_EQ(llmt_write(path, v, n), LLMT_OK, what);
    unsigned char *got = ll_alloc(len + 1);
    unsigned char *want = ll_alloc(len);
    const size_t size = read_file(path, got, len + 1);
    LL_ORACLE
    {
        encode(want, v, n);
    }
    snprintf(what, sizeof what, "size of the file written for %u values", n);
    LL_CHECK_UINT_EQ(size, len, what);
    snprintf(what, sizeof what,
             "bytes of the file written for %u seeded values (value i is at "
             "byte 12 + 4i)",
             n);
    LL_CHECK_BYTES_EQ(got, want, len, what);
    free(want);
    free(got);
}

LL_TEST(llmt, write_produces_documented_bytes, .init = make_tmpdir,
        .fini = remove_tmpdir)
{
    const char *path = tmp_path("two.llmt");
    const float v[2] = {1.0f, -2.5f};
    const int fds = count_open_fds();
    LL_CHECK_INT_EQ(llmt_write(path, v, 2), LLMT_OK,
                    "llmt_write(path, {1, -2.5}, 2)");
    LL_CHECK_INT_EQ(count_open_fds(), fds,
                    "open file descriptors after llmt_write (must be closed)");
    unsigned char got[64];
    const size_t n = read_file(path, got, sizeof got);
    LL_CHECK_UINT_EQ(n, 20, "size of the written file (12 + 2*4 bytes)");
    LL_CHECK_BYTES_EQ(got, doc_bytes, 20,
                      "bytes of the file written for {1.0, -2.5}");

    /* An empty payload: just the header. Rewriting replaces the file. */
    LL_CHECK_INT_EQ(llmt_write(path, NULL, 0), LLMT_OK,
                    "llmt_write(path, NULL, 0)");
    const size_t m = read_file(path, got, sizeof got);
    LL_CHECK_UINT_EQ(m, 12, "size after rewriting with count 0 (truncated)");
    LL_CHECK_BYTES_EQ(got, "LLMT\1\0\0\0\0\0\0\0", 12, "header for count 0");

    /* Seeded values, special floats among them, bit for bit. */
    const uint32_t count = (uint32_t)ll_rand_int(1, 64);
    float *w = random_values(count);
    check_written(path, w, count);
    free(w);
    LL_CHECK_INT_EQ(count_open_fds(), fds,
                    "open file descriptors after the llmt_write calls");
}

LL_TEST(llmt, write_reports_io_errors, .init = make_tmpdir,
        .fini = remove_tmpdir)
{
    const float v[1] = {3.0f};
    const int fds = count_open_fds();
    LL_CHECK_INT_EQ(llmt_write(tmp_path("no/such/dir/x.llmt"), v, 1),
                    LLMT_ERR_IO, "llmt_write into a missing directory");
    LL_CHECK_INT_EQ(llmt_write(g_dir, v, 1), LLMT_ERR_IO,
                    "llmt_write to a path that is a directory");
    LL_CHECK_INT_EQ(llmt_write("/dev/full", v, 1), LLMT_ERR_IO,
                    "llmt_write to /dev/full (every write fails: ENOSPC)");
    LL_CHECK_INT_EQ(count_open_fds(), fds,
                    "open file descriptors after failed llmt_write calls");
    /* And a good write still works afterwards. */
    const uint32_t count = (uint32_t)ll_rand_int(1, 16);
    float *w = random_values(count);
    check_written(tmp_path("ok.llmt"), w, count);
    free(w);
}

/* llmt_open(path) must succeed with n values equal to want (bit for bit),
 * inside the mapping, the descriptor already closed. Returns nothing open. */
static void check_opens(const char *path, const float *want, uint32_t n,
                        const char *label)
{
    const int fds = count_open_fds(), maps = count_mappings();
    llmt_file f;
    memset(&f, 0x5a, sizeof f);
    char what[160];
    snprintf(what, sizeof what, "llmt_open(%s)", label);
    LL_CHECK_INT_EQ(llmt_open(path, &f), LLMT_OK, what);
    snprintf(what, sizeof what, "llmt_open(%s): count", label);
    LL_CHECK_UINT_EQ(f.count, n, what);
    snprintf(what, sizeof what, "llmt_open(%s): version", label);
    LL_CHECK_UINT_EQ(f.version, 1, what);
    snprintf(what, sizeof what, "llmt_open(%s): map_len (the file size)",
             label);
    LL_CHECK_UINT_EQ(f.map_len, 12 + 4 * (size_t)n, what);
    LL_CHECK_PTR_EQ(f.values, (const unsigned char *)f.map + 12,
                    "values must point into the mapping, right after the "
                    "header");
    snprintf(what, sizeof what,
             "llmt_open(%s): the bits of values[i] (4 bytes per value)", label);
    LL_CHECK_BYTES_EQ(f.values, want, 4 * (size_t)n, what);
    LL_CHECK(count_mappings() > maps,
             "llmt_open(%s): the file does not appear in /proc/self/maps "
             "while open: read it with mmap",
             label);
    LL_CHECK(count_open_fds() == fds,
             "llmt_open(%s): %d file descriptor(s) open while the file is "
             "open: close the descriptor right after mmap",
             label, count_open_fds() - fds);
    llmt_close(&f);
    LL_CHECK(count_mappings() == maps,
             "llmt_open(%s): the file is still mapped after llmt_close "
             "(munmap it)",
             label);
}

/* A seeded valid file of count values written by the test at path. */
static void check_seeded_file_opens(const char *path, uint32_t count,
                                    const char *label)
{
    float *v = random_values(count);
    unsigned char *bytes = ll_alloc(12 + 4 * (size_t)count);
    write_bytes(path, bytes, encode(bytes, v, count));
    check_opens(path, v, count, label);
    free(bytes);
    free(v);
}

LL_TEST(llmt, open_maps_the_values, .init = make_tmpdir, .fini = remove_tmpdir)
{
    const char *path = tmp_path("two.llmt");
    write_bytes(path, doc_bytes, sizeof doc_bytes);
    const int fds = count_open_fds(), maps = count_mappings();
    llmt_file f;
    LL_CHECK_INT_EQ(llmt_open(path, &f), LLMT_OK, "llmt_open(a valid file)");
    LL_CHECK_UINT_EQ(f.version, 1, "version");
    LL_CHECK_UINT_EQ(f.count, 2, "count");
    LL_CHECK_NOT_NULL(f.values, "values");
    const float want[2] = {1.0f, -2.5f};
    LL_CHECK_FLOATS_NEAR(f.values, want, 2, 0.0f, 0.0f, "values");
    LL_CHECK_UINT_EQ(f.map_len, 20, "map_len (the file size)");
    LL_CHECK_PTR_EQ(f.values, (const unsigned char *)f.map + 12,
                    "values must point into the mapping, right after the "
                    "header");
    LL_CHECK(count_mappings() > maps,
             "the file does not appear in /proc/self/maps while open: read "
             "it with mmap");
    LL_CHECK_INT_EQ(count_open_fds(), fds,
                    "open file descriptors while the file is open (close the "
                    "descriptor right after mmap)");
    llmt_close(&f);
    LL_CHECK(is_zeroed(&f), "llmt_close must zero the llmt_file");
    LL_CHECK_INT_EQ(count_mappings(), maps,
                    "mappings of the file after llmt_close (munmap it)");
    llmt_close(&f); /* closing twice is harmless */

    /* A seeded file, written by the test byte by byte. */
    check_seeded_file_opens(tmp_path("seeded.llmt"),
                            (uint32_t)ll_rand_int(1, 300),
                            "a seeded valid file");
}

LL_TEST(llmt, roundtrip_and_empty, .init = make_tmpdir, .fini = remove_tmpdir)
{
    /* More values than fit in one page or one write buffer. */
    const uint32_t n = (uint32_t)ll_rand_int(1000, 5000);
    float *v = random_values(n);
    const char *path = tmp_path("big.llmt");
    char what[96];
    snprintf(what, sizeof what, "llmt_write of %u seeded values", n);
    LL_CHECK_INT_EQ(llmt_write(path, v, n), LLMT_OK, what);
    check_opens(path, v, n, "the seeded values just written");
    free(v);

    const char *empty = tmp_path("empty.llmt");
    write_bytes(empty, "LLMT\1\0\0\0\0\0\0\0", 12);
    llmt_file f;
    LL_CHECK_INT_EQ(llmt_open(empty, &f), LLMT_OK,
                    "llmt_open(a 12-byte file with count 0)");
    LL_CHECK_UINT_EQ(f.version, 1, "version of the empty file");
    LL_CHECK_UINT_EQ(f.count, 0, "count of the empty file");
    llmt_close(&f);
}

/* Fails the test when llmt_open is still waiting after 2 s (called from
 * SIGALRM while the test is blocked inside it). */
static void fifo_alarm(int sig)
{
    (void)sig;
    ll_fail(__FILE__, __LINE__,
            "llmt_open(a FIFO) is still waiting after 2 s: opening a FIFO "
            "for reading waits for a writer (open it with O_NONBLOCK, or "
            "check the file type first); expected %s",
            code_name(LLMT_ERR_OPEN));
}

LL_TEST(llmt, rejects_missing_or_non_regular, .init = make_tmpdir,
        .fini = remove_tmpdir)
{
    expect_reject(tmp_path("missing.llmt"), LLMT_ERR_OPEN, "a missing file");
    expect_reject(g_dir, LLMT_ERR_OPEN, "a directory");
    expect_reject("/dev/zero", LLMT_ERR_OPEN, "/dev/zero (a character device)");

    const char *fifo = tmp_path("fifo.llmt");
    LL_CHECK(mkfifo(fifo, 0600) == 0, "test setup: cannot create a FIFO");
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fifo_alarm;
    sigaction(SIGALRM, &sa, &old);
    alarm(2);
    expect_reject(fifo, LLMT_ERR_OPEN,
                  "a FIFO (it must not wait for a writer)");
    alarm(0);
    sigaction(SIGALRM, &old, NULL);

    /* A seeded valid file next to them opens. */
    check_seeded_file_opens(tmp_path("seeded.llmt"),
                            (uint32_t)ll_rand_int(1, 100),
                            "a seeded valid file");
}

LL_TEST(llmt, rejects_short_files, .init = make_tmpdir, .fini = remove_tmpdir)
{
    const char *p = tmp_path("short.llmt");
    write_bytes(p, "", 0);
    expect_reject(p, LLMT_ERR_SHORT, "an empty file");
    write_bytes(p, "LLMT", 4);
    expect_reject(p, LLMT_ERR_SHORT, "a 4-byte file");
    write_bytes(p, "LLMT\1\0\0\0\0\0\0", 11);
    expect_reject(p, LLMT_ERR_SHORT, "an 11-byte file (one short)");
    /* Size is checked before magic. */
    write_bytes(p, "XXXX\7\0\0", 7);
    expect_reject(p, LLMT_ERR_SHORT, "a 7-byte file with a bad magic");

    /* A seeded prefix of a seeded valid file (the header cut short), then
     * the whole file. */
    const uint32_t count = (uint32_t)ll_rand_int(0, 20);
    float *v = random_values(count);
    unsigned char *bytes = ll_alloc(12 + 4 * (size_t)count);
    encode(bytes, v, count);
    const size_t cut = (size_t)ll_rand_int(0, 11);
    char what[96];
    snprintf(what, sizeof what, "the first %zu bytes of a valid file", cut);
    write_bytes(p, bytes, cut);
    expect_reject(p, LLMT_ERR_SHORT, what);
    write_bytes(p, bytes, 12 + 4 * (size_t)count);
    check_opens(p, v, count, "the same file whole");
    free(bytes);
    free(v);
}

LL_TEST(llmt, rejects_bad_magic, .init = make_tmpdir, .fini = remove_tmpdir)
{
    unsigned char b[64];
    const char *p = tmp_path("magic.llmt");
    write_bytes(p, b, build(b, "LLMX", 1, 1, 4));
    expect_reject(p, LLMT_ERR_MAGIC, "magic \"LLMX\"");
    write_bytes(p, b, build(b, "llmt", 1, 1, 4));
    expect_reject(p, LLMT_ERR_MAGIC, "magic \"llmt\"");
    write_bytes(p, b, build(b, "TMLL", 1, 0, 0));
    expect_reject(p, LLMT_ERR_MAGIC, "magic \"TMLL\" (reversed)");
    /* Magic is checked before version. */
    write_bytes(p, b, build(b, "XLMT", 9, 0, 0));
    expect_reject(p, LLMT_ERR_MAGIC, "bad magic and bad version");

    /* One seeded byte of the magic changed to a seeded other value, then
     * the file as it should be. */
    const uint32_t count = (uint32_t)ll_rand_int(0, 20);
    float *v = random_values(count);
    unsigned char *bytes = ll_alloc(12 + 4 * (size_t)count);
    const size_t len = encode(bytes, v, count);
    const size_t at = (size_t)ll_rand_int(0, 3);
    const unsigned char good = bytes[at];
    bytes[at] = (unsigned char)(good + ll_rand_int(1, 255));
    char what[96];
    snprintf(what, sizeof what, "magic byte %zu changed from 0x%02x to 0x%02x",
             at, good, bytes[at]);
    write_bytes(p, bytes, len);
    expect_reject(p, LLMT_ERR_MAGIC, what);
    bytes[at] = good;
    write_bytes(p, bytes, len);
    check_opens(p, v, count, "the same file with its magic restored");
    free(bytes);
    free(v);
}

LL_TEST(llmt, rejects_bad_version, .init = make_tmpdir, .fini = remove_tmpdir)
{
    unsigned char b[64];
    const char *p = tmp_path("version.llmt");
    write_bytes(p, b, build(b, "LLMT", 0, 1, 4));
    expect_reject(p, LLMT_ERR_VERSION, "version 0");
    write_bytes(p, b, build(b, "LLMT", 2, 1, 4));
    expect_reject(p, LLMT_ERR_VERSION, "version 2");
    /* 1 stored big-endian reads as 0x01000000 little-endian. */
    write_bytes(p, b, build(b, "LLMT", 0x01000000u, 1, 4));
    expect_reject(p, LLMT_ERR_VERSION,
                  "version bytes 00 00 00 01 (big-endian "
                  "1 is not 1)");
    /* 1 in the low byte, something in a higher one: not 1 either. */
    write_bytes(p, b, build(b, "LLMT", 0x00010001u, 1, 4));
    expect_reject(p, LLMT_ERR_VERSION, "version bytes 01 00 01 00");
    /* Version is checked before count and size. */
    write_bytes(p, b, build(b, "LLMT", 3, 0xffffffffu, 0));
    expect_reject(p, LLMT_ERR_VERSION, "version 3 and count 0xffffffff");

    /* A seeded wrong version, then the file as it should be. */
    const uint32_t count = (uint32_t)ll_rand_int(0, 20);
    float *v = random_values(count);
    unsigned char *bytes = ll_alloc(12 + 4 * (size_t)count);
    const size_t len = encode(bytes, v, count);
    uint32_t version = ll_rand_u32();
    if (version == 1)
        version = 2;
    put_le32(bytes + 4, version);
    char what[96];
    snprintf(what, sizeof what, "version 0x%08x", version);
    write_bytes(p, bytes, len);
    expect_reject(p, LLMT_ERR_VERSION, what);
    put_le32(bytes + 4, 1);
    write_bytes(p, bytes, len);
    check_opens(p, v, count, "the same file with version 1");
    free(bytes);
    free(v);
}

LL_TEST(llmt, rejects_size_mismatch, .init = make_tmpdir, .fini = remove_tmpdir)
{
    unsigned char b[64];
    const char *p = tmp_path("size.llmt");
    write_bytes(p, b, build(b, "LLMT", 1, 3, 8));
    expect_reject(p, LLMT_ERR_SIZE, "count 3 but 2 values (truncated)");
    write_bytes(p, b, build(b, "LLMT", 1, 3, 11));
    expect_reject(p, LLMT_ERR_SIZE, "count 3 but 11 payload bytes");
    write_bytes(p, b, build(b, "LLMT", 1, 3, 16));
    expect_reject(p, LLMT_ERR_SIZE, "count 3 but 4 values (oversized)");
    write_bytes(p, b, build(b, "LLMT", 1, 1, 5));
    expect_reject(p, LLMT_ERR_SIZE, "count 1 and one stray byte");
    write_bytes(p, b, build(b, "LLMT", 1, 0, 4));
    expect_reject(p, LLMT_ERR_SIZE, "count 0 with a payload");
    write_bytes(p, b, build(b, "LLMT", 1, 256, 4));
    expect_reject(p, LLMT_ERR_SIZE,
                  "count 256 (bytes 00 01 00 00) but 1 "
                  "value");

    /* A seeded file with a seeded number of bytes missing or extra (a
     * few, or a whole page), then the file as it should be. */
    const uint32_t count = (uint32_t)ll_rand_int(1, 2000);
    float *v = random_values(count);
    const size_t len = 12 + 4 * (size_t)count;
    unsigned char *bytes = ll_alloc(len + 4096);
    encode(bytes, v, count);
    memset(bytes + len, 0xee, 4096);
    char what[96];
    const size_t fewer = (size_t)ll_rand_int(1, (long long)(4 * count));
    snprintf(what, sizeof what, "count %u but %zu payload bytes (truncated)",
             count, 4 * (size_t)count - fewer);
    write_bytes(p, bytes, len - fewer);
    expect_reject(p, LLMT_ERR_SIZE, what);
    const size_t more = (size_t)ll_rand_int(1, 4096);
    snprintf(what, sizeof what, "count %u but %zu payload bytes (oversized)",
             count, 4 * (size_t)count + more);
    write_bytes(p, bytes, len + more);
    expect_reject(p, LLMT_ERR_SIZE, what);
    write_bytes(p, bytes, len);
    check_opens(p, v, count, "the same file at its exact size");
    free(bytes);
    free(v);
}

LL_TEST(llmt, rejects_count_overflow, .init = make_tmpdir,
        .fini = remove_tmpdir)
{
    unsigned char b[64];
    const char *p = tmp_path("count.llmt");
    /* 12 + 4 * 0x40000001 == 16 in 32-bit arithmetic: looks valid. */
    write_bytes(p, b, build(b, "LLMT", 1, 0x40000001u, 4));
    expect_reject(p, LLMT_ERR_COUNT, "count 0x40000001 in a 16-byte file");
    write_bytes(p, b, build(b, "LLMT", 1, 0xffffffffu, 0));
    expect_reject(p, LLMT_ERR_COUNT, "count 0xffffffff in a 12-byte file");
    write_bytes(p, b, build(b, "LLMT", 1, LLMT_MAX_COUNT + 1u, 0));
    expect_reject(p, LLMT_ERR_COUNT, "count LLMT_MAX_COUNT + 1");
    /* The largest legal count is not an overflow, just a size mismatch. */
    write_bytes(p, b, build(b, "LLMT", 1, LLMT_MAX_COUNT, 4));
    expect_reject(p, LLMT_ERR_SIZE, "count LLMT_MAX_COUNT in a 16-byte file");

    /* A seeded count whose 32-bit byte count 12 + 4 * count wraps around
     * to the real size of a small file: 2^30 + k values "fit" in 12 + 4k
     * bytes. */
    const uint32_t k = (uint32_t)ll_rand_int(0, 50);
    float *v = random_values(k);
    unsigned char *bytes = ll_alloc(12 + 4 * (size_t)k);
    const size_t len = encode(bytes, v, k);
    put_le32(bytes + 8, 0x40000000u + k);
    char what[96];
    snprintf(what, sizeof what, "count 0x%08x in a %zu-byte file",
             0x40000000u + k, len);
    write_bytes(p, bytes, len);
    expect_reject(p, LLMT_ERR_COUNT, what);
    put_le32(bytes + 8, k);
    write_bytes(p, bytes, len);
    check_opens(p, v, k, "the same file with its real count");
    free(bytes);
    free(v);
}

LL_TEST(llmt, no_leaks_over_many_calls, .init = make_tmpdir,
        .fini = remove_tmpdir)
{
    unsigned char b[64];
    const char *bad = tmp_path("bad.llmt"), *good = tmp_path("good.llmt");
    const uint32_t count = (uint32_t)ll_rand_int(1, 100);
    float *v = random_values(count);
    unsigned char *bytes = ll_alloc(12 + 4 * (size_t)count);
    write_bytes(good, bytes, encode(bytes, v, count));
    const int fds = count_open_fds(), maps = count_mappings();
    /* what each round saw of the good file: its count and values */
    float got[20];
    unsigned char *first = ll_alloc(4 * (size_t)count);
    memset(first, 0, 4 * (size_t)count);
    int open_failed = 0;
    for (int round = 0; round < 20; round++) {
        write_bytes(bad, b, build(b, "LLMT", 1, 5, 4));
        expect_reject(bad, LLMT_ERR_SIZE, "a truncated file, repeatedly");
        write_bytes(bad, b, build(b, "LLMT", 7, 1, 4));
        expect_reject(bad, LLMT_ERR_VERSION, "version 7, repeatedly");
        write_bytes(bad, b, build(b, "LLMX", 1, 0, 0));
        expect_reject(bad, LLMT_ERR_MAGIC, "a bad magic, repeatedly");
        llmt_file f;
        open_failed |= llmt_open(good, &f) != LLMT_OK;
        got[round] = (float)f.count;
        if (round == 0 && f.values != NULL && f.count == count)
            memcpy(first, f.values, 4 * (size_t)count);
        llmt_close(&f);
    }
    LL_CHECK(!open_failed, "llmt_open(a valid file) failed in one of the 20 "
                           "rounds between rejected files");
    float want[20];
    LL_ORACLE
    {
        for (int round = 0; round < 20; round++)
            want[round] = (float)count;
    }
    LL_CHECK_FLOATS_NEAR(got, want, 20, 0.0f, 0.0f,
                         "count of the seeded valid file in each of 20 "
                         "rounds (element [round])");
    LL_CHECK_BYTES_EQ(first, v, 4 * (size_t)count,
                      "the bits of the values of the seeded valid file");
    LL_CHECK_INT_EQ(count_open_fds(), fds, "open descriptors after 20 rounds");
    LL_CHECK_INT_EQ(count_mappings(), maps, "mappings after 20 rounds");
    free(first);
    free(bytes);
    free(v);
}
