/* provenance.c: see provenance.h. */
#include "integrity/provenance.h"

#include <stdlib.h>

#include "base/strbuf.h"
#include "integrity/git_repo.h"

static int count_dirty(git_repository *r)
{
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED;
    git_status_list *st = NULL;
    if (git_status_list_new(&st, r, &so) != 0)
        return -1;
    size_t n = git_status_list_entrycount(st);
    int dirty = 0;
    for (size_t i = 0; i < n; i++) {
        const git_status_entry *e = git_status_byindex(st, i);
        if (e->status != GIT_STATUS_CURRENT &&
            !(e->status & GIT_STATUS_IGNORED))
            dirty++;
    }
    git_status_list_free(st);
    return dirty;
}

static void add_commit(cJSON *o, const git_commit *c)
{
    char hex[41], when[32];
    git_oid_tostr(hex, sizeof hex, git_commit_id(c));
    cJSON_AddStringToObject(o, "commit", hex);
    gr_iso_time(git_commit_time(c), when);
    cJSON_AddStringToObject(o, "commit_time", when);
    const git_signature *a = git_commit_author(c);
    if (a) {
        strbuf sb = {0};
        sb_printf(&sb, "%s <%s>", a->name ? a->name : "",
                  a->email ? a->email : "");
        cJSON_AddStringToObject(o, "author", sb_str(&sb));
        sb_free(&sb);
        gr_iso_time(a->when.time, when);
        cJSON_AddStringToObject(o, "author_time", when);
    }
}

static void add_remote(cJSON *o, git_repository *r)
{
    git_remote *rem = NULL;
    if (git_remote_lookup(&rem, r, "origin") == 0) {
        if (git_remote_url(rem))
            cJSON_AddStringToObject(o, "remote", git_remote_url(rem));
        git_remote_free(rem);
    }
}

cJSON *provenance_worktree(const char *root, git_repository *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "repository", root);
    cJSON_AddStringToObject(o, "graded", "worktree");
    if (r == NULL) {
        cJSON_AddNullToObject(o, "commit");
        cJSON_AddNullToObject(o, "dirty");
        cJSON_AddStringToObject(o, "note", "not a git repository");
        return o;
    }
    add_remote(o, r);
    git_commit *c = NULL;
    strbuf err = {0};
    if (gr_resolve_commit(r, "HEAD", &c, &err) == 0) {
        add_commit(o, c);
        git_commit_free(c);
    } else {
        cJSON_AddNullToObject(o, "commit");
    }
    sb_free(&err);
    git_reference *head = NULL;
    int detached = git_repository_head_detached(r) == 1;
    cJSON_AddBoolToObject(o, "detached", detached);
    if (!detached && git_repository_head(&head, r) == 0) {
        cJSON_AddStringToObject(o, "branch", git_reference_shorthand(head));
        git_reference_free(head);
    }
    cJSON_AddBoolToObject(o, "shallow", git_repository_is_shallow(r) == 1);
    int dirty = count_dirty(r);
    if (dirty < 0) {
        cJSON_AddNullToObject(o, "dirty");
    } else {
        cJSON_AddBoolToObject(o, "dirty", dirty > 0);
        cJSON_AddNumberToObject(o, "dirty_files", dirty);
    }
    return o;
}

cJSON *provenance_commit(const char *path, git_repository *r, const char *rev,
                         const git_commit *c)
{
    cJSON *o = cJSON_CreateObject();
    char *abs = realpath(path, NULL);
    cJSON_AddStringToObject(o, "repository", abs ? abs : path);
    free(abs);
    cJSON_AddStringToObject(o, "graded", "commit");
    add_remote(o, r);
    cJSON_AddStringToObject(o, "rev", rev);
    add_commit(o, c);
    cJSON_AddBoolToObject(o, "shallow", git_repository_is_shallow(r) == 1);
    cJSON_AddBoolToObject(o, "dirty", 0); /* a commit is what it is */
    return o;
}
