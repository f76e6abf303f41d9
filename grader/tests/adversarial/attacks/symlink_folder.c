/* symlink_folder: the exercise folder is a link to a copy elsewhere
 * (symlink_folder.sh) whose test file is edited to expect the wrong sub. */
#include "target.h"

int attack(void)
{
    return 1;
}
