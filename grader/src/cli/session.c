/* session.c: see session.h. */
#include "cli/session.h"

#include <stdlib.h>
#include <string.h>

#include "base/exit_codes.h"
#include "base/files.h"
#include "sandbox/sandbox.h"

int session_open(session *s, const char *root, int lenient, strbuf *err)
{
    memset(s, 0, sizeof *s);
    int rc =
        workbook_open(root, &s->wb, lenient ? &s->manifest_err : NULL, err);
    s->view = workbook_view(&s->wb);
    if (rc == 0 && s->wb.root) {
        /* what no build or test may see: the organizer's references and
         * history (sandbox.h) */
        char *hide[] = {path_join(s->wb.root, "solutions-private"),
                        path_join(s->wb.root, ".git"), NULL};
        sandbox_hide((const char *const *)hide);
        free(hide[0]);
        free(hide[1]);
    }
    return rc;
}

int session_grade_pristine(session *s, const char *repo, const char *rev,
                           strbuf *err)
{
    const integrity_options o = {repo, rev};
    int rc = integrity_apply(&s->wb, &o, &s->ig, err);
    if (rc != 0)
        return rc;
    if (integrity_root(s->ig) != NULL) {
        s->view = (graded_view){&s->wb, integrity_root(s->ig),
                                integrity_manifest(s->ig)};
        return 0;
    }
    if (s->manifest_err.len == 0)
        return 0;
    sb_puts(err, sb_str(&s->manifest_err));
    return EXIT_USAGE;
}

void session_close(session *s)
{
    integrity_free(s->ig);
    sb_free(&s->manifest_err);
    workbook_close(&s->wb);
    memset(s, 0, sizeof *s);
}
