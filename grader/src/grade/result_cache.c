/* result_cache.c: see result_cache.h. */
#include "grade/result_cache.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/text.h"
#include "grade/result_json.h"
#include "workbook/state.h"

enum { CACHE_MAX = 16 << 20 /* bytes of one stored result */ };

typedef struct {
    char *id;
    char *text; /* the stored JSON */
} cache_entry;

struct result_cache {
    char *state; /* the state folder */
    cache_entry *v;
    size_t n;
};

result_cache *result_cache_open(const workbook *wb)
{
    result_cache *c = xcalloc(1, sizeof *c);
    c->state = xstrdup(wb->state_dir);
    char *dir = state_results_dir(c->state);
    strlist names = {0};
    if (list_dir(dir, 1, &names) == 0)
        c->v = xcalloc(names.n, sizeof *c->v);
    for (size_t i = 0; i < names.n; i++) {
        if (!ends_with(names.v[i], ".json") || strlen(names.v[i]) <= 5)
            continue;
        char *path = path_join(dir, names.v[i]);
        char *text = NULL;
        if (file_read(path, &text, NULL, CACHE_MAX) == 0) {
            c->v[c->n].id = xstrndup(names.v[i], strlen(names.v[i]) - 5);
            c->v[c->n].text = text;
            c->n++;
        }
        free(path);
    }
    strlist_free(&names);
    free(dir);
    return c;
}

static cache_entry *find(const result_cache *c, const char *id)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].id, id) == 0)
            return &c->v[i];
    return NULL;
}

int result_cache_get(const result_cache *c, const char *id, const char *hash,
                     exercise_result *out)
{
    const cache_entry *e = find(c, id);
    if (e == NULL)
        return 0;
    cJSON *j = cJSON_Parse(e->text);
    if (j == NULL)
        return 0;
    int hit =
        exercise_result_from_json(j, out) == 0 && strcmp(out->hash, hash) == 0;
    cJSON_Delete(j);
    if (!hit && out->id)
        exercise_result_free(out);
    return hit;
}

void result_cache_put(result_cache *c, const exercise_result *r)
{
    cJSON *j = exercise_result_to_json(r);
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (text == NULL)
        return;
    char *path = state_result_path(c->state, r->id);
    (void)file_write_atomic(path, text, strlen(text)); /* best effort */
    free(path);
    cache_entry *e = find(c, r->id);
    if (e == NULL) {
        c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
        e = &c->v[c->n++];
        e->id = xstrdup(r->id);
        e->text = NULL;
    }
    free(e->text);
    e->text = text;
}

void result_cache_close(result_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].id);
        free(c->v[i].text);
    }
    free(c->v);
    free(c->state);
    free(c);
}
