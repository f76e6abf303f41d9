/* race_corpus.h: kernels with and without data races, for the race tier's
 * tests (race_corpus.cu). Each entry launches one kernel (or two) on small
 * inputs and checks what it can of the result. */
#ifndef CUDASIM_TEST_RACE_CORPUS_H
#define CUDASIM_TEST_RACE_CORPUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Number of entries. */
int race_corpus_count(void);

/* Entry i's name, what it does (one line), and whether it has a race. */
const char *race_corpus_name(int i);
const char *race_corpus_what(int i);
int race_corpus_racy(int i);

/* Runs entry i: 0, a CUDA error code, or -1 when a race-free entry
 * computed a wrong result. */
int race_corpus_run(int i);

#ifdef __cplusplus
}
#endif

#endif
