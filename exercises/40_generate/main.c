/* main.c: the command-line program around engine_main (do not edit).
 *
 * Not part of the graded build (the tests call engine_main directly). To
 * build your own engine, see this exercise's README. */
#include "generate.h"

int main(int argc, char **argv)
{
    return engine_main(argc, argv, stdout, stderr);
}
