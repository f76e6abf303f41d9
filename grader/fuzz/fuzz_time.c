/* fuzz_time.c: libFuzzer target for the leaderboard's time parser
 * (lb_parse_time: "2026-01-02T03:04:05[.fff](Z|+hh:mm|-hh:mm)"): never a
 * read past the string's end (the input is an exact-size allocation), an
 * accepted time is finite and within years 1000..9999. */
#include <math.h>
#include <stdlib.h>

#include "fuzz_check.h"
#include "report/leaderboard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);
    double t;
    if (lb_parse_time(s, &t) == 0 &&
        !(isfinite(t) && t > -3.1e10 && t < 2.6e11))
        abort();
    free(s);
    return 0;
}
