/* Tests for 08_binary_files. Students: read them, do not edit them.
 *
 * Every test works in its own temporary directory (under $TMPDIR, or /tmp),
 * builds its input files byte by byte, and removes everything afterwards.
 * Besides return codes, the tests watch the process itself: the number of
 * open file descriptors (/proc/self/fd) and the file mappings
 * (/proc/self/maps) must be the same after a call as before it. */
#define _POSIX_C_SOURCE 200809L
#include "llmlings.h"
#include "llmt.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Builds a header + payload in buf and returns its length. */
static size_t build(unsigned char *buf, const char magic[4], uint32_t version,
                    uint32_t count, size_t payload_bytes)
{
    memcpy(buf, magic, 4);
    for (int i = 0; i < 4; i++) {
        buf[4 + i] = (unsigned char)(version >> (8 * i));
        buf[8 + i] = (unsigned char)(count >> (8 * i));
    }
    for (size_t i = 0; i < payload_bytes; i++)
        buf[12 + i] = (unsigned char)(i * 7 + 1);
    return 12 + payload_bytes;
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
    LL_CHECK(got == want, "llmt_open(%s): expected %s (%d), got %s (%d)", what,
             code_name(want), want, code_name(got), got);
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
    FILE *fp = fopen(path, "rb");
    LL_CHECK(fp != NULL, "llmt_write returned LLMT_OK but %s does not exist",
             path);
    const size_t n = fread(got, 1, sizeof got, fp);
    fclose(fp);
    LL_CHECK_UINT_EQ(n, 20, "size of the written file (12 + 2*4 bytes)");
    LL_CHECK_BYTES_EQ(got, doc_bytes, 20,
                      "bytes of the file written for {1.0, -2.5}");

    /* An empty payload: just the header. Rewriting replaces the file. */
    LL_CHECK_INT_EQ(llmt_write(path, NULL, 0), LLMT_OK,
                    "llmt_write(path, NULL, 0)");
    fp = fopen(path, "rb");
    LL_CHECK(fp != NULL, "%s vanished", path);
    const size_t m = fread(got, 1, sizeof got, fp);
    fclose(fp);
    LL_CHECK_UINT_EQ(m, 12, "size after rewriting with count 0 (truncated)");
    LL_CHECK_BYTES_EQ(got, "LLMT\1\0\0\0\0\0\0\0", 12, "header for count 0");
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
    LL_CHECK_INT_EQ(count_open_fds(), fds,
                    "open file descriptors after failed llmt_write calls");
    /* And a good write still works afterwards. */
    LL_CHECK_INT_EQ(llmt_write(tmp_path("ok.llmt"), v, 1), LLMT_OK,
                    "llmt_write(ok.llmt, {3}, 1)");
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
}

LL_TEST(llmt, roundtrip_and_empty, .init = make_tmpdir, .fini = remove_tmpdir)
{
    enum { N = 1000 };
    float *v = malloc(N * sizeof *v);
    LL_CHECK_NOT_NULL(v, "malloc");
    for (int i = 0; i < N; i++)
        v[i] = (float)i * 0.25f - 100.0f;
    const char *path = tmp_path("big.llmt");
    int rc = llmt_write(path, v, N);
    llmt_file f;
    int orc = rc == LLMT_OK ? llmt_open(path, &f) : -1;
    int ok = orc == LLMT_OK && f.count == N;
    size_t bad = N;
    for (size_t i = 0; ok && i < N; i++)
        if (f.values[i] != v[i]) {
            bad = i;
            break;
        }
    free(v);
    LL_CHECK_INT_EQ(rc, LLMT_OK, "llmt_write of 1000 values");
    LL_CHECK_INT_EQ(orc, LLMT_OK, "llmt_open of the 1000 values just written");
    LL_CHECK_UINT_EQ(f.count, N, "count read back");
    LL_CHECK(bad == N, "value %zu read back differs from the one written", bad);
    llmt_close(&f);

    const char *empty = tmp_path("empty.llmt");
    write_bytes(empty, "LLMT\1\0\0\0\0\0\0\0", 12);
    LL_CHECK_INT_EQ(llmt_open(empty, &f), LLMT_OK,
                    "llmt_open(a 12-byte file with count 0)");
    LL_CHECK_UINT_EQ(f.version, 1, "version of the empty file");
    LL_CHECK_UINT_EQ(f.count, 0, "count of the empty file");
    llmt_close(&f);
}

LL_TEST(llmt, rejects_missing_or_non_regular, .init = make_tmpdir,
        .fini = remove_tmpdir)
{
    expect_reject(tmp_path("missing.llmt"), LLMT_ERR_OPEN, "a missing file");
    expect_reject(g_dir, LLMT_ERR_OPEN, "a directory");
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
}

LL_TEST(llmt, no_leaks_over_many_calls, .init = make_tmpdir,
        .fini = remove_tmpdir)
{
    unsigned char b[64];
    const char *bad = tmp_path("bad.llmt"), *good = tmp_path("good.llmt");
    write_bytes(good, doc_bytes, sizeof doc_bytes);
    const int fds = count_open_fds(), maps = count_mappings();
    for (int round = 0; round < 20; round++) {
        write_bytes(bad, b, build(b, "LLMT", 1, 5, 4));
        expect_reject(bad, LLMT_ERR_SIZE, "a truncated file, repeatedly");
        write_bytes(bad, b, build(b, "LLMT", 7, 1, 4));
        expect_reject(bad, LLMT_ERR_VERSION, "version 7, repeatedly");
        llmt_file f;
        LL_CHECK_INT_EQ(llmt_open(good, &f), LLMT_OK, "llmt_open(good)");
        LL_CHECK_FLOAT_NEAR(f.values[1], -2.5, 0.0, "second value of good");
        llmt_close(&f);
    }
    LL_CHECK_INT_EQ(count_open_fds(), fds, "open descriptors after 20 rounds");
    LL_CHECK_INT_EQ(count_mappings(), maps, "mappings after 20 rounds");
}
