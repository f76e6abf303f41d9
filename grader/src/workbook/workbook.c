/* workbook.c: see workbook.h.
 *
 * The state folder is outside the workbook (LLMLINGS_STATE_DIR, else
 * $XDG_CACHE_HOME/llmlings/<hash of the root>, else ~/.cache/...), so a
 * student's `git clean` or edits never touch the cache, and the cache is
 * not committed. Its results/ part is private to the grader's user. */
#include "workbook/workbook.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/exit_codes.h"
#include "base/files.h"
#include "base/sha256.h"
#include "workbook/build_sweep.h"
#include "workbook/state.h"

static char *find_root(const char *start)
{
    char *dir = realpath(start, NULL);
    while (dir != NULL) {
        char *m = path_join(dir, MANIFEST_PATH);
        int found = file_exists(m);
        free(m);
        if (found)
            return dir;
        char *slash = strrchr(dir, '/');
        if (slash == NULL || slash == dir) {
            free(dir);
            return NULL;
        }
        *slash = '\0';
    }
    return NULL;
}

static void root_hash(const char *root, char hex[65])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, root, strlen(root));
    sha256_final_hex(&c, hex);
    hex[16] = '\0';
}

static char *default_state_dir(const char *root)
{
    const char *env = getenv("LLMLINGS_STATE_DIR");
    if (env && env[0])
        return xstrdup(env);
    char hex[65];
    root_hash(root, hex);
    strbuf sb = {0};
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        sb_printf(&sb, "%s/llmlings/%s", xdg, hex);
    else if (home && home[0] == '/')
        sb_printf(&sb, "%s/.cache/llmlings/%s", home, hex);
    else
        sb_printf(&sb, "/tmp/llmlings-%d/%s", (int)getuid(), hex);
    return sb_steal(&sb);
}

static int prepare_state(const char *state, strbuf *err)
{
    char *results = state_results_dir(state);
    int rc = 0;
    if (mkdir_p(results, 0700) != 0) {
        sb_printf(err, "cannot create the grader's state folder %s: %s", state,
                  strerror(errno));
        rc = -1;
    }
    free(results);
    return rc;
}

#define ROOT_BUILDS "/tmp/llmlings-root"

/* As root, tests run as an unprivileged user who cannot enter root's home,
 * so builds live in /tmp/llmlings-root (root-owned, checked: nobody else may
 * have planted it). Otherwise they live in the state folder. */
static char *choose_build_dir(const char *state, const char *root_hash,
                              strbuf *err)
{
    if (geteuid() != 0)
        return state_build_dir(state);
    const char *base = ROOT_BUILDS;
    struct stat st;
    if (mkdir(base, 0711) != 0 && errno != EEXIST) {
        sb_printf(err, "cannot create %s: %s", base, strerror(errno));
        return NULL;
    }
    if (lstat(base, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
        (st.st_mode & 022) != 0) {
        sb_printf(err, "%s is not a root-owned private folder; remove it",
                  base);
        return NULL;
    }
    chmod(base, 0711);
    strbuf sb = {0};
    sb_printf(&sb, "%s/%s", base, root_hash);
    if (mkdir_p(sb_str(&sb), 0711) != 0) {
        sb_printf(err, "cannot create %s: %s", sb_str(&sb), strerror(errno));
        sb_free(&sb);
        return NULL;
    }
    chmod(sb_str(&sb), 0711);
    return sb_steal(&sb);
}

int workbook_open(const char *start, workbook *wb, strbuf *manifest_err,
                  strbuf *err)
{
    memset(wb, 0, sizeof *wb);
    wb->root = find_root(start);
    if (wb->root == NULL) {
        sb_printf(err,
                  "no workbook here: run the grader inside the llmlings "
                  "folder (the one with %s)",
                  MANIFEST_PATH);
        return EXIT_USAGE;
    }
    if (manifest_load(wb->root, &wb->m, manifest_err ? manifest_err : err) !=
        0) {
        if (manifest_err == NULL)
            return EXIT_USAGE;
        memset(&wb->m, 0,
               sizeof wb->m); /* integrity.c loads the pristine one */
    }
    wb->state_dir = default_state_dir(wb->root);
    if (wb->state_dir == NULL || prepare_state(wb->state_dir, err) != 0)
        return EXIT_INTERNAL;
    char hex[65];
    root_hash(wb->root, hex);
    wb->build_dir = choose_build_dir(wb->state_dir, hex, err);
    if (wb->build_dir == NULL || mkdir_p(wb->build_dir, 0711) != 0)
        return EXIT_INTERNAL;
    if (geteuid() == 0) { /* builds outside the state folder: see sweep */
        build_sweep_mark(wb->build_dir, wb->root);
        build_sweep(ROOT_BUILDS, hex);
    }
    (void)sha256_file("/proc/self/exe", wb->grader_id); /* zeros: unknown */
    return 0;
}

graded_view workbook_view(const workbook *wb)
{
    return (graded_view){wb, wb->root, &wb->m};
}

void workbook_close(workbook *wb)
{
    manifest_free(&wb->m);
    free(wb->root);
    free(wb->state_dir);
    free(wb->build_dir);
    memset(wb, 0, sizeof *wb);
}
