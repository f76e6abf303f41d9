/* object_cache.c: see object_cache.h. */
#include "compile/object_cache.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/text.h"

enum { MAX_UNIT_BYTES = 64 << 20, MAX_OBJECT_BYTES = 256 << 20 };
/* An object no build has used for this long is removed (a changed test
 * leaves its old objects behind). */
static const time_t UNUSED_FOR_S = 14 * 24 * 3600;

/* Removes the objects of dir not used for UNUSED_FOR_S, once per process. */
static void prune(const char *dir)
{
    static int done;
    if (done)
        return;
    done = 1;
    strlist names = {0};
    if (list_dir(dir, 1, &names) != 0)
        return;
    const time_t now = time(NULL);
    for (size_t i = 0; i < names.n; i++) {
        char *path = path_join(dir, names.v[i]);
        struct stat st;
        if (ends_with(names.v[i], ".o") && stat(path, &st) == 0 &&
            now - st.st_mtime > UNUSED_FOR_S)
            unlink(path);
        free(path);
    }
    strlist_free(&names);
}

/* Whether input b is one of the student's compiled sources (C for the
 * gcc recipe; CUDA and C++ too for the simulator's). */
static int student_source(const build_inputs *in, const build_input *b)
{
    return b->edited &&
           (strlist_has(&in->sources, b->dest) || ends_with(b->dest, ".cu") ||
            ends_with(b->dest, ".cpp"));
}

static int cmp_inputs(const void *a, const void *b)
{
    return strcmp((*(const build_input *const *)a)->dest,
                  (*(const build_input *const *)b)->dest);
}

void object_cache_open(object_cache *c, const char *state_dir,
                       const build_inputs *in, const char *cc)
{
    c->dir = path_join(state_dir, "objects");
    c->in = in;
    prune(c->dir);
    sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, "llmlings-object-1", 18);
    struct stat st;
    int64_t id[2] = {0, 0};
    if (stat(cc, &st) == 0) {
        id[0] = (int64_t)st.st_size;
        id[1] = (int64_t)st.st_mtim.tv_sec;
    }
    sha256_update(&h, cc, strlen(cc) + 1);
    sha256_update(&h, id, sizeof id);
    const build_input **sorted = xcalloc(in->n ? in->n : 1, sizeof *sorted);
    for (size_t i = 0; i < in->n; i++)
        sorted[i] = &in->v[i];
    qsort(sorted, in->n, sizeof *sorted, cmp_inputs);
    for (size_t i = 0; i < in->n; i++) {
        if (student_source(in, sorted[i]))
            continue;
        char *data = NULL;
        size_t len = 0;
        sha256_update(&h, sorted[i]->dest, strlen(sorted[i]->dest) + 1);
        if (file_read(sorted[i]->src, &data, &len, MAX_UNIT_BYTES) == 0) {
            sha256_update(&h, &len, sizeof len);
            sha256_update(&h, data, len);
            free(data);
        } else {
            sha256_update(&h, "(unreadable)", 12);
        }
    }
    free(sorted);
    sha256_final_hex(&h, c->inputs_hash);
}

void object_cache_close(object_cache *c)
{
    free(c->dir);
    c->dir = NULL;
}

int object_cache_trusted(const object_cache *c, const char *source)
{
    for (size_t i = 0; i < c->in->n; i++)
        if (strcmp(c->in->v[i].dest, source) == 0)
            return !c->in->v[i].edited;
    return 0;
}

void object_cache_key(const object_cache *c, const strlist *argv,
                      const char *output, char key[65])
{
    sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, c->inputs_hash, 64);
    for (size_t i = 0; i < argv->n; i++) {
        const char *word =
            strcmp(argv->v[i], output) == 0 ? "(out)" : argv->v[i];
        sha256_update(&h, word, strlen(word) + 1);
    }
    sha256_final_hex(&h, key);
}

static char *entry_path(const object_cache *c, const char key[65])
{
    return xasprintf("%s/%.64s.o", c->dir, key);
}

int object_cache_fetch(const object_cache *c, const char key[65],
                       const char *dest)
{
    char *path = entry_path(c, key);
    char *data = NULL;
    size_t len = 0;
    int hit = file_read(path, &data, &len, MAX_OBJECT_BYTES) == 0 && len > 0 &&
              file_write_atomic(dest, data, len) == 0;
    if (hit)
        (void)utimensat(AT_FDCWD, path, NULL, 0); /* used now (prune) */
    free(data);
    free(path);
    return hit;
}

/* Whether gcc's dependency file names one of the student's files (by its
 * base name, so no spelling of a path hides it). Unreadable: yes. */
static int reads_student_file(const object_cache *c, const char *depfile)
{
    char *deps = NULL;
    if (file_read(depfile, &deps, NULL, 4 << 20) != 0)
        return 1;
    int found = 0;
    for (size_t i = 0; i < c->in->n && !found; i++) {
        if (!c->in->v[i].edited)
            continue;
        const char *slash = strrchr(c->in->v[i].dest, '/');
        const char *base = slash ? slash + 1 : c->in->v[i].dest;
        for (const char *p = strstr(deps, base); p && !found;
             p = strstr(p + 1, base)) {
            const char after = p[strlen(base)];
            const int starts = p == deps || p[-1] == '/' || p[-1] == ' ' ||
                               p[-1] == '\n' || p[-1] == '\t';
            const int ends = after == '\0' || after == ' ' || after == '\n' ||
                             after == '\t' || after == ':' || after == '\\';
            found = starts && ends;
        }
    }
    free(deps);
    return found;
}

void object_cache_store(const object_cache *c, const char key[65],
                        const char *object, const char *depfile)
{
    if ((depfile && reads_student_file(c, depfile)) ||
        mkdir_p(c->dir, 0700) != 0)
        return;
    char *data = NULL;
    size_t len = 0;
    if (file_read(object, &data, &len, MAX_OBJECT_BYTES) == 0 && len > 0) {
        char *path = entry_path(c, key);
        (void)file_write_atomic(path, data, len);
        free(path);
    }
    free(data);
}

/* Whether text has an #include line naming base. */
static int includes_name(const char *text, const char *base)
{
    for (const char *p = strstr(text, base); p; p = strstr(p + 1, base)) {
        const char *line = p;
        while (line > text && line[-1] != '\n')
            line--;
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line != '#')
            continue;
        line++;
        while (*line == ' ' || *line == '\t')
            line++;
        if (starts_with(line, "include"))
            return 1;
    }
    return 0;
}

int object_cache_includes_student(const object_cache *c)
{
    const build_inputs *in = c->in;
    int found = 0;
    for (size_t i = 0; i < in->n && !found; i++) {
        if (in->v[i].edited || !starts_with(in->v[i].dest, "exercises/"))
            continue;
        char *text = NULL;
        if (file_read(in->v[i].src, &text, NULL, MAX_UNIT_BYTES) != 0)
            return 1;
        for (size_t k = 0; k < in->n && !found; k++) {
            if (!in->v[k].edited)
                continue;
            const char *slash = strrchr(in->v[k].dest, '/');
            found = includes_name(text, slash ? slash + 1 : in->v[k].dest);
        }
        free(text);
    }
    return found;
}
